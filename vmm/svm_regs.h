/* SPDX-License-Identifier: MIT */
/*
 * AMD SVM: the VMCB layout and the constants the SVM backend uses.
 * Sources: AMD64 Architecture Programmer's Manual Vol. 2 (rev. 3.42),
 * chapter 15 "Secure Virtual Machine" and Appendix B "Layout of VMCB"
 * (Table B-1 control area, Table B-2 state save area) and Appendix C
 * "SVM Intercept Exit Codes".
 */
#ifndef VMM_SVM_REGS_H
#define VMM_SVM_REGS_H

#include "lib/types.h"

/* MSRs (APM Vol. 2 §15.30). */
#define MSR_VM_CR 0xc0010114
#define VM_CR_SVMDIS BIT(4)		/* §15.30.1 */
#define MSR_VM_HSAVE_PA 0xc0010117	/* §15.30.4 */

/* CPUID 0x8000000A (§15.4, APM Vol. 3 Appendix E.4.9). */
#define CPUID_SVM_FEATURES 0x8000000a
#define SVM_FEAT_NP BIT(0)
#define SVM_FEAT_NRIPS BIT(3)
#define SVM_FEAT_DECODE_ASSISTS BIT(7)

/* Intercept word 3 at 0x00c (Table B-1). */
#define SVM_INTERCEPT_INTR BIT(0)
#define SVM_INTERCEPT_NMI BIT(1)
#define SVM_INTERCEPT_SMI BIT(2)
#define SVM_INTERCEPT_INIT BIT(3)
#define SVM_INTERCEPT_VINTR BIT(4)
#define SVM_INTERCEPT_CPUID BIT(18)
#define SVM_INTERCEPT_INVD BIT(22)
#define SVM_INTERCEPT_HLT BIT(24)
#define SVM_INTERCEPT_INVLPGA BIT(26)
#define SVM_INTERCEPT_IOIO_PROT BIT(27)
#define SVM_INTERCEPT_MSR_PROT BIT(28)
#define SVM_INTERCEPT_TASK_SWITCH BIT(29)
#define SVM_INTERCEPT_SHUTDOWN BIT(31)
/* Intercept word 4 at 0x010. */
#define SVM_INTERCEPT_VMRUN BIT(0)	/* required (§15.5.1 consistency) */
#define SVM_INTERCEPT_VMMCALL BIT(1)
#define SVM_INTERCEPT_VMLOAD BIT(2)
#define SVM_INTERCEPT_VMSAVE BIT(3)
#define SVM_INTERCEPT_STGI BIT(4)
#define SVM_INTERCEPT_CLGI BIT(5)
#define SVM_INTERCEPT_SKINIT BIT(6)
#define SVM_INTERCEPT_WBINVD BIT(9)
#define SVM_INTERCEPT_MONITOR BIT(10)
#define SVM_INTERCEPT_MWAIT BIT(11)
#define SVM_INTERCEPT_MWAIT_COND BIT(12)
#define SVM_INTERCEPT_XSETBV BIT(13)

/* V_INTR fields at 0x060 (Table B-1, §15.21.1). */
#define SVM_V_TPR_MASK GENMASK(3, 0)	/* V_TPR is bits 3:0 */
#define SVM_V_IRQ BIT(8)
#define SVM_V_INTR_PRIO_SHIFT 16
#define SVM_V_IGN_TPR BIT(20)
#define SVM_V_INTR_MASKING BIT(24)
#define SVM_V_INTR_VECTOR_SHIFT 32

#define SVM_NP_ENABLE BIT(0)		/* 0x090 */
#define SVM_TLB_FLUSH_ALL 1		/* 0x05c TLB_CONTROL */

/* EVENTINJ at 0x0a8 (§15.20, Figure 15-4). */
#define SVM_EVTINJ_VALID BIT(31)
#define SVM_EVTINJ_EV BIT(11)		/* error code valid */
#define SVM_EVTINJ_TYPE_INTR (0ull << 8)
#define SVM_EVTINJ_TYPE_NMI (2ull << 8)
#define SVM_EVTINJ_TYPE_EXCEPTION (3ull << 8)
#define SVM_EVTINJ_TYPE_MASK (7ull << 8)
#define SVM_EVTINJ_VECTOR_MASK 0xffull

