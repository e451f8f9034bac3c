// SPDX-License-Identifier: MIT
/*
 * Intel VMX backend of the vCPU interface (SDM Vol. 3C chapters 23-31).
 *
 * VMXON on each CPU that runs a vCPU (IA32_FEATURE_CONTROL locked by the
 * firmware with VMX outside SMX, or left unlocked and then locked here),
 * one VMCS per vCPU with controls computed from the TRUE_* capability
 * MSRs as (want | allowed0) & allowed1, EPT (4-level, write-back) built by
 * kernel/pagetable.c from the guest memory map, a VPID per vCPU, I/O and
 * MSR bitmaps that send everything to the VMM but the MSRs the guest owns
 * (swapped by the VMCS and the MSR areas: vmm/vmx_msr.h), HLT and
 * external-interrupt exiting. Guests enter in 64-bit mode, so unrestricted guest is not
 * needed.
 *
 * Interrupts: with posted-interrupt processing (pin-based bit 7, plus
 * virtual-interrupt delivery, x2APIC virtualization, the TPR shadow and
 * acknowledge-interrupt-on-exit) the CPU itself delivers what is posted
 * in the vCPU's PI descriptor: before an entry with ON set we send the
 * notification vector to ourselves with IF clear, and the guest's EOI
 * does not exit (Bochs 3.0 offers this). Without it (Bochs 2.7) the
 * generic code names one pending vector per entry; it is injected as an
 * external interrupt when the guest can take it (RFLAGS.IF and no STI/MOV
 * SS blocking, §26.3.1.5), otherwise interrupt-window exiting brings us
 * back when it can.
 *
 * A failed VM entry is reported with the VM-instruction error number and
 * its name (§31.4), or with the exit qualification for an invalid guest
 * state (§26.8).
 */
#define LOG_SUBSYS "vmx"
#include "kernel/apic.h"
#include "kernel/cpu.h"
#include "kernel/gdt.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/percpu.h"
#include "kernel/trap.h"
#include "lib/format.h"
#include "lib/hv_abi.h"
#include "lib/string.h"
#include "vmm/vcpu.h"
#include "vmm/vmx_msr.h"
#include "vmm/vmx_regs.h"

int vmx_enter(u64 *gpr, u32 launched);
extern char vmx_exit_point[];

struct vmx_vcpu {
	u64 vmcs_pa;
	u64 io_bitmap_pa;	/* A and B: two pages */
	u64 msr_bitmap_pa;
	u64 msr_area_pa;	/* the guest's MSRs, then the host's (vmx_msr.h) */
	bool launched;
	bool event_queued;	/* an exception is in ENTRY_INTR_INFO */
	u32 reinject_info, reinject_error;
	u64 last_exit_rip;
	u32 cpu_ctls;
	u64 vapic_pa;		/* virtual-APIC page (posted interrupts) */
	bool flush_ept;		/* flush_nested() asked for it */
};

/* The EPT pointer of v's nested tables (§24.6.11). */
static u64 eptp_of(const struct vcpu *v)
{
	return v->nested_root | EPTP_WALK_4 | EPTP_WB;
}

static u64 vmxon_pa[HV_MAX_CPUS];
static u64 vmx_basic;
static u32 pin_ctls, cpu_ctls, cpu2_ctls, exit_ctls, entry_ctls;
static u64 ept_caps;		/* IA32_VMX_EPT_VPID_CAP */
static bool has_posted, use_posted;
static const struct vcpu_ops vmx_ops, vmx_posted_ops;
static u8 pi_vector;		/* posted-interrupt notification vector */

