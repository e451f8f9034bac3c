// SPDX-License-Identifier: MIT
/*
 * Setting a guest up: its RAM (vmm/guest_mem.c), the ELF image loaded into
 * it, nested page tables and the guest's own identity-mapped tables and
 * GDT, the boot-info page, and for a guest with devices an IOMMU domain
 * built from the same memory map. vm_teardown() undoes all of it, for a
 * guest that ran and for one whose setup failed half-way.
 */
#define LOG_SUBSYS "vmm"
#include "iommu/iommu.h"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/timer.h"
#include "kernel/wallclock.h"
#include "lib/format.h"
#include "lib/hv_abi.h"
#include "lib/string.h"
#include "vmm/assign.h"
#include "vmm/elf.h"
#include "vmm/guest_x86.h"
#include "vmm/vm.h"
#include "vmm/vm_linux.h"

/* The GiB holding HV_GUEST_MMIO_BASE, mapped uncached for devices. */
#define GUEST_MMIO_GIB (HV_GUEST_MMIO_BASE / SZ_1G)

/* ---- memory callbacks over the kernel's allocator ---------------------- */

static u64 gm_alloc(void *ctx, u64 npages, u64 align)
{
	return frame_alloc_below(npages, align, 0);
}

static void gm_free(void *ctx, u64 pa, u64 npages)
{
	frame_free(pa, npages);
}

static void *gm_p2v(void *ctx, u64 pa)
{
	return phys_to_virt(pa);
}

static const struct gm_ops kernel_gm_ops = { gm_alloc, gm_free, gm_p2v, NULL };

static u64 npt_alloc(void *ctx)
{
	return frame_alloc(1);
}

static void npt_free(void *ctx, u64 pa)
{
	frame_free(pa, 1);
}

static const struct pt_env npt_env = {
	.alloc_table = npt_alloc,
	.free_table = npt_free,
	.phys_to_virt = gm_p2v,
};

int vm_mem_write(void *ctx, u64 gpa, const void *src, u64 len)
{
	return guest_mem_write(ctx, gpa, src, len);
}

/* Identity map of guest RAM with 2 MiB pages, inside guest RAM. */
static int build_guest_tables(struct vm *vm)
{
	u64 gigs = ALIGN_UP(vm->mem.size, SZ_1G) / SZ_1G, pml4e, i;
	u64 pdpt = HV_GUEST_PT_BASE + PAGE_SIZE;
	u64 pd0 = pdpt + PAGE_SIZE;
	u64 gdt[3] = { 0, GUEST_GDT_CODE64, GUEST_GDT_DATA };

	if (pd0 + gigs * PAGE_SIZE > HV_GUEST_RESERVED_END || gigs > 512)
		return -1;
	if (vm->ndevs) {
		/* Assigned devices' registers: one uncached 1 GiB page. */
		u64 pdpte = GUEST_MMIO_GIB * SZ_1G | GPTE_P | GPTE_RW |
			    GPTE_PWT | GPTE_PCD | GPTE_PS;

		if (gigs > GUEST_MMIO_GIB ||
		    guest_mem_write(&vm->mem, pdpt + GUEST_MMIO_GIB * 8,
				    &pdpte, 8))
			return -1;
	}
	pml4e = pdpt | GPTE_P | GPTE_RW;
	if (guest_mem_write(&vm->mem, HV_GUEST_PT_BASE, &pml4e, 8))
		return -1;
	for (i = 0; i < gigs; i++) {
		u64 pdpte = (pd0 + i * PAGE_SIZE) | GPTE_P | GPTE_RW, j;

		if (guest_mem_write(&vm->mem, pdpt + i * 8, &pdpte, 8))
			return -1;
		for (j = 0; j < 512; j++) {
			u64 gpa = i * SZ_1G + j * SZ_2M;
			u64 pde = gpa | GPTE_P | GPTE_RW | GPTE_PS;

			if (gpa >= vm->mem.size)
				break;
			if (guest_mem_write(&vm->mem, pd0 + i * PAGE_SIZE + j * 8,
					    &pde, 8))
				return -1;
		}
	}
	return guest_mem_write(&vm->mem, HV_GUEST_GDT_BASE, gdt, sizeof(gdt));
}

/*
 * The boot info's vm_exits, written by the vCPU loop before each entry:
 * the guest reads its exit count with no exit of its own (ABI version 5).
 */
static int vm_share_exit_count(struct vm *vm)
{
	u64 gpa = HV_GUEST_BOOTINFO_GPA + offsetof(struct hv_boot_info, vm_exits);
	u64 avail;

	vm->bi_exits = guest_mem_ptr(&vm->mem, gpa, sizeof(u64), &avail);
	return vm->bi_exits && avail == sizeof(u64) ? 0 : -1;
}