/* Exit codes (Appendix C, Table C-1). */
#define SVM_EXIT_EXCP_BASE 0x040
#define SVM_EXIT_INTR 0x060
#define SVM_EXIT_NMI 0x061
#define SVM_EXIT_SMI 0x062
#define SVM_EXIT_INIT 0x063
#define SVM_EXIT_VINTR 0x064
#define SVM_EXIT_CPUID 0x072
#define SVM_EXIT_INVD 0x076
#define SVM_EXIT_HLT 0x078
#define SVM_EXIT_INVLPGA 0x07a
#define SVM_EXIT_IOIO 0x07b
#define SVM_EXIT_MSR 0x07c
#define SVM_EXIT_SHUTDOWN 0x07f
#define SVM_EXIT_VMRUN 0x080
#define SVM_EXIT_VMMCALL 0x081
#define SVM_EXIT_VMLOAD 0x082
#define SVM_EXIT_VMSAVE 0x083
#define SVM_EXIT_STGI 0x084
#define SVM_EXIT_CLGI 0x085
#define SVM_EXIT_SKINIT 0x086
#define SVM_EXIT_WBINVD 0x089
#define SVM_EXIT_MONITOR 0x08a
#define SVM_EXIT_MWAIT 0x08b
#define SVM_EXIT_MWAIT_COND 0x08c
#define SVM_EXIT_XSETBV 0x08d
#define SVM_EXIT_NPF 0x400
#define SVM_EXIT_INVALID (~0ull)	/* VMEXIT_INVALID: bad VMCB state */

/* IOIO EXITINFO1 (§15.10.2, Figure 15-2). */
#define SVM_IOIO_TYPE_IN BIT(0)
#define SVM_IOIO_STR BIT(2)
#define SVM_IOIO_REP BIT(3)
#define SVM_IOIO_SZ8 BIT(4)
#define SVM_IOIO_SZ16 BIT(5)
#define SVM_IOIO_SZ32 BIT(6)
#define SVM_IOIO_PORT_SHIFT 16

/* NPF EXITINFO1: a #PF-style error code (§15.25.6). */
#define SVM_NPF_PRESENT BIT(0)
#define SVM_NPF_WRITE BIT(1)
#define SVM_NPF_FETCH BIT(4)

/* Permission maps (§15.10.1 IOPM: 12 KiB; §15.11 MSRPM: 8 KiB). */
#define SVM_IOPM_PAGES 3
#define SVM_MSRPM_PAGES 2
/* MSRPM: two bits per MSR (read, then write) in three 2 KiB ranges. */
#define SVM_MSRPM_RANGE_MSRS 0x2000u	/* MSRs per range */
#define SVM_MSRPM_RANGE_BYTES 0x800u
#define SVM_MSRPM_BASE1 0xc0000000u	/* range 1; range 0 starts at 0 */
#define SVM_MSRPM_BASE2 0xc0010000u

/* Segment attributes as the VMCB packs them (§15.5.1, Table B-2 note):
 * descriptor bits 47:40 in 7:0 and bits 55:52 in 11:8. */
#define SVM_ATTR_CODE64 0x0a9b	/* P, DPL0, S, type 0xb, L, G */
#define SVM_ATTR_DATA 0x0c93	/* P, DPL0, S, type 0x3, D/B, G */
#define SVM_ATTR_TSS64 0x008b	/* P, type 0xb: busy 64-bit TSS */
#define SVM_ATTR_LDT 0x0082

struct vmcb_seg {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
} __packed;

