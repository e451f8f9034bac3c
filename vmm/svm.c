// SPDX-License-Identifier: MIT
/*
 * AMD SVM backend of the vCPU interface (AMD APM Vol. 2 chapter 15).
 *
 * One VMCB per vCPU, one host save area (VM_HSAVE_PA) and one VMSAVE area
 * per physical CPU. Intercepts: INTR (host interrupts always come back to
 * us), HLT, VMMCALL, every I/O port (IOPM all ones), every MSR (MSRPM all
 * ones), CPUID, shutdown, the SVM instructions themselves, and nested
 * page faults. NRIPS may be absent (QEMU TCG has none), so the generic
 * code computes the next RIP itself; the IOIO exit's EXITINFO2 still
 * carries it (§15.10.2) and is passed on as a hint.
 *
 * Interrupts reach the guest through V_IRQ (§15.21.4): the generic code
 * names one pending vector per entry; V_IRQ clear after the exit means the
 * guest took it, unless EXITINTINFO says its delivery was cut short
 * (vmm/svm_event.c).
 */
#define LOG_SUBSYS "svm"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/percpu.h"
#include "lib/hv_abi.h"
#include "lib/string.h"
#include "vmm/svm_event.h"
#include "vmm/svm_regs.h"
#include "vmm/vcpu.h"

void svm_enter(u64 vmcb_pa, u64 *gpr, u64 host_save_pa);

struct svm_vcpu {
	struct vmcb *vmcb;
	u64 iopm_pa, msrpm_pa;
	bool first_run;
	bool flush_tlb;		/* flush_nested() asked for it */
	u64 last_exit_rip;
};

static u64 host_save_pa[HV_MAX_CPUS];	/* VMSAVE area of each CPU */
static u32 nr_asids;

static const struct vcpu_ops svm_ops;

const struct vcpu_ops *svm_probe(void)
{
	struct cpuid_regs r = cpuid(0x80000001, 0);
	struct cpuid_regs f;

	if (!(r.ecx & CPUID81_ECX_SVM))
		return NULL;
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		pr_warn("SVM present but disabled by firmware (VM_CR.SVMDIS)\n");
		return NULL;
	}
	f = cpuid(CPUID_SVM_FEATURES, 0);
	nr_asids = f.ebx;
	pr_info("SVM rev %u, %u ASIDs, NPT %s, NRIPS %s, decode assists %s\n",
		f.eax & 0xff, f.ebx, (f.edx & SVM_FEAT_NP) ? "yes" : "no",
		(f.edx & SVM_FEAT_NRIPS) ? "yes" : "no (next RIP decoded)",
		(f.edx & SVM_FEAT_DECODE_ASSISTS) ? "yes" : "no");
	if (!(f.edx & SVM_FEAT_NP)) {
		pr_err("no nested paging: guests need NPT\n");
		return NULL;
	}
	return &svm_ops;
}

static int svm_cpu_init(void)
{
	struct percpu *p = this_cpu();
	u64 hsave;

	if (host_save_pa[p->index])
		return 0;
	hsave = frame_alloc(1);
	host_save_pa[p->index] = frame_alloc(1);
	if (!hsave || !host_save_pa[p->index]) {
		pr_err("cpu%u: out of memory for the host save areas\n",
		       p->index);
		return -1;
	}
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, hsave);
	pr_info("cpu%u: SVM on, host save area %#llx\n", p->index, hsave);
	return 0;
}

static void set_intercepts(struct svm_vcpu *s)
{
	struct vmcb_control *c = &s->vmcb->control;

	c->intercept_misc1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI |
			     SVM_INTERCEPT_SMI | SVM_INTERCEPT_INIT |
			     SVM_INTERCEPT_CPUID | SVM_INTERCEPT_INVD |
			     SVM_INTERCEPT_HLT | SVM_INTERCEPT_INVLPGA |
			     SVM_INTERCEPT_IOIO_PROT |
			     SVM_INTERCEPT_MSR_PROT |
			     SVM_INTERCEPT_TASK_SWITCH |
			     SVM_INTERCEPT_SHUTDOWN;
	c->intercept_misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL |
			     SVM_INTERCEPT_VMLOAD | SVM_INTERCEPT_VMSAVE |
			     SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI |
			     SVM_INTERCEPT_SKINIT | SVM_INTERCEPT_XSETBV |
			     SVM_INTERCEPT_WBINVD | SVM_INTERCEPT_MONITOR |
			     SVM_INTERCEPT_MWAIT | SVM_INTERCEPT_MWAIT_COND;
	/* #MC stays with the host: a guest must not swallow it. */
	c->intercept_exceptions = BIT(18);
	c->iopm_base_pa = s->iopm_pa;
	c->msrpm_base_pa = s->msrpm_pa;
}