static const char *const vm_errors[] = {
	[1] = "VMCALL executed in VMX root operation",
	[2] = "VMCLEAR with invalid physical address",
	[3] = "VMCLEAR with VMXON pointer",
	[4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS",
	[6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control field(s)",
	[8] = "VM entry with invalid host-state field(s)",
	[9] = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
	[13] = "VMWRITE to read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[16] = "VM entry with invalid executive-VMCS pointer",
	[17] = "VM entry with non-launched executive VMCS",
	[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

static const char *vm_error_name(u64 n)
{
	return n < ARRAY_SIZE(vm_errors) && vm_errors[n] ? vm_errors[n] :
							   "unknown";
}

/* ---- VMX instructions (SDM Vol. 3C §30.3): CF or ZF set = failure ---- */

static int vmwrite(u64 field, u64 value)
{
	u8 fail;

	__asm__ volatile("vmwrite %2, %1; setna %0"
			 : "=q"(fail) : "r"(field), "r"(value) : "cc", "memory");
	return fail ? -1 : 0;
}

static u64 vmread(u64 field)
{
	u64 v = 0;

	__asm__ volatile("vmread %1, %0" : "=r"(v) : "r"(field) : "cc");
	return v;
}

/* VMXON, VMCLEAR, VMPTRLD take the address of a 64-bit physical pointer. */
#define DEFINE_VMX_PA_INSN(name)                                            \
	static int name(u64 pa)                                             \
	{                                                                   \
		u8 fail;                                                    \
                                                                            \
		__asm__ volatile(#name " %1; setna %0"                      \
				 : "=q"(fail) : "m"(pa) : "cc", "memory");  \
		return fail ? -1 : 0;                                       \
	}
DEFINE_VMX_PA_INSN(vmxon)
DEFINE_VMX_PA_INSN(vmclear)
DEFINE_VMX_PA_INSN(vmptrld)
#undef DEFINE_VMX_PA_INSN

/* ---- capabilities ------------------------------------------------------ */

/* (want | allowed0) & allowed1 (SDM Vol. 3C Appendix A.3-A.5). */
static u32 adjust_ctls(u32 msr, u32 true_msr, u32 want, const char *name)
{
	u64 cap = rdmsr((vmx_basic & VMX_BASIC_TRUE_CTLS) && true_msr ?
			true_msr : msr);
	u32 v = (want | (u32)cap) & (u32)(cap >> 32);

	if ((v & want) != want)
		pr_warn("%s controls: wanted %#x, CPU allows %#x (missing %#x)\n",
			name, want, (u32)(cap >> 32), want & ~v);
	return v;
}

/* The notification vector seen in root mode (the guest was not running):
 * nothing to do, the PIR is processed at the next entry. */
static void pi_notify_handler(struct regs *regs)
{
}

/*
 * Posted-interrupt processing needs virtual-interrupt delivery, the TPR
 * shadow and acknowledge-interrupt-on-exit (SDM Vol. 3C §26.2.1.1); with
 * x2APIC virtualization the guest's EOI (MSR 0x80b) does not exit.
 */
static bool vmx_posted_usable(void)
{
	u32 need = CPU2_VIRTUAL_INTR_DELIVERY | CPU2_VIRTUALIZE_X2APIC;

	return has_posted &&
	       ((rdmsr(MSR_VMX_PROCBASED_CTLS2) >> 32) & need) == need &&
	       apic_is_x2apic();
}

/*
 * Instructions the guest's CPUID shows but that raise #UD in VMX non-root
 * operation unless a secondary control enables them (SDM Vol. 3C
 * §25.3): RDTSCP and RDPID, which Linux uses for rdtsc_ordered() and
 * getcpu, and INVPCID, which it uses to flush with PCIDs.
 */
static u32 cpu2_for_cpuid(void)
{
	struct cpuid_regs ext = cpuid(0x80000001, 0), l7 = cpuid(7, 0);
	u32 want = 0;

	if ((ext.edx & CPUID81_EDX_RDTSCP) || (l7.ecx & CPUID7_ECX_RDPID))
		want |= CPU2_ENABLE_RDTSCP;
	if (l7.ebx & CPUID7_EBX_INVPCID)
		want |= CPU2_ENABLE_INVPCID;
	return want;
}

/* The controls every VMCS gets, with or without posted interrupts. */
static void vmx_compute_ctls(bool posted)
{
	pin_ctls = adjust_ctls(MSR_VMX_PINBASED_CTLS, MSR_VMX_TRUE_PINBASED_CTLS,
			       PIN_EXT_INTR_EXITING | PIN_NMI_EXITING |
			       (posted ? PIN_POSTED_INTR : 0), "pin-based");
	/* Without the TPR shadow, MOV CR8 would reach the physical APIC's
	 * TPR (§25.3): a guest could mask the host's interrupts. It exits
	 * instead (SVM's V_INTR_MASKING gives the guest a virtual one). */
	cpu_ctls = adjust_ctls(MSR_VMX_PROCBASED_CTLS, MSR_VMX_TRUE_PROCBASED_CTLS,
			       CPU_HLT_EXITING | CPU_MWAIT_EXITING |
			       CPU_MONITOR_EXITING | CPU_USE_IO_BITMAPS |
			       CPU_USE_MSR_BITMAPS | CPU_SECONDARY_CTLS |
			       (posted ? CPU_USE_TPR_SHADOW :
					 CPU_CR8_LOAD_EXITING | CPU_CR8_STORE_EXITING),
			       "processor-based");
	cpu2_ctls = adjust_ctls(MSR_VMX_PROCBASED_CTLS2, 0,
				CPU2_ENABLE_EPT | CPU2_ENABLE_VPID |
				CPU2_WBINVD_EXITING | cpu2_for_cpuid() |
				(posted ? CPU2_VIRTUAL_INTR_DELIVERY |
					  CPU2_VIRTUALIZE_X2APIC : 0),
				"secondary");
	exit_ctls = adjust_ctls(MSR_VMX_EXIT_CTLS, MSR_VMX_TRUE_EXIT_CTLS,
				EXIT_HOST_ADDR_SPACE_SIZE | EXIT_SAVE_EFER |
				EXIT_LOAD_EFER |
				(posted ? EXIT_ACK_INTR_ON_EXIT : 0),
				"VM-exit");
	entry_ctls = adjust_ctls(MSR_VMX_ENTRY_CTLS, MSR_VMX_TRUE_ENTRY_CTLS,
				 ENTRY_IA32E_MODE | ENTRY_LOAD_EFER, "VM-entry");
}

/*
 * Reads what the CPU offers and picks the ops table that fits; nothing is
 * allocated here (vmx_posted_ops.init takes the notification vector).
 */
const struct vcpu_ops *vmx_probe(void)
{
	u64 fc, ept;

	if (!(cpuid(1, 0).ecx & CPUID1_ECX_VMX))
		return NULL;
	fc = rdmsr(MSR_FEATURE_CONTROL);
	if ((fc & FEATURE_CONTROL_LOCK) &&
	    !(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX)) {
		pr_err("VMX disabled by the firmware: IA32_FEATURE_CONTROL %#llx is locked without VMX outside SMX\n",
		       fc);
		return NULL;
	}
	vmx_basic = rdmsr(MSR_VMX_BASIC);
	has_posted = (rdmsr((vmx_basic & VMX_BASIC_TRUE_CTLS) ?
			    MSR_VMX_TRUE_PINBASED_CTLS : MSR_VMX_PINBASED_CTLS) >> 32) &
		     PIN_POSTED_INTR;
	use_posted = vmx_posted_usable();
	vmx_compute_ctls(use_posted);
	ept = (cpu_ctls & CPU_SECONDARY_CTLS) ? rdmsr(MSR_VMX_EPT_VPID_CAP) : 0;
	ept_caps = ept;
	pr_info("VMX rev %llu, TRUE controls %s, IA32_FEATURE_CONTROL %#llx (%s), EPT %s%s%s, VPID %s, posted interrupts %s\n",
		vmx_basic & VMX_BASIC_REVISION_MASK,
		(vmx_basic & VMX_BASIC_TRUE_CTLS) ? "yes" : "no", fc,
		(fc & FEATURE_CONTROL_LOCK) ? "locked" :
					      "unlocked: will lock with VMX outside SMX",
		(cpu2_ctls & CPU2_ENABLE_EPT) ? "yes" : "NO",
		(ept & EPT_CAP_WALK_4) ? " 4-level" : "",
		(ept & EPT_CAP_2M) ? " 2M" : "",
		(cpu2_ctls & CPU2_ENABLE_VPID) ? "yes" : "no",
		use_posted ? "used" : has_posted ? "offered, not usable" :
			     "not offered");
	if (!(cpu2_ctls & CPU2_ENABLE_EPT) || !(ept & EPT_CAP_WALK_4) ||
	    !(ept & EPT_CAP_WB) || !(entry_ctls & ENTRY_IA32E_MODE)) {
		pr_err("need EPT with 4-level walks and write-back, and 64-bit guests\n");
		return NULL;
	}
	return use_posted ? &vmx_posted_ops : &vmx_ops;
}

/* Once, on the BSP, for the posted table: the notification vector. */
static int vmx_init_posted(void)
{
	pi_vector = irq_alloc_vector(pi_notify_handler);
	if (!pi_vector)
		pr_err("no free vector for posted-interrupt notification\n");
	return pi_vector ? 0 : -1;
}

/* Sensitive instructions: exit code -> class and mnemonic. */
static const struct vinsn_code vmx_insns[] = {
	{ EXIT_REASON_VMCLEAR, VINSN_VIRT, "vmclear" },
	{ EXIT_REASON_VMLAUNCH, VINSN_VIRT, "vmlaunch" },
	{ EXIT_REASON_VMPTRLD, VINSN_VIRT, "vmptrld" },
	{ EXIT_REASON_VMPTRST, VINSN_VIRT, "vmptrst" },
	{ EXIT_REASON_VMREAD, VINSN_VIRT, "vmread" },
	{ EXIT_REASON_VMRESUME, VINSN_VIRT, "vmresume" },
	{ EXIT_REASON_VMWRITE, VINSN_VIRT, "vmwrite" },
	{ EXIT_REASON_VMXOFF, VINSN_VIRT, "vmxoff" },
	{ EXIT_REASON_VMXON, VINSN_VIRT, "vmxon" },
	{ EXIT_REASON_INVEPT, VINSN_VIRT, "invept" },
	{ EXIT_REASON_INVVPID, VINSN_VIRT, "invvpid" },
	{ EXIT_REASON_VMFUNC, VINSN_VIRT, "vmfunc" },
	{ EXIT_REASON_GETSEC, VINSN_GETSEC, "getsec" },
	{ EXIT_REASON_XSETBV, VINSN_XSETBV, "xsetbv" },
	{ EXIT_REASON_INVD, VINSN_INVD, "invd" },
	{ EXIT_REASON_WBINVD, VINSN_WBINVD, "wbinvd" },
	{ EXIT_REASON_MONITOR, VINSN_MONITOR, "monitor" },
	{ EXIT_REASON_MWAIT, VINSN_MWAIT, "mwait" },
};

/* ---- per-CPU VMXON ----------------------------------------------------- */

static int vmx_cpu_init(void)
{
	struct percpu *p = this_cpu();
	u64 fc = rdmsr(MSR_FEATURE_CONTROL), pa;

	if (vmxon_pa[p->index])
		return 0;
	if (!(fc & FEATURE_CONTROL_LOCK)) {
		wrmsr(MSR_FEATURE_CONTROL, fc | FEATURE_CONTROL_LOCK |
					   FEATURE_CONTROL_VMX_OUTSIDE_SMX);
		pr_info("cpu%u: IA32_FEATURE_CONTROL was unlocked: locked with VMX outside SMX\n",
			p->index);
	}
	/* CR0/CR4 bits VMX operation requires (§23.8, A.7, A.8) */
	write_cr0((read_cr0() | rdmsr(MSR_VMX_CR0_FIXED0)) &
		  rdmsr(MSR_VMX_CR0_FIXED1));
	write_cr4((read_cr4() | rdmsr(MSR_VMX_CR4_FIXED0) | CR4_VMXE) &
		  rdmsr(MSR_VMX_CR4_FIXED1));
	pa = frame_alloc(1);
	if (!pa)
		return -1;
	*(u32 *)phys_to_virt(pa) = (u32)(vmx_basic & VMX_BASIC_REVISION_MASK);
	if (vmxon(pa)) {
		pr_err("cpu%u: VMXON failed (region %#llx)\n", p->index, pa);
		frame_free(pa, 1);
		return -1;
	}
	vmxon_pa[p->index] = pa;
	pr_info("cpu%u: VMX on, VMXON region %#llx\n", p->index, pa);
	return 0;
}

/* ---- VMCS setup -------------------------------------------------------- */

struct sdt_ptr {
	u16 limit;
	u64 base;
} __packed;

static int setup_host_state(void)
{
	struct percpu *p = this_cpu();
	struct sdt_ptr idtr;
	int err = 0;

	__asm__ volatile("sidt %0" : "=m"(idtr));
	err |= vmwrite(VMCS_HOST_CR0, read_cr0());
	err |= vmwrite(VMCS_HOST_CR3, read_cr3());
	err |= vmwrite(VMCS_HOST_CR4, read_cr4());
	err |= vmwrite(VMCS_HOST_CS_SEL, GDT_KERNEL_CS);
	err |= vmwrite(VMCS_HOST_SS_SEL, GDT_KERNEL_DS);
	err |= vmwrite(VMCS_HOST_DS_SEL, GDT_KERNEL_DS);
	err |= vmwrite(VMCS_HOST_ES_SEL, GDT_KERNEL_DS);
	err |= vmwrite(VMCS_HOST_FS_SEL, 0);
	err |= vmwrite(VMCS_HOST_GS_SEL, 0);
	err |= vmwrite(VMCS_HOST_TR_SEL, GDT_TSS);
	err |= vmwrite(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	err |= vmwrite(VMCS_HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	err |= vmwrite(VMCS_HOST_TR_BASE, (u64)&p->gdt.tss);
	err |= vmwrite(VMCS_HOST_GDTR_BASE, (u64)p->gdt.entries);
	err |= vmwrite(VMCS_HOST_IDTR_BASE, idtr.base);
	err |= vmwrite(VMCS_HOST_SYSENTER_CS, 0);
	err |= vmwrite(VMCS_HOST_SYSENTER_ESP, 0);
	err |= vmwrite(VMCS_HOST_SYSENTER_EIP, 0);
	err |= vmwrite(VMCS_HOST_EFER, rdmsr(MSR_EFER));
	err |= vmwrite(VMCS_HOST_RIP, (u64)vmx_exit_point);
	return err;
}

/*
 * The guest's own MSRs (vmm/vmx_msr.h): the bitmap lets them through, and
 * those the VMCS does not hold are swapped by the MSR areas of one page,
 * the guest's list (loaded at entry, stored at exit) then the host's
 * (loaded at exit), read now on the CPU that runs the vCPU.
 */
static int setup_msrs(struct vmx_vcpu *s)
{
	struct vmx_msr_entry *guest = phys_to_virt(s->msr_area_pa);
	struct vmx_msr_entry *host = guest + PAGE_SIZE / 2 / sizeof(*guest);
	u32 i, n = vmx_guest_msrs(phys_to_virt(s->msr_bitmap_pa), guest,
				  cpu2_ctls & CPU2_ENABLE_RDTSCP);
	int err = 0;

	for (i = 0; i < n; i++)
		host[i] = (struct vmx_msr_entry){ .index = guest[i].index,
						  .value = rdmsr(guest[i].index) };
	err |= vmwrite(VMCS_ENTRY_MSR_LOAD_ADDR, s->msr_area_pa);
	err |= vmwrite(VMCS_ENTRY_MSR_LOAD_COUNT, n);
	err |= vmwrite(VMCS_EXIT_MSR_STORE_ADDR, s->msr_area_pa);
	err |= vmwrite(VMCS_EXIT_MSR_STORE_COUNT, n);
	err |= vmwrite(VMCS_EXIT_MSR_LOAD_ADDR, virt_to_phys(host));
	err |= vmwrite(VMCS_EXIT_MSR_LOAD_COUNT, n);
	return err;
}

static int setup_controls(struct vcpu *v, struct vmx_vcpu *s)
{
	int err = 0;

	s->cpu_ctls = cpu_ctls;
	err |= vmwrite(VMCS_PIN_CTLS, pin_ctls);
	err |= vmwrite(VMCS_CPU_CTLS, cpu_ctls);
	err |= vmwrite(VMCS_CPU_CTLS2, cpu2_ctls);
	err |= vmwrite(VMCS_EXIT_CTLS, exit_ctls);
	err |= vmwrite(VMCS_ENTRY_CTLS, entry_ctls);
	err |= vmwrite(VMCS_EXCEPTION_BITMAP, BIT(18));	/* #MC */
	err |= vmwrite(VMCS_IO_BITMAP_A, s->io_bitmap_pa);
	err |= vmwrite(VMCS_IO_BITMAP_B, s->io_bitmap_pa + PAGE_SIZE);
	err |= vmwrite(VMCS_MSR_BITMAP, s->msr_bitmap_pa);
	err |= vmwrite(VMCS_EPT_POINTER, eptp_of(v));
	if (cpu2_ctls & CPU2_ENABLE_VPID)
		err |= vmwrite(VMCS_VPID, v->id);
	err |= vmwrite(VMCS_LINK_POINTER, ~0ull);
	err |= setup_msrs(s);
	err |= vmwrite(VMCS_ENTRY_INTR_INFO, 0);
	/* The guest must run with CR4.VMXE (CR4_FIXED0); it reads it as 0. */
	err |= vmwrite(VMCS_CR4_MASK, CR4_VMXE);
	err |= vmwrite(VMCS_CR4_SHADOW, 0);
	err |= vmwrite(VMCS_CR0_MASK, 0);
	if (use_posted) {
		u8 *msrbm = phys_to_virt(s->msr_bitmap_pa);
		u32 i;

		err |= vmwrite(VMCS_POSTED_INTR_NV, pi_vector);
		err |= vmwrite(VMCS_POSTED_INTR_DESC, virt_to_phys(v->pi));
		err |= vmwrite(VMCS_VIRTUAL_APIC_PAGE, s->vapic_pa);
		err |= vmwrite(VMCS_TPR_THRESHOLD, 0);
		err |= vmwrite(VMCS_GUEST_INTR_STATUS, 0);
		for (i = 0; i < 4; i++)
			err |= vmwrite(VMCS_EOI_EXIT_BITMAP0 + 2 * i, 0);
		/* the guest's EOI is virtualized: let wrmsr 0x80b through */
		vmx_msr_bitmap_allow(msrbm, HV_MSR_X2APIC_EOI, false, true);
		pi_set_nv(v->pi, pi_vector,
			  pi_ndst(apic_id(), apic_is_x2apic()));
	}
	return err;
}

static int vmx_create(struct vcpu *v)
{
	struct vmx_vcpu *s;
	u64 page = frame_alloc(1);

	if (!page)
		return -1;
	s = phys_to_virt(page);
	s->vmcs_pa = frame_alloc(1);
	s->io_bitmap_pa = frame_alloc(2);
	s->msr_bitmap_pa = frame_alloc(1);
	s->msr_area_pa = frame_alloc(1);
	s->vapic_pa = use_posted ? frame_alloc(1) : 0;
	if (!s->vmcs_pa || !s->io_bitmap_pa || !s->msr_bitmap_pa ||
	    !s->msr_area_pa || (use_posted && !s->vapic_pa))
		goto fail;
	memset(phys_to_virt(s->io_bitmap_pa), 0xff, 2 * PAGE_SIZE);
	memset(phys_to_virt(s->msr_bitmap_pa), 0xff, PAGE_SIZE);
	memset(phys_to_virt(s->msr_area_pa), 0, PAGE_SIZE);
	*(u32 *)phys_to_virt(s->vmcs_pa) =
		(u32)(vmx_basic & VMX_BASIC_REVISION_MASK);
	if (vmclear(s->vmcs_pa) ||
	    vmptrld(s->vmcs_pa)) {
		pr_err("vCPU %u: VMCLEAR/VMPTRLD of %#llx failed\n", v->id,
		       s->vmcs_pa);
		goto fail;
	}
	if (setup_host_state() || setup_controls(v, s)) {
		pr_err("vCPU %u: VMWRITE failed: VM-instruction error %llu (%s)\n",
		       v->id, vmread(VMCS_INSTR_ERROR),
		       vm_error_name(vmread(VMCS_INSTR_ERROR)));
		goto fail;
	}
	v->backend = s;
	return 0;
fail:
	if (s->vmcs_pa)
		frame_free(s->vmcs_pa, 1);
	if (s->io_bitmap_pa)
		frame_free(s->io_bitmap_pa, 2);
	if (s->msr_bitmap_pa)
		frame_free(s->msr_bitmap_pa, 1);
	if (s->msr_area_pa)
		frame_free(s->msr_area_pa, 1);
	if (s->vapic_pa)
		frame_free(s->vapic_pa, 1);
	frame_free(page, 1);
	return -1;
}

static int set_seg(unsigned n, u16 sel, u32 ar, u32 limit, u64 base)
{
	u32 off = n * VMCS_SEG_STRIDE;

	return vmwrite(VMCS_GUEST_ES_SEL + off, sel) |
	       vmwrite(VMCS_GUEST_ES_LIMIT + off, limit) |
	       vmwrite(VMCS_GUEST_ES_AR + off, ar) |
	       vmwrite(VMCS_GUEST_ES_BASE + off, base);
}

enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR };

static int vmx_load_state(struct vcpu *v, const struct vcpu_boot_state *b)
{
	u64 cr0 = (b->cr0 | rdmsr(MSR_VMX_CR0_FIXED0)) & rdmsr(MSR_VMX_CR0_FIXED1);
	u64 cr4 = (b->cr4 | rdmsr(MSR_VMX_CR4_FIXED0)) & rdmsr(MSR_VMX_CR4_FIXED1);
	int err = 0;
	unsigned i;

	err |= set_seg(SEG_CS, b->cs, VMX_AR_CODE64, 0xffffffff, 0);
	for (i = SEG_ES; i <= SEG_GS; i++)
		if (i != SEG_CS)
			err |= set_seg(i, b->ds, VMX_AR_DATA, 0xffffffff, 0);
	err |= set_seg(SEG_LDTR, 0, VMX_AR_UNUSABLE, 0, 0);
	err |= set_seg(SEG_TR, 0, VMX_AR_TSS64, 0x67, 0);
	err |= vmwrite(VMCS_GUEST_GDTR_BASE, b->gdt_base);
	err |= vmwrite(VMCS_GUEST_GDTR_LIMIT, b->gdt_limit);
	err |= vmwrite(VMCS_GUEST_IDTR_BASE, 0);
	err |= vmwrite(VMCS_GUEST_IDTR_LIMIT, 0);
	err |= vmwrite(VMCS_GUEST_CR0, cr0);
	err |= vmwrite(VMCS_CR0_SHADOW, b->cr0);
	err |= vmwrite(VMCS_GUEST_CR3, b->cr3);
	err |= vmwrite(VMCS_GUEST_CR4, cr4);
	err |= vmwrite(VMCS_CR4_SHADOW, b->cr4);
	err |= vmwrite(VMCS_GUEST_EFER, b->efer);
	err |= vmwrite(VMCS_GUEST_DR7, 0x400);
	err |= vmwrite(VMCS_GUEST_RSP, b->rsp);
	err |= vmwrite(VMCS_GUEST_RIP, b->rip);
	err |= vmwrite(VMCS_GUEST_RFLAGS, b->rflags);
	err |= vmwrite(VMCS_GUEST_PENDING_DBG, 0);
	err |= vmwrite(VMCS_GUEST_SYSENTER_CS, 0);
	err |= vmwrite(VMCS_GUEST_SYSENTER_ESP, 0);
	err |= vmwrite(VMCS_GUEST_SYSENTER_EIP, 0);
	err |= vmwrite(VMCS_GUEST_INTERRUPTIBILITY, 0);
	err |= vmwrite(VMCS_GUEST_ACTIVITY, 0);
	if (err) {
		pr_err("vCPU %u: guest-state VMWRITE failed: error %llu (%s)\n",
		       v->id, vmread(VMCS_INSTR_ERROR),
		       vm_error_name(vmread(VMCS_INSTR_ERROR)));
		return -1;
	}
	v->rip = b->rip;
	v->gpr[GPR_RSP] = b->rsp;
	v->rflags = b->rflags;
	v->cr0 = b->cr0;
	v->cr3 = b->cr3;
	v->cr4 = b->cr4;
	v->efer = b->efer;
	return 0;
}

/* ---- running ----------------------------------------------------------- */

static void set_intr_window(struct vmx_vcpu *s, bool on)
{
	u32 want = on ? s->cpu_ctls | CPU_INTR_WINDOW_EXITING :
			s->cpu_ctls & ~CPU_INTR_WINDOW_EXITING;

	if (want != s->cpu_ctls) {
		s->cpu_ctls = want;
		vmwrite(VMCS_CPU_CTLS, want);
	}
}

/* Returns true if vec was put into the VM-entry interruption field. */
static bool queue_irq(struct vcpu *v, struct vmx_vcpu *s, u8 vec)
{
	u64 block;

	if (s->reinject_info) {
		vmwrite(VMCS_ENTRY_INTR_INFO, s->reinject_info);
		if (s->reinject_info & INTR_INFO_ERROR_VALID)
			vmwrite(VMCS_ENTRY_EXCEPTION_ERROR, s->reinject_error);
		s->reinject_info = 0;
		s->event_queued = true;
	}
	if (!vec || s->event_queued) {
		set_intr_window(s, vec != 0);
		return false;
	}
	block = vmread(VMCS_GUEST_INTERRUPTIBILITY);
	if (!(v->rflags & RFLAGS_IF) ||
	    (block & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOVSS))) {
		set_intr_window(s, true);	/* exit as soon as it can */
		return false;
	}
	set_intr_window(s, false);
	vmwrite(VMCS_ENTRY_INTR_INFO, INTR_INFO_VALID | INTR_TYPE_EXT_INTR | vec);
	return true;
}

static void decode_exit(struct vcpu *v, struct vcpu_exit *e)
{
	u64 reason = vmread(VMCS_EXIT_REASON);
	u64 qual = vmread(VMCS_EXIT_QUALIFICATION);
	u32 basic = reason & 0xffff;

	memset(e, 0, sizeof(*e));
	e->raw = reason;
	if (reason & EXIT_REASON_ENTRY_FAILURE) {
		e->reason = VEXIT_ENTRY_FAILED;
		if (basic == EXIT_REASON_INVALID_GUEST)
			fmt_snprintf(e->detail, sizeof(e->detail),
				     "invalid guest state (exit reason 33, qualification %llu)",
				     qual);
		else if (basic == EXIT_REASON_MSR_LOADING)
			fmt_snprintf(e->detail, sizeof(e->detail),
				     "MSR loading failed at entry %llu", qual);
		else
			fmt_snprintf(e->detail, sizeof(e->detail),
				     "exit reason %u during entry", basic);
		return;
	}
	if (vinsn_decode(vmx_insns, ARRAY_SIZE(vmx_insns), basic, e))
		return;
	switch (basic) {
	case EXIT_REASON_EXT_INTR:
	case EXIT_REASON_INTR_WINDOW:
		e->reason = VEXIT_INTR;
		return;
	case EXIT_REASON_EXCEPTION_NMI: {
		u32 info = (u32)vmread(VMCS_EXIT_INTR_INFO);

		if ((info & INTR_TYPE_MASK) == INTR_TYPE_NMI) {
			e->reason = VEXIT_INTR;
			return;
		}
		e->reason = VEXIT_EXCEPTION;
		e->vector = (u8)info;
		e->error_code = (u32)vmread(VMCS_EXIT_INTR_ERROR);
		return;
	}
	case EXIT_REASON_TRIPLE_FAULT:
		e->reason = VEXIT_SHUTDOWN;
		return;
	case EXIT_REASON_EPT_VIOLATION:
		e->reason = VEXIT_NPF;
		e->gpa = vmread(VMCS_GUEST_PHYS_ADDR);
		e->write = qual & EPT_QUAL_WRITE;
		e->fetch = qual & EPT_QUAL_FETCH;
		e->present = qual & EPT_QUAL_PRESENT_MASK;
		return;
	}
	/* Instruction exits: the CPU gives the length (§27.2.5). */
	e->next_rip = v->rip + vmread(VMCS_EXIT_INSTR_LEN);
	switch (basic) {
	case EXIT_REASON_HLT:
		e->reason = VEXIT_HLT;
		return;
	case EXIT_REASON_VMCALL:
		e->reason = VEXIT_HYPERCALL;
		return;
	case EXIT_REASON_CPUID:
		e->reason = VEXIT_CPUID;
		return;
	case EXIT_REASON_RDMSR:
		e->reason = VEXIT_MSR_READ;
		return;
	case EXIT_REASON_WRMSR:
		e->reason = VEXIT_MSR_WRITE;
		return;
	case EXIT_REASON_IO:
		e->reason = VEXIT_IO;
		e->size = (u8)((qual & IO_QUAL_SIZE_MASK) + 1);
		e->in = qual & IO_QUAL_IN;
		e->string = qual & IO_QUAL_STRING;
		e->rep = qual & IO_QUAL_REP;
		e->port = (u16)(qual >> IO_QUAL_PORT_SHIFT);
		return;
	}
	e->next_rip = 0;
	e->reason = VEXIT_UNHANDLED;
	if (basic == EXIT_REASON_CR_ACCESS)	/* CR8, or CR4.VMXE (the mask) */
		fmt_snprintf(e->detail, sizeof(e->detail), "mov %s cr%llu: %s",
			     ((qual >> CR_QUAL_TYPE_SHIFT) & CR_QUAL_TYPE_MASK) ?
				     "from" : "to", qual & CR_QUAL_NUM_MASK,
			     (qual & CR_QUAL_NUM_MASK) == 8 ?
				     "the task-priority register is not emulated" :
				     "a bit the VMM owns (CR4.VMXE)");
	else
		fmt_snprintf(e->detail, sizeof(e->detail), "VMX exit reason %u", basic);
}

/* Drops the guest-physical and combined mappings cached from v's EPT. */
static void invept_guest(struct vcpu *v)
{
	struct { u64 eptp, reserved; } desc = { eptp_of(v), 0 };
	u64 type = (ept_caps & EPT_CAP_INVEPT_SINGLE) ? INVEPT_SINGLE_CONTEXT :
							 INVEPT_ALL_CONTEXT;

	__asm__ volatile("invept %0, %1" : : "m"(desc), "r"(type) : "cc", "memory");
}

/* INVEPT before the next entry; refused without a usable INVEPT type. */
static int vmx_flush_nested(struct vcpu *v)
{
	if (!(ept_caps & EPT_CAP_INVEPT) ||
	    !(ept_caps & (EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL)))
		return -1;
	((struct vmx_vcpu *)v->backend)->flush_ept = true;
	return 0;
}

static void vmx_run(struct vcpu *v, struct vcpu_exit *e)
{
	struct vmx_vcpu *s = v->backend;
	u64 vect;
	bool irq_set;

	vmwrite(VMCS_GUEST_RIP, v->rip);
	vmwrite(VMCS_GUEST_RSP, v->gpr[GPR_RSP]);
	vmwrite(VMCS_GUEST_RFLAGS, v->rflags);
	vmwrite(VMCS_GUEST_EFER, v->efer);	/* an emulated WRMSR to EFER */
	/* We stepped over the instruction: its STI/MOV SS shadow is gone. */
	if (v->rip != s->last_exit_rip)
		vmwrite(VMCS_GUEST_INTERRUPTIBILITY,
			vmread(VMCS_GUEST_INTERRUPTIBILITY) &
			~(u64)(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOVSS));
	if (s->flush_ept) {
		invept_guest(v);
		s->flush_ept = false;
	}
	irq_set = queue_irq(v, s, v->pending_irq);
	/*
	 * Posted interrupts wait in the PIR until a notification arrives in
	 * non-root mode (§30.6): a self-IPI sent now, with IF clear, is
	 * taken right after the entry and processed without an exit.
	 */
	if (use_posted && pi_pending(v->pi))
		apic_send_ipi(apic_id(), ICR_FIXED | pi_vector);

	if (vmx_enter(v->gpr, s->launched)) {
		u64 err = vmread(VMCS_INSTR_ERROR);

		memset(e, 0, sizeof(*e));
		e->reason = VEXIT_ENTRY_FAILED;
		fmt_snprintf(e->detail, sizeof(e->detail),
			     "%s failed: VM-instruction error %llu (%s)",
			     s->launched ? "VMRESUME" : "VMLAUNCH", err,
			     vm_error_name(err));
		v->irq_taken = false;
		return;
	}
	s->launched = true;
	s->event_queued = false;
	v->rip = vmread(VMCS_GUEST_RIP);
	v->gpr[GPR_RSP] = vmread(VMCS_GUEST_RSP);
	v->rflags = vmread(VMCS_GUEST_RFLAGS);
	v->cr0 = vmread(VMCS_CR0_SHADOW);
	v->cr3 = vmread(VMCS_GUEST_CR3);
	v->cr4 = vmread(VMCS_CR4_SHADOW);
	v->efer = vmread(VMCS_GUEST_EFER);
	s->last_exit_rip = v->rip;
	v->irq_taken = irq_set;
	/* An event cut short by the exit goes in again (§27.2.4). */
	vect = vmread(VMCS_IDT_VECTORING_INFO);
	if (vect & INTR_INFO_VALID) {
		s->reinject_info = (u32)vect;
		s->reinject_error = (u32)vmread(VMCS_IDT_VECTORING_ERROR);
	}
	vmwrite(VMCS_ENTRY_INTR_INFO, 0);
	decode_exit(v, e);
	/*
	 * With acknowledge-interrupt-on-exit the host interrupt was taken
	 * from the APIC at the exit (§27.5.5): run its handler (and EOI) as
	 * the IDT would have.
	 */
	if (use_posted && e->reason == VEXIT_INTR &&
	    (vmread(VMCS_EXIT_REASON) & 0xffff) == EXIT_REASON_EXT_INTR) {
		u32 info = (u32)vmread(VMCS_EXIT_INTR_INFO);

		if (info & INTR_INFO_VALID) {
			struct regs r = { .vector = info & 0xff };

			interrupt_dispatch(&r);
		}
	}
}

/* Posted mode: RVI (guest interrupt status bits 7:0, §29.1.1) is the
 * highest vector the guest's virtual APIC has requested. */
static bool vmx_irq_pending(struct vcpu *v)
{
	return use_posted && (vmread(VMCS_GUEST_INTR_STATUS) & 0xff);
}

static void vmx_inject_exception(struct vcpu *v, u8 vec, bool has_error,
				 u32 error)
{
	struct vmx_vcpu *s = v->backend;

	vmwrite(VMCS_ENTRY_INTR_INFO, INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION |
				      (has_error ? INTR_INFO_ERROR_VALID : 0) | vec);
	if (has_error)
		vmwrite(VMCS_ENTRY_EXCEPTION_ERROR, error);
	s->event_queued = true;
}

static void vmx_destroy(struct vcpu *v)
{
	struct vmx_vcpu *s = v->backend;

	if (!s)
		return;
	vmclear(s->vmcs_pa);
	frame_free(s->vmcs_pa, 1);
	frame_free(s->io_bitmap_pa, 2);
	frame_free(s->msr_bitmap_pa, 1);
	frame_free(s->msr_area_pa, 1);
	if (s->vapic_pa)
		frame_free(s->vapic_pa, 1);
	frame_free(virt_to_phys(s), 1);
	v->backend = NULL;
}

#define VMX_OPS_COMMON                                   \
	.name = "vmx",                                   \
	.hypercall_insn = HV_HCALL_VMCALL,               \
	.nested_fmt = &pt_format_ept,                    \
	.nested_page_sizes = PT_4K | PT_2M,              \
	.cpu_init = vmx_cpu_init,                        \
	.create = vmx_create,                            \
	.load_state = vmx_load_state,                    \
	.run = vmx_run,                                  \
	.inject_exception = vmx_inject_exception,        \
	.destroy = vmx_destroy,                          \
	.irq_pending = vmx_irq_pending

static const struct vcpu_ops vmx_ops = {
	VMX_OPS_COMMON,
	.flush_nested = vmx_flush_nested,
};

static u8 vmx_notify_vector(void)
{
	return pi_vector;
}

/* From any CPU: the virtual-APIC page is memory the CPU updates. */
static bool vmx_vector_requested(const struct vcpu *v, u8 vec)
{
	const struct vmx_vcpu *s = v->backend;
	const volatile u32 *virr;

	if (!s || !s->vapic_pa)
		return false;
	virr = phys_to_virt(s->vapic_pa + VAPIC_IRR +
			    (vec / 32) * VAPIC_REG_STRIDE);
	return *virr & BIT(vec % 32);
}

/* The same with posted-interrupt processing: the CPU drains the PIR. */
static const struct vcpu_ops vmx_posted_ops = {
	VMX_OPS_COMMON,
	.hw_posted = true,
	.init = vmx_init_posted,
	.flush_nested = vmx_flush_nested,
	.notify_vector = vmx_notify_vector,
	.vector_requested = vmx_vector_requested,
};