/* Control area, Table B-1. */
struct vmcb_control {
	u32 intercept_cr;		/* 0x000 */
	u32 intercept_dr;		/* 0x004 */
	u32 intercept_exceptions;	/* 0x008 */
	u32 intercept_misc1;		/* 0x00c */
	u32 intercept_misc2;		/* 0x010 */
	u32 intercept_misc3;		/* 0x014 */
	u8 reserved0[0x03c - 0x018];
	u16 pause_filter_threshold;	/* 0x03c */
	u16 pause_filter_count;		/* 0x03e */
	u64 iopm_base_pa;		/* 0x040 */
	u64 msrpm_base_pa;		/* 0x048 */
	u64 tsc_offset;			/* 0x050 */
	u32 asid;			/* 0x058 */
	u8 tlb_control;			/* 0x05c */
	u8 reserved1[3];
	u64 v_intr;			/* 0x060 */
	u64 interrupt_shadow;		/* 0x068 */
	u64 exitcode;			/* 0x070 */
	u64 exitinfo1;			/* 0x078 */
	u64 exitinfo2;			/* 0x080 */
	u64 exitintinfo;		/* 0x088 */
	u64 np_control;			/* 0x090 */
	u64 avic_apic_bar;		/* 0x098 */
	u64 ghcb_pa;			/* 0x0a0 */
	u64 eventinj;			/* 0x0a8 */
	u64 n_cr3;			/* 0x0b0 */
	u64 virt_ext;			/* 0x0b8 */
	u32 clean_bits;			/* 0x0c0 */
	u32 reserved2;
	u64 next_rip;			/* 0x0c8 */
	u8 insn_len;			/* 0x0d0 */
	u8 insn_bytes[15];		/* 0x0d1 */
	u8 reserved3[0x400 - 0x0e0];
} __packed;

/* State save area, Table B-2 (offsets from the VMCB start). */
struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs;	/* 0x400 .. 0x45f */
	struct vmcb_seg gdtr, ldtr, idtr, tr;	/* 0x460 .. 0x49f */
	u8 reserved0[0x4cb - 0x4a0];
	u8 cpl;				/* 0x4cb */
	u32 reserved1;
	u64 efer;			/* 0x4d0 */
	u8 reserved2[0x548 - 0x4d8];
	u64 cr4;			/* 0x548 */
	u64 cr3;			/* 0x550 */
	u64 cr0;			/* 0x558 */
	u64 dr7;			/* 0x560 */
	u64 dr6;			/* 0x568 */
	u64 rflags;			/* 0x570 */
	u64 rip;			/* 0x578 */
	u8 reserved3[0x5d8 - 0x580];
	u64 rsp;			/* 0x5d8 */
	u8 reserved4[0x5f8 - 0x5e0];
	u64 rax;			/* 0x5f8 */
	u64 star;			/* 0x600 */
	u64 lstar;			/* 0x608 */
	u64 cstar;			/* 0x610 */
	u64 sfmask;			/* 0x618 */
	u64 kernel_gs_base;		/* 0x620 */
	u64 sysenter_cs;		/* 0x628 */
	u64 sysenter_esp;		/* 0x630 */
	u64 sysenter_eip;		/* 0x638 */
	u64 cr2;			/* 0x640 */
	u8 reserved5[0x668 - 0x648];
	u64 g_pat;			/* 0x668 */
} __packed;

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
	u8 reserved[4096 - 0x670];
} __packed;

_Static_assert(offsetof(struct vmcb_control, v_intr) == 0x060, "VMCB 0x060");
_Static_assert(offsetof(struct vmcb_control, n_cr3) == 0x0b0, "VMCB 0x0b0");
_Static_assert(offsetof(struct vmcb_control, insn_bytes) == 0x0d1, "VMCB 0x0d1");
_Static_assert(offsetof(struct vmcb, save.cpl) == 0x4cb, "VMCB 0x4cb");
_Static_assert(offsetof(struct vmcb, save.efer) == 0x4d0, "VMCB 0x4d0");
_Static_assert(offsetof(struct vmcb, save.cr4) == 0x548, "VMCB 0x548");
_Static_assert(offsetof(struct vmcb, save.rip) == 0x578, "VMCB 0x578");
_Static_assert(offsetof(struct vmcb, save.rsp) == 0x5d8, "VMCB 0x5d8");
_Static_assert(offsetof(struct vmcb, save.rax) == 0x5f8, "VMCB 0x5f8");
_Static_assert(offsetof(struct vmcb, save.g_pat) == 0x668, "VMCB 0x668");
_Static_assert(sizeof(struct vmcb) == 4096, "VMCB is one page");

/* Default PAT (APM Vol. 2 §7.8.1): WB, WT, UC-, UC, repeated. */
#define SVM_DEFAULT_PAT 0x0007040600070406ull

#endif