/*
 * MSRs whose guest copy lives in the VMCB and moves with VMLOAD/VMSAVE
 * (§15.5.2): the guest reads and writes them directly, the host's copy
 * is saved around every run (svm_entry.S), so neither sees the other's.
 */
static const u32 svm_guest_msrs[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR,
	MSR_CSTAR, MSR_SFMASK, MSR_SYSENTER_CS, MSR_SYSENTER_ESP,
	MSR_SYSENTER_EIP,
};

/* Clears the read and write intercept bits of msr (§15.11). */
static void msrpm_allow(u8 *pm, u32 msr)
{
	static const u32 base[] = { 0, SVM_MSRPM_BASE1, SVM_MSRPM_BASE2 };
	u32 r;

	for (r = 0; r < ARRAY_SIZE(base); r++) {
		u32 bit;

		if (msr - base[r] >= SVM_MSRPM_RANGE_MSRS)
			continue;
		bit = (msr - base[r]) * 2;
		pm[r * SVM_MSRPM_RANGE_BYTES + bit / 8] &= ~(3u << (bit % 8));
	}
}

static int svm_create(struct vcpu *v)
{
	struct svm_vcpu *s;
	u64 page = frame_alloc(1);
	u32 i;

	if (!page)
		return -1;
	s = phys_to_virt(page);
	s->vmcb = phys_to_virt(frame_alloc(1));
	s->iopm_pa = frame_alloc(SVM_IOPM_PAGES);
	s->msrpm_pa = frame_alloc(SVM_MSRPM_PAGES);
	if (!s->vmcb || !s->iopm_pa || !s->msrpm_pa)
		goto fail;
	/* All ones: every port and every MSR exits to the VMM. */
	memset(phys_to_virt(s->iopm_pa), 0xff, SVM_IOPM_PAGES * PAGE_SIZE);
	memset(phys_to_virt(s->msrpm_pa), 0xff, SVM_MSRPM_PAGES * PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(svm_guest_msrs); i++)
		msrpm_allow(phys_to_virt(s->msrpm_pa), svm_guest_msrs[i]);
	set_intercepts(s);
	s->vmcb->control.asid = v->id;	/* 1-based: ASID 0 is the host's */
	s->vmcb->control.np_control = SVM_NP_ENABLE;
	s->vmcb->control.n_cr3 = v->nested_root;
	s->vmcb->control.v_intr = SVM_V_INTR_MASKING;
	s->first_run = true;
	if (nr_asids && v->id >= nr_asids) {
		pr_err("vCPU %u: only %u ASIDs\n", v->id, nr_asids);
		goto fail;
	}
	v->backend = s;
	return 0;
fail:
	if (s->vmcb)
		frame_free(virt_to_phys(s->vmcb), 1);
	if (s->iopm_pa)
		frame_free(s->iopm_pa, SVM_IOPM_PAGES);
	if (s->msrpm_pa)
		frame_free(s->msrpm_pa, SVM_MSRPM_PAGES);
	frame_free(page, 1);
	return -1;
}

static void set_seg(struct vmcb_seg *seg, u16 sel, u16 attrib, u32 limit,
		    u64 base)
{
	*seg = (struct vmcb_seg){ sel, attrib, limit, base };
}

