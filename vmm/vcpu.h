/* SPDX-License-Identifier: MIT */
/*
 * The vCPU interface: one small table of functions per hardware backend
 * (AMD SVM in vmm/svm.c, Intel VMX in vmm/vmx.c), chosen once at boot
 * from CPUID (vcpu_backend_select). Generic code (vmm/vm.c) calls only
 * through vcpu_ops and never asks which backend it runs on; it sees exits
 * already decoded into struct vcpu_exit.
 */
#ifndef VMM_VCPU_H
#define VMM_VCPU_H

#include "kernel/pagetable.h"
#include "lib/types.h"
#include "vmm/guest_gpr.h"	/* GPR_RAX..GPR_R15, GPR_COUNT */
#include "vmm/pi_desc.h"

/* Why the guest stopped running, backend-neutral. */
enum vexit_reason {
	VEXIT_NONE = 0,
	VEXIT_INTR,		/* a host interrupt: just re-enter */
	VEXIT_HLT,
	VEXIT_HYPERCALL,	/* VMMCALL / VMCALL */
	VEXIT_IO,
	VEXIT_MSR_READ,
	VEXIT_MSR_WRITE,
	VEXIT_CPUID,
	VEXIT_NPF,		/* NPT/EPT violation */
	VEXIT_SHUTDOWN,		/* triple fault */
	VEXIT_EXCEPTION,	/* an intercepted guest exception */
	VEXIT_INSN,		/* a sensitive instruction: which in insn */
	VEXIT_ENTRY_FAILED,	/* VM entry refused: message in detail */
	VEXIT_UNHANDLED,	/* anything else: raw code in raw */
	VEXIT_COUNT
};

/*
 * Sensitive instructions both backends trap, by what they would do to the
 * machine; the outcome of each is one table in vmm/vm_exit.c. The
 * backend puts the exact mnemonic in vcpu_exit.detail.
 */
enum vinsn {
	VINSN_VIRT = 1,	/* SVM: VMRUN VMLOAD VMSAVE CLGI STGI SKINIT INVLPGA;
			 * VMX: VMXON VMPTRLD VMREAD INVEPT... */
	VINSN_GETSEC,	/* SMX */
	VINSN_XSETBV,
	VINSN_INVD,
	VINSN_WBINVD,
	VINSN_MONITOR,
	VINSN_MWAIT,
	VINSN_COUNT
};

struct vcpu_exit {
	u8 reason;		/* enum vexit_reason */
	u8 insn;		/* VEXIT_INSN: enum vinsn */
	u64 raw;		/* backend exit code, for the log */
	u64 next_rip;		/* 0 if the hardware did not say */
	/* VEXIT_NPF */
	u64 gpa;
	bool write, fetch, present;
	/* VEXIT_IO */
	u16 port;
	u8 size;
	bool in, string, rep;
	/* VEXIT_EXCEPTION */
	u8 vector;
	u32 error_code;
	char detail[96];	/* VEXIT_ENTRY_FAILED / UNHANDLED */
};

/* A backend's exit code for a sensitive instruction (vmm/vcpu_insn.c). */
struct vinsn_code {
	u32 code;		/* SVM exit code / VMX basic exit reason */
	u8 insn;		/* enum vinsn */
	const char *name;	/* mnemonic, for the log */
};

/* If code is in the table, fills e as VEXIT_INSN and returns true. */
bool vinsn_decode(const struct vinsn_code *t, u32 n, u64 code,
		  struct vcpu_exit *e);

/* Initial state: 64-bit long mode, set up by the generic code. */
struct vcpu_boot_state {
	u64 rip, rsp, rflags;
	u64 cr0, cr3, cr4, efer;
	u64 gdt_base;
	u16 gdt_limit;
	u16 cs, ds;
};

struct vcpu {
	u64 gpr[GPR_COUNT];	/* GPR_RSP and GPR_RAX are synced by run() */
	u64 rip, rflags;
	u64 cr0, cr3, cr4, efer; /* read back after each exit */
	u32 id;			/* global, 1-based: ASID / VPID */
	u32 host_cpu;
	struct pi_desc *pi;	/* page-aligned, own page */
	u64 nested_root;	/* NPT / EPT root */
	void *backend;		/* VMCB / VMCS state */
	/* Interrupt the generic code wants delivered (0: none); run() sets
	 * irq_taken when the guest accepted it. */
	u8 pending_irq;
	bool irq_taken;
};

struct vcpu_ops {
	const char *name;	/* "svm" / "vmx" */
	u32 hypercall_insn;	/* enum hv_hypercall_insn */
	const struct pt_format *nested_fmt;
	/* The hardware delivers what is posted in vcpu.pi (VMX posted-
	 * interrupt processing): the generic code then neither drains the
	 * PIR nor emulates EOI. */
	bool hw_posted;
	u32 nested_page_sizes;
	/* Once, on the BSP, after this table was chosen (may be NULL). */
	int (*init)(void);
	/* Once per physical CPU, on that CPU: enable the extension. */
	int (*cpu_init)(void);
	int (*create)(struct vcpu *v);
	int (*load_state)(struct vcpu *v, const struct vcpu_boot_state *s);
	/* Enter the guest and return at the next exit, decoded. Called with
	 * interrupts disabled; host interrupts arriving meanwhile cause
	 * VEXIT_INTR and are taken when the caller enables them again. */
	void (*run)(struct vcpu *v, struct vcpu_exit *exit);
	/* Queue exception vec for the next entry. */
	void (*inject_exception)(struct vcpu *v, u8 vec, bool has_error,
				 u32 error);
	void (*destroy)(struct vcpu *v);
	/* The nested tables lost a mapping (a BAR moved): before the next
	 * entry, drop what the TLB cached from them. On the vCPU's CPU;
	 * 0, or -1 if this CPU cannot (the caller stops the guest). */
	int (*flush_nested)(struct vcpu *v);
	/* hw_posted only: an interrupt is pending inside the guest's
	 * virtual APIC (it would wake a halted vCPU). */
	bool (*irq_pending)(struct vcpu *v);
	/* hw_posted only: the vector another CPU sends to the vCPU's CPU
	 * after posting (the posted-interrupt notification vector, SDM Vol.
	 * 3C §29.6): the CPU delivers in guest mode, without an exit. NULL:
	 * the generic code kicks the vCPU out and delivers by software. */
	u8 (*notify_vector)(void);
	/* hw_posted only, from any CPU: vec is requested in the guest's
	 * virtual APIC (VIRR), taken from the PIR but not yet delivered. */
	bool (*vector_requested)(const struct vcpu *v, u8 vec);
};

/* The backend this CPU offers, or NULL (reason logged). */
const struct vcpu_ops *vcpu_backend_select(void);

/* Probes: the backend's table if it can run here, else NULL (logged). */
const struct vcpu_ops *svm_probe(void);
const struct vcpu_ops *vmx_probe(void);

#endif
