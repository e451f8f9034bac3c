// SPDX-License-Identifier: MIT
/*
 * A Linux guest (config key kernel =, docs/linux-guest.md): the bzImage
 * and initrd the boot stub loaded are checked and placed by the pure
 * loader (vmm/linux_boot.c), written into the guest's RAM, and the vCPU
 * is given the 64-bit boot protocol's entry state. The guest sees no ABI
 * of ours: no boot-info page, no hypercalls it must make.
 */
#define LOG_SUBSYS "vmm"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/timer.h"
#include "lib/format.h"
#include "lib/string.h"
#include "vmm/linux_boot.h"
#include "vmm/mptable.h"
#include "vmm/vm.h"
#include "vmm/vm_linux.h"

/*
 * In the BIOS ROM area Linux scans for the MP floating pointer (MP spec
 * 1.4 §4: 0xf0000-0xfffff); e820 marks it reserved, NPT backs it by RAM.
 */
#define LINUX_MPTABLE_GPA 0xf0000ull

/*
 * Words the VMM adds to the guest's command line, because they describe
 * the platform (docs/linux-guest.md): there is no I/O APIC, so Linux may
 * keep the x2APIC without interrupt remapping ("noapic"); MSI-X entries
 * must use physical destinations, which the VMM's MSI-X validation
 * accepts ("x2apic_phys", not the logical cluster mode); the TSC runs at
 * the host's rate, which Linux could not calibrate without a PIT.
 */
static int platform_cmdline(struct vm *vm, struct vm_linux *lx)
{
	char words[48];
	u32 n;

	fmt_snprintf(words, sizeof(words), "noapic x2apic_phys tsc_early_khz=%llu",
		     tsc_hz() / 1000);
	n = fmt_snprintf(lx->cmdline, sizeof(lx->cmdline), "%s%s%s",
			 vm->cfg->cmdline, vm->cfg->cmdline[0] ? " " : "", words);
	if (n >= sizeof(lx->cmdline)) {
		pr_err("%s: cmdline with the platform's words is %u bytes, at most %zu; not started\n",
		       vm->name, n, sizeof(lx->cmdline) - 1);
		return -1;
	}
	pr_info("%s: cmdline += \"%s\" (no I/O APIC; physical MSI destinations; the TSC's rate)\n",
		vm->name, words);
	return 0;
}

static int check_files(struct vm *vm, const struct hv_image *kernel,
		       const struct hv_image *initrd)
{
	const struct cfg_guest *g = vm->cfg;

	if (kernel->status != HV_IMAGE_LOADED) {
		pr_err("%s: kernel %s %s; not started\n", vm->name, g->image,
		       vm_image_state(kernel));
		return -1;
	}
	if (g->initrd[0] && initrd->status != HV_IMAGE_LOADED) {
		pr_err("%s: initrd %s %s; not started\n", vm->name, g->initrd,
		       vm_image_state(initrd));
		return -1;
	}
	return 0;
}

int vm_linux_prepare(struct vm *vm, const struct hv_image *kernel,
		     const struct hv_image *initrd, struct vm_linux *lx)
{
	const struct cfg_guest *g = vm->cfg;
	struct linux_guest_params p = { 0 };
	char err[120];

	if (check_files(vm, kernel, initrd))
		return -1;
	lx->kernel = kernel;
	lx->initrd = g->initrd[0] ? initrd : NULL;
	if (linux_bzimage_parse(phys_to_virt(kernel->pa), kernel->size, &lx->bz,
				err, sizeof(err))) {
		pr_err("%s: bad kernel %s: %s; not started\n", vm->name,
		       g->image, err);
		return -1;
	}
	if (platform_cmdline(vm, lx))
		return -1;
	p.ram_size = g->memory;
	/* The virtual PCI window (ECAM and BARs), so Linux never puts RAM
	 * or its own resources there. */
	p.mmio_base = HV_GUEST_ECAM_GPA;
	p.mmio_size = HV_GUEST_MMIO_END - HV_GUEST_ECAM_GPA;
	p.initrd_size = lx->initrd ? lx->initrd->size : 0;
	p.cmdline = lx->cmdline;
	if (linux_layout_compute(&lx->bz, &p, &lx->lay, err, sizeof(err))) {
		pr_err("%s: kernel %s cannot be placed in %llu MiB: %s; not started\n",
		       vm->name, g->image, g->memory >> 20, err);
		return -1;
	}
	return 0;
}