static int write_boot_info(struct vm *vm)
{
	static struct hv_boot_info bi;	/* only the BSP sets guests up */
	u32 i;

	memset(&bi, 0, sizeof(bi));
	bi.magic = HV_GUEST_BOOTINFO_MAGIC;
	bi.version = HV_ABI_VERSION;
	bi.vcpus = 1;
	bi.hypercall_insn = vm_ops->hypercall_insn;
	bi.nmem = 1;
	bi.mem[0].gpa = 0;
	bi.mem[0].size = vm->mem.size;
	for (i = 0; i < vm->ndevs && i < HV_BI_MAX_DEV; i++)
		bi.dev[i] = vm->devs[i].info;
	bi.ndev = i;
	bi.vtimer_hz = HV_VTIMER_HZ;
	bi.tsc_hz = tsc_hz();
	bi.ecam_gpa = vm->pci ? HV_GUEST_ECAM_GPA : 0;
	strlcpy(bi.name, vm->name, sizeof(bi.name));
	strlcpy(bi.cmdline, vm->cfg->cmdline, sizeof(bi.cmdline));
	if (guest_mem_write(&vm->mem, HV_GUEST_BOOTINFO_GPA, &bi, sizeof(bi)))
		return -1;
	return vm_share_exit_count(vm);
}

static int iommu_map_range(void *ctx, u64 gpa, u64 hpa, u64 size)
{
	return iommu_map(ctx, gpa, hpa, size, IOMMU_READ | IOMMU_WRITE);
}

/*
 * The fault policy for a guest's domain: a device of this guest tried DMA
 * outside the guest's memory. Runs on the CPU taking the VT-d fault
 * interrupt; the guest is stopped, its vCPU kicked out of guest mode.
 */
static void vm_dma_fault(void *ctx, const struct iommu_fault *f)
{
	char why[sizeof(((struct vm *)0)->async_reason)];
	u16 rid = f->rid;

	if (f->interrupt)
		fmt_snprintf(why, sizeof(why),
			     "interrupt request by %02x:%02x.%u refused: entry %u, %s (IOMMU fault reason %#x)",
			     rid >> 8, (rid >> 3) & 0x1f, rid & 7,
			     f->irq_index, f->reason, f->code);
	else
		fmt_snprintf(why, sizeof(why),
			     "DMA %s GPA %#llx by %02x:%02x.%u outside its memory (IOMMU fault reason %#x)",
			     f->write ? "write to" : "read from", f->addr,
			     rid >> 8, (rid >> 3) & 0x1f, rid & 7, f->code);
	vm_request_stop(ctx, why);
}

static void vm_build_iommu_domain(struct vm *vm)
{
	int err;

	if (!vm->cfg->ndevices)
		return;
	if (!iommu_present()) {
		pr_warn("%s: %u device(s) requested, but there is no IOMMU: none assigned\n",
			vm->name, vm->cfg->ndevices);
		return;
	}
	vm->iommu = iommu_domain_create(vm->name);
	if (!vm->iommu) {
		pr_err("%s: no IOMMU domain available\n", vm->name);
		return;
	}
	err = guest_mem_walk(&vm->mem, iommu_map_range, vm->iommu);
	if (err) {
		pr_err("%s: IOMMU map failed: %s\n", vm->name,
		       iommu_strerror(err));
		iommu_domain_destroy(vm->iommu);
		vm->iommu = NULL;
		return;
	}
	iommu_set_fault_handler(vm->iommu, vm_dma_fault, vm);
	pr_info("%s: IOMMU domain built from the guest memory map (%u range(s), %llu MiB)\n",
		vm->name, vm->mem.nranges, vm->mem.size >> 20);
}

/*
 * A guest with devices gets an IOMMU domain built from the same GPA->HPA
 * map as its nested page tables, so device DMA sees exactly guest RAM.
 */
static void vm_uart_putc(void *ctx, char c)
{
	vm_putc(ctx, c);
}

/* COM1's ISA interrupt (a Linux guest's 8250 driver sends from it). */
#define VM_UART_ISA_IRQ 4

static void vm_uart_irq(void *ctx)
{
	struct vm *vm = ctx;

	vpic_raise(&vm->pic, VM_UART_ISA_IRQ);
}

const char *vm_image_state(const struct hv_image *img)
{
	return img->status == HV_IMAGE_EMPTY ? "is empty (0 bytes)" :
	       "could not be loaded (see the [boot] line)";
}

/* The guest's image is an ELF file it was linked for: check it. */
static int elf_prepare(struct vm *vm, const struct hv_image *img,
		       struct elf_image *elf)
{
	const struct cfg_guest *g = vm->cfg;
	char err[120];