static int svm_load_state(struct vcpu *v, const struct vcpu_boot_state *b)
{
	struct svm_vcpu *s = v->backend;
	struct vmcb_save *st = &s->vmcb->save;

	set_seg(&st->cs, b->cs, SVM_ATTR_CODE64, 0xffffffff, 0);
	set_seg(&st->ds, b->ds, SVM_ATTR_DATA, 0xffffffff, 0);
	st->es = st->ss = st->fs = st->gs = st->ds;
	set_seg(&st->gdtr, 0, 0, b->gdt_limit, b->gdt_base);
	set_seg(&st->idtr, 0, 0, 0, 0);
	set_seg(&st->tr, 0, SVM_ATTR_TSS64, 0x67, 0);
	set_seg(&st->ldtr, 0, SVM_ATTR_LDT, 0, 0);
	st->cpl = 0;
	/* EFER.SVME must be set in the guest image (§15.5.1). */
	st->efer = b->efer | EFER_SVME;
	st->cr0 = b->cr0;
	st->cr3 = b->cr3;
	st->cr4 = b->cr4;
	st->dr6 = 0xffff0ff0;
	st->dr7 = 0x400;
	st->g_pat = SVM_DEFAULT_PAT;
	v->rip = b->rip;
	v->gpr[GPR_RSP] = b->rsp;
	v->rflags = b->rflags;
	v->cr0 = b->cr0;
	v->cr3 = b->cr3;
	v->cr4 = b->cr4;
	v->efer = b->efer;
	return 0;
}

/* Sensitive instructions: exit code -> class and mnemonic. */
static const struct vinsn_code svm_insns[] = {
	{ SVM_EXIT_VMRUN, VINSN_VIRT, "vmrun" },
	{ SVM_EXIT_VMLOAD, VINSN_VIRT, "vmload" },
	{ SVM_EXIT_VMSAVE, VINSN_VIRT, "vmsave" },
	{ SVM_EXIT_STGI, VINSN_VIRT, "stgi" },
	{ SVM_EXIT_CLGI, VINSN_VIRT, "clgi" },
	{ SVM_EXIT_SKINIT, VINSN_VIRT, "skinit" },
	{ SVM_EXIT_INVLPGA, VINSN_VIRT, "invlpga" },
	{ SVM_EXIT_XSETBV, VINSN_XSETBV, "xsetbv" },
	{ SVM_EXIT_INVD, VINSN_INVD, "invd" },
	{ SVM_EXIT_WBINVD, VINSN_WBINVD, "wbinvd" },
	{ SVM_EXIT_MONITOR, VINSN_MONITOR, "monitor" },
	{ SVM_EXIT_MWAIT, VINSN_MWAIT, "mwait" },
	{ SVM_EXIT_MWAIT_COND, VINSN_MWAIT, "mwait" },
};

static void decode_exit(struct vcpu *v, struct vmcb_control *c,
			struct vcpu_exit *e)
{
	u64 code = c->exitcode, info1 = c->exitinfo1, info2 = c->exitinfo2;

	memset(e, 0, sizeof(*e));
	e->raw = code;
	switch (code) {
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
	case SVM_EXIT_SMI:
	case SVM_EXIT_INIT:
		e->reason = VEXIT_INTR;
		return;
	case SVM_EXIT_HLT:
		e->reason = VEXIT_HLT;
		return;
	case SVM_EXIT_VMMCALL:
		e->reason = VEXIT_HYPERCALL;
		return;
	case SVM_EXIT_CPUID:
		e->reason = VEXIT_CPUID;
		return;
	case SVM_EXIT_MSR:
		e->reason = info1 ? VEXIT_MSR_WRITE : VEXIT_MSR_READ;
		return;
	case SVM_EXIT_IOIO:
		e->reason = VEXIT_IO;
		e->port = (u16)(info1 >> SVM_IOIO_PORT_SHIFT);
		e->in = info1 & SVM_IOIO_TYPE_IN;
		e->string = info1 & SVM_IOIO_STR;
		e->rep = info1 & SVM_IOIO_REP;
		e->size = (info1 & SVM_IOIO_SZ32) ? 4 :
			  (info1 & SVM_IOIO_SZ16) ? 2 : 1;
		e->next_rip = info2;
		return;
	case SVM_EXIT_NPF:
		e->reason = VEXIT_NPF;
		e->gpa = info2;
		e->present = info1 & SVM_NPF_PRESENT;
		e->write = info1 & SVM_NPF_WRITE;
		e->fetch = info1 & SVM_NPF_FETCH;
		return;
	case SVM_EXIT_SHUTDOWN:
		e->reason = VEXIT_SHUTDOWN;
		return;
	case SVM_EXIT_INVALID:
		e->reason = VEXIT_ENTRY_FAILED;
		strlcpy(e->detail,
			"VMEXIT_INVALID: VMCB failed the VMRUN consistency checks (APM 15.5.1)",
			sizeof(e->detail));
		return;
	}
	if (vinsn_decode(svm_insns, ARRAY_SIZE(svm_insns), code, e))
		return;
	if (code >= SVM_EXIT_EXCP_BASE && code < SVM_EXIT_EXCP_BASE + 32) {
		e->reason = VEXIT_EXCEPTION;
		e->vector = (u8)(code - SVM_EXIT_EXCP_BASE);
		e->error_code = (u32)info1;
		return;
	}
	e->reason = VEXIT_UNHANDLED;
}