/* One processor entry (the one vCPU) for the CPU Linux will see. */
static int write_mptable(struct vm *vm)
{
	struct cpuid_regs r = cpuid(1, 0);
	struct mptable_cfg cfg = { 1, r.eax, r.edx };
	u8 buf[MPF_SIZE + MPC_HDR_SIZE + MPC_CPU_SIZE + MPC_BUS_SIZE];
	u32 n = mptable_build(buf, sizeof(buf), LINUX_MPTABLE_GPA, &cfg);

	return n ? guest_mem_write(&vm->mem, LINUX_MPTABLE_GPA, buf, n) : -1;
}

/* LVT LINT0 delivery mode ExtINT (SDM Vol. 3A §11.5.1, Figure 11-8). */
#define LVT_DM_MASK (7u << 8)
#define LVT_DM_EXTINT (7u << 8)

u8 vm_linux_extint(const struct vm *vm)
{
	u32 lint0 = vm->lapic.lvt[VLAPIC_LVT_LINT0] ^ VLAPIC_LVT_MASKED;

	if (!vm->cfg->is_linux || (lint0 & VLAPIC_LVT_MASKED) ||
	    (lint0 & LVT_DM_MASK) != LVT_DM_EXTINT)
		return 0;
	return vpic_pending(&vm->pic);
}

/* The loader's entry state in the backend-neutral form. */
static void entry_state(const struct linux_layout *lay, struct vm_linux_entry *out)
{
	struct linux_entry_state st;
	struct vcpu_boot_state *b = &out->b;

	linux_entry_state(lay, &st);
	memset(b, 0, sizeof(*b));
	b->rip = st.rip;
	b->rsp = st.rsp;
	b->rflags = st.rflags;
	b->cr0 = st.cr0;
	b->cr3 = st.cr3;
	b->cr4 = st.cr4;
	/* NX on, as a 64-bit firmware leaves it: the decompressor's page
	 * tables may already carry NX bits. */
	b->efer = st.efer | EFER_NXE;
	b->gdt_base = st.gdt_base;
	b->gdt_limit = st.gdt_limit;
	b->cs = st.cs;
	b->ds = st.ds;
	out->rsi = st.rsi;
}

int vm_linux_load(struct vm *vm, const struct vm_linux *lx)
{
	const struct linux_layout *lay = &lx->lay;
	const void *initrd = lx->initrd ? phys_to_virt(lx->initrd->pa) : NULL;

	if (linux_load(&lx->bz, phys_to_virt(lx->kernel->pa), lay, initrd,
		       lx->cmdline, vm_mem_write, &vm->mem) ||
	    write_mptable(vm)) {
		pr_err("%s: could not write the kernel into guest memory\n",
		       vm->name);
		return -1;
	}
	entry_state(lay, &vm->linux_entry);
	vm->entry = lay->entry64;
	pr_info("%s: Linux boot protocol %u.%02u, kernel %llu KiB at %#llx (init_size %llu MiB), initrd %llu KiB at %#llx, cmdline %llu bytes, %u e820 entries\n",
		vm->name, lx->bz.version >> 8, lx->bz.version & 0xff,
		lx->bz.kernel_size >> 10, lay->kernel_gpa,
		(u64)lx->bz.init_size >> 20, lay->initrd_size >> 10,
		lay->initrd_gpa, lay->cmdline_len, lay->e820_entries);
	return 0;
}