	if (img->status != HV_IMAGE_LOADED) {
		pr_err("%s: image %s %s; not started\n", vm->name, g->image,
		       vm_image_state(img));
		return -1;
	}
	if (elf_parse(phys_to_virt(img->pa), img->size, HV_GUEST_LOAD_MIN,
		      g->memory, elf, err, sizeof(err))) {
		pr_err("%s: bad image %s: %s; not started\n", vm->name,
		       g->image, err);
		return -1;
	}
	return 0;
}

static int elf_place(struct vm *vm, const struct hv_image *img,
		     const struct elf_image *elf)
{
	if (elf_load(elf, phys_to_virt(img->pa), vm_mem_write, &vm->mem)) {
		pr_err("%s: could not load the image into guest memory\n",
		       vm->name);
		return -1;
	}
	vm->entry = elf->entry;
	vm_integrity_record(vm, elf);
	return 0;
}

int vm_setup(struct vm *vm, const struct hv_image *img,
	     const struct hv_image *initrd)
{
	const struct cfg_guest *g = vm->cfg;
	/* static: large, and only the BSP sets guests up, one at a time */
	static struct vm_linux lx;
	struct elf_image elf;
	char kind[24];
	u64 pi;
	int rc;

	vm->uart = (struct vuart){ .putc = vm_uart_putc, .ctx = vm,
				   .irq = g->is_linux ? vm_uart_irq : NULL };
	vrtc_init(&vm->rtc, wallclock_ns());
	if (g->memory < HV_GUEST_MIN_MEMORY) {
		pr_err("%s: memory %llu KiB is too small (at least 2 MiB)\n",
		       vm->name, g->memory >> 10);
		return -1;
	}
	if (g->is_linux ? vm_linux_prepare(vm, img, initrd, &lx) :
			  elf_prepare(vm, img, &elf))
		return -1;
	if (guest_mem_alloc(&vm->mem, g->memory, &kernel_gm_ops)) {
		pr_err("%s: out of memory for %llu MiB of guest RAM\n",
		       vm->name, g->memory >> 20);
		return -1;
	}
	pi = frame_alloc(1);
	if (!pi)
		goto fail;
	vm->vcpu.pi = phys_to_virt(pi);
	if (g->is_linux ? vm_linux_load(vm, &lx) : elf_place(vm, img, &elf))
		goto fail;
	rc = pt_create(&vm->npt, vm_ops->nested_fmt, 4,
		       vm_ops->nested_page_sizes, &npt_env);
	if (!rc)
		rc = guest_mem_map_into(&vm->mem, &vm->npt);
	if (rc) {
		pr_err("%s: nested page tables: %s\n", vm->name,
		       pt_strerror(rc));
		goto fail;
	}
	vm->vcpu.nested_root = vm->npt.root;
	if (g->is_linux)
		strlcpy(kind, "Linux bzImage", sizeof(kind));
	else
		fmt_snprintf(kind, sizeof(kind), "%u segment(s)", elf.nsegs);
	pr_info("%s: %s, %s, entry %#llx; %llu MiB RAM in %u range(s) (%u 2M-aligned) from HPA %#llx; %s root %#llx\n",
		vm->name, g->image, kind, vm->entry, vm->mem.size >> 20,
		vm->mem.nranges, vm->mem.large_runs, vm->mem.range[0].hpa,
		vm_ops->nested_fmt->name, vm->npt.root);
	if (g->vcpus > 1)
		pr_warn("%s: cpus = %u requested; running 1 vCPU (SMP guests are not supported yet)\n",
			vm->name, g->vcpus);
	vm_build_iommu_domain(vm);
	if (vm_assign_devices(vm)) {
		pr_err("%s: not started: its devices could not be assigned\n",
		       vm->name);
		goto fail;
	}
	/* A Linux guest builds its own tables from what the loader wrote. */
	if (!g->is_linux && (build_guest_tables(vm) || write_boot_info(vm))) {
		pr_err("%s: could not lay out guest memory\n", vm->name);
		goto fail;
	}
	return 0;
fail:
	vm_teardown(vm);
	return -1;
}

/*
 * The one way a guest's resources go back, whether it ran or its setup
 * stopped half-way: devices are quiesced and detached before their domain
 * and the memory they could reach go. Each step tolerates "never done".
 */
void vm_teardown(struct vm *vm)
{
	vm_release_devices(vm);
	iommu_domain_destroy(vm->iommu);
	vm->iommu = NULL;
	pt_destroy(&vm->npt);
	vm->bi_exits = NULL;		/* it points into the memory below */
	guest_mem_free(&vm->mem);
	if (vm->vcpu.pi) {
		frame_free(virt_to_phys(vm->vcpu.pi), 1);
		vm->vcpu.pi = NULL;
	}
}