static void svm_run(struct vcpu *v, struct vcpu_exit *e)
{
	struct svm_vcpu *s = v->backend;
	struct vmcb *vmcb = s->vmcb;
	struct vmcb_control *c = &vmcb->control;
	u8 vec = v->pending_irq;
	struct svm_event_outcome ev;

	vmcb->save.rip = v->rip;
	vmcb->save.rsp = v->gpr[GPR_RSP];
	vmcb->save.rax = v->gpr[GPR_RAX];
	vmcb->save.rflags = v->rflags;
	/* The generic code may have emulated a WRMSR to EFER. */
	vmcb->save.efer = v->efer | EFER_SVME;
	/* We stepped over the instruction: its STI/MOV SS shadow is gone. */
	if (v->rip != s->last_exit_rip)
		c->interrupt_shadow &= ~1ull;
	c->v_intr = (c->v_intr & SVM_V_TPR_MASK) | SVM_V_INTR_MASKING;
	if (vec)
		c->v_intr |= SVM_V_IRQ | SVM_V_IGN_TPR |
			     ((u64)(vec >> 4) << SVM_V_INTR_PRIO_SHIFT) |
			     ((u64)vec << SVM_V_INTR_VECTOR_SHIFT);
	/* No VMCB clean bits are set, so the CPU reloads everything. */
	c->clean_bits = 0;
	c->tlb_control = s->first_run || s->flush_tlb ? SVM_TLB_FLUSH_ALL : 0;
	s->first_run = s->flush_tlb = false;

	svm_enter(virt_to_phys(vmcb), v->gpr, host_save_pa[this_cpu()->index]);

	v->rip = vmcb->save.rip;
	v->gpr[GPR_RSP] = vmcb->save.rsp;
	v->gpr[GPR_RAX] = vmcb->save.rax;
	v->rflags = vmcb->save.rflags;
	s->last_exit_rip = v->rip;
	v->cr0 = vmcb->save.cr0;
	v->cr3 = vmcb->save.cr3;
	v->cr4 = vmcb->save.cr4;
	v->efer = vmcb->save.efer;
	ev = svm_event_after_exit(vec, c->v_intr, c->exitintinfo);
	v->irq_taken = ev.irq_taken;
	c->eventinj = ev.reinject;
	decode_exit(v, c, e);
}

static void svm_inject_exception(struct vcpu *v, u8 vec, bool has_error,
				 u32 error)
{
	struct svm_vcpu *s = v->backend;

	s->vmcb->control.eventinj = vec | SVM_EVTINJ_TYPE_EXCEPTION |
				    SVM_EVTINJ_VALID |
				    (has_error ? SVM_EVTINJ_EV |
						 ((u64)error << 32) : 0);
}

static void svm_destroy(struct vcpu *v)
{
	struct svm_vcpu *s = v->backend;

	if (!s)
		return;
	frame_free(virt_to_phys(s->vmcb), 1);
	frame_free(s->iopm_pa, SVM_IOPM_PAGES);
	frame_free(s->msrpm_pa, SVM_MSRPM_PAGES);
	frame_free(virt_to_phys(s), 1);
	v->backend = NULL;
}

/* TLB_CONTROL on the next VMRUN: BAR moves are rare, flush everything. */
static int svm_flush_nested(struct vcpu *v)
{
	((struct svm_vcpu *)v->backend)->flush_tlb = true;
	return 0;
}

static const struct vcpu_ops svm_ops = {
	.name = "svm",
	.hypercall_insn = HV_HCALL_VMMCALL,
	.nested_fmt = &pt_format_npt,
	.nested_page_sizes = PT_4K | PT_2M,
	.cpu_init = svm_cpu_init,
	.create = svm_create,
	.load_state = svm_load_state,
	.run = svm_run,
	.inject_exception = svm_inject_exception,
	.destroy = svm_destroy,
	.flush_nested = svm_flush_nested,
};
