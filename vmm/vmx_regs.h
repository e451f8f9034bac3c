/* SPDX-License-Identifier: MIT */
/*
 * Intel VMX: MSRs, VMCS field encodings, control bits, exit reasons and
 * VM-instruction error numbers the VMX backend uses. Source: Intel SDM
 * Vol. 3C in the numbering of the 2016-2022 revisions (e.g. Order
 * 326019-077), used for every citation here and in vmm/pi_desc.h; the
 * 2023 revisions moved each VMX chapter up by one. Chapter 23
 * "Introduction to VMX operation", 24 "Virtual Machine Control
 * Structures" (field encodings: Appendix B), 25 "VMX non-root
 * operation", 27 "VM exits" (reasons: Appendix C), 29 "APIC
 * virtualization and virtual interrupts", §30.4 "VM instruction error
 * numbers", Appendix A "VMX capability reporting".
 */
#ifndef VMM_VMX_REGS_H
#define VMM_VMX_REGS_H

#include "lib/types.h"

/* IA32_FEATURE_CONTROL (SDM Vol. 3C §23.7, Vol. 4 Table 2-2). */
#define FEATURE_CONTROL_LOCK BIT(0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX BIT(2)

/* Capability MSRs (Appendix A). */
#define MSR_VMX_BASIC 0x480
#define MSR_VMX_PINBASED_CTLS 0x481
#define MSR_VMX_PROCBASED_CTLS 0x482
#define MSR_VMX_EXIT_CTLS 0x483
#define MSR_VMX_ENTRY_CTLS 0x484
#define MSR_VMX_CR0_FIXED0 0x486
#define MSR_VMX_CR0_FIXED1 0x487
#define MSR_VMX_CR4_FIXED0 0x488
#define MSR_VMX_CR4_FIXED1 0x489
#define MSR_VMX_PROCBASED_CTLS2 0x48b
#define MSR_VMX_EPT_VPID_CAP 0x48c
#define MSR_VMX_TRUE_PINBASED_CTLS 0x48d
#define MSR_VMX_TRUE_PROCBASED_CTLS 0x48e
#define MSR_VMX_TRUE_EXIT_CTLS 0x48f
#define MSR_VMX_TRUE_ENTRY_CTLS 0x490
#define VMX_BASIC_TRUE_CTLS BIT(55)	/* A.1: TRUE_* MSRs exist */
#define VMX_BASIC_REVISION_MASK 0x7fffffffull

/* IA32_VMX_EPT_VPID_CAP (A.10). */
#define EPT_CAP_WALK_4 BIT(6)
#define EPT_CAP_WB BIT(14)
#define EPT_CAP_2M BIT(16)
#define EPT_CAP_INVEPT BIT(20)
#define EPT_CAP_INVEPT_SINGLE BIT(25)
#define EPT_CAP_INVEPT_ALL BIT(26)
/* INVEPT types (Vol. 3C §30.3, INVEPT). */
#define INVEPT_SINGLE_CONTEXT 1ull
#define INVEPT_ALL_CONTEXT 2ull
/* EPTP (§24.6.11): memory type WB (6), walk length - 1 in bits 5:3. */
#define EPTP_WB 6ull
#define EPTP_WALK_4 (3ull << 3)

#define MSR_FS_BASE 0xc0000100
#define MSR_IA32_PAT 0x277

/* Pin-based controls (§24.6.1, Table 24-5). */
#define PIN_EXT_INTR_EXITING BIT(0)
#define PIN_NMI_EXITING BIT(3)
#define PIN_POSTED_INTR BIT(7)
/* Primary processor-based controls (§24.6.2, Table 24-6). */
#define CPU_INTR_WINDOW_EXITING BIT(2)
#define CPU_HLT_EXITING BIT(7)
#define CPU_MWAIT_EXITING BIT(10)
#define CPU_CR8_LOAD_EXITING BIT(19)
#define CPU_CR8_STORE_EXITING BIT(20)
#define CPU_USE_TPR_SHADOW BIT(21)
#define CPU_UNCOND_IO_EXITING BIT(24)
#define CPU_USE_IO_BITMAPS BIT(25)
#define CPU_USE_MSR_BITMAPS BIT(28)
#define CPU_MONITOR_EXITING BIT(29)
#define CPU_SECONDARY_CTLS BIT(31)
/* Secondary processor-based controls (Table 24-7). */
#define CPU2_ENABLE_EPT BIT(1)
#define CPU2_ENABLE_RDTSCP BIT(3)	/* RDTSCP and RDPID; else #UD */
#define CPU2_VIRTUALIZE_X2APIC BIT(4)

/* Virtual-APIC page (§29.1): VIRR, 8 32-bit registers 16 bytes apart,
 * register i holding vectors 32i..32i+31. */
#define VAPIC_IRR 0x200
#define VAPIC_REG_STRIDE 0x10
#define CPU2_ENABLE_VPID BIT(5)
#define CPU2_WBINVD_EXITING BIT(6)
#define CPU2_VIRTUAL_INTR_DELIVERY BIT(9)
#define CPU2_ENABLE_INVPCID BIT(12)	/* else INVPCID raises #UD */
/* VM-exit controls (§24.7.1, Table 24-13). */
#define EXIT_HOST_ADDR_SPACE_SIZE BIT(9)
#define EXIT_ACK_INTR_ON_EXIT BIT(15)
#define EXIT_SAVE_EFER BIT(20)
#define EXIT_LOAD_EFER BIT(21)
/* VM-entry controls (§24.8.1, Table 24-15). */
#define ENTRY_IA32E_MODE BIT(9)
#define ENTRY_LOAD_EFER BIT(15)

/* VMCS field encodings (Appendix B). */
enum vmcs_field {
	VMCS_VPID = 0x0000,
	VMCS_POSTED_INTR_NV = 0x0002,
	VMCS_GUEST_ES_SEL = 0x0800,
	VMCS_GUEST_CS_SEL = 0x0802,
	VMCS_GUEST_SS_SEL = 0x0804,
	VMCS_GUEST_DS_SEL = 0x0806,
	VMCS_GUEST_FS_SEL = 0x0808,
	VMCS_GUEST_GS_SEL = 0x080a,
	VMCS_GUEST_LDTR_SEL = 0x080c,
	VMCS_GUEST_TR_SEL = 0x080e,
	VMCS_GUEST_INTR_STATUS = 0x0810,
	VMCS_HOST_ES_SEL = 0x0c00,
	VMCS_HOST_CS_SEL = 0x0c02,
	VMCS_HOST_SS_SEL = 0x0c04,
	VMCS_HOST_DS_SEL = 0x0c06,
	VMCS_HOST_FS_SEL = 0x0c08,
	VMCS_HOST_GS_SEL = 0x0c0a,
	VMCS_HOST_TR_SEL = 0x0c0c,
	VMCS_IO_BITMAP_A = 0x2000,
	VMCS_IO_BITMAP_B = 0x2002,
	VMCS_MSR_BITMAP = 0x2004,
	VMCS_EXIT_MSR_STORE_ADDR = 0x2006,
	VMCS_EXIT_MSR_LOAD_ADDR = 0x2008,
	VMCS_ENTRY_MSR_LOAD_ADDR = 0x200a,
	VMCS_VIRTUAL_APIC_PAGE = 0x2012,
	VMCS_POSTED_INTR_DESC = 0x2016,
	VMCS_EOI_EXIT_BITMAP0 = 0x201c,	/* ..3 at 0x2022, 2 apart */
	VMCS_EPT_POINTER = 0x201a,
	VMCS_GUEST_PHYS_ADDR = 0x2400,
	VMCS_LINK_POINTER = 0x2800,
	VMCS_GUEST_PAT = 0x2804,
	VMCS_GUEST_EFER = 0x2806,
	VMCS_HOST_PAT = 0x2c00,
	VMCS_HOST_EFER = 0x2c02,
	VMCS_PIN_CTLS = 0x4000,
	VMCS_CPU_CTLS = 0x4002,
	VMCS_EXCEPTION_BITMAP = 0x4004,
	VMCS_EXIT_CTLS = 0x400c,
	VMCS_EXIT_MSR_STORE_COUNT = 0x400e,
	VMCS_EXIT_MSR_LOAD_COUNT = 0x4010,
	VMCS_ENTRY_CTLS = 0x4012,
	VMCS_ENTRY_MSR_LOAD_COUNT = 0x4014,
	VMCS_ENTRY_INTR_INFO = 0x4016,
	VMCS_ENTRY_EXCEPTION_ERROR = 0x4018,
	VMCS_ENTRY_INSTR_LEN = 0x401a,
	VMCS_TPR_THRESHOLD = 0x401c,
	VMCS_CPU_CTLS2 = 0x401e,
	VMCS_INSTR_ERROR = 0x4400,
	VMCS_EXIT_REASON = 0x4402,
	VMCS_EXIT_INTR_INFO = 0x4404,
	VMCS_EXIT_INTR_ERROR = 0x4406,
	VMCS_IDT_VECTORING_INFO = 0x4408,
	VMCS_IDT_VECTORING_ERROR = 0x440a,
	VMCS_EXIT_INSTR_LEN = 0x440c,
	VMCS_GUEST_ES_LIMIT = 0x4800,
	VMCS_GUEST_GDTR_LIMIT = 0x4810,
	VMCS_GUEST_IDTR_LIMIT = 0x4812,
	VMCS_GUEST_ES_AR = 0x4814,
	VMCS_GUEST_INTERRUPTIBILITY = 0x4824,
	VMCS_GUEST_ACTIVITY = 0x4826,
	VMCS_GUEST_SYSENTER_CS = 0x482a,
	VMCS_HOST_SYSENTER_CS = 0x4c00,
	VMCS_CR0_MASK = 0x6000,
	VMCS_CR4_MASK = 0x6002,
	VMCS_CR0_SHADOW = 0x6004,
	VMCS_CR4_SHADOW = 0x6006,
	VMCS_EXIT_QUALIFICATION = 0x6400,
	VMCS_GUEST_CR0 = 0x6800,
	VMCS_GUEST_CR3 = 0x6802,
	VMCS_GUEST_CR4 = 0x6804,
	VMCS_GUEST_ES_BASE = 0x6806,
	VMCS_GUEST_GDTR_BASE = 0x6816,
	VMCS_GUEST_IDTR_BASE = 0x6818,
	VMCS_GUEST_DR7 = 0x681a,
	VMCS_GUEST_RSP = 0x681c,
	VMCS_GUEST_RIP = 0x681e,
	VMCS_GUEST_RFLAGS = 0x6820,
	VMCS_GUEST_PENDING_DBG = 0x6822,
	VMCS_GUEST_SYSENTER_ESP = 0x6824,
	VMCS_GUEST_SYSENTER_EIP = 0x6826,
	VMCS_HOST_CR0 = 0x6c00,
	VMCS_HOST_CR3 = 0x6c02,
	VMCS_HOST_CR4 = 0x6c04,
	VMCS_HOST_FS_BASE = 0x6c06,
	VMCS_HOST_GS_BASE = 0x6c08,
	VMCS_HOST_TR_BASE = 0x6c0a,
	VMCS_HOST_GDTR_BASE = 0x6c0c,
	VMCS_HOST_IDTR_BASE = 0x6c0e,
	VMCS_HOST_SYSENTER_ESP = 0x6c10,
	VMCS_HOST_SYSENTER_EIP = 0x6c12,
	VMCS_HOST_RSP = 0x6c14,
	VMCS_HOST_RIP = 0x6c16,
};
/* Guest segment n (ES=0 .. TR=7) fields are 2 apart (Appendix B). */
#define VMCS_SEG_STRIDE 2

/* MSR bitmap (§24.6.9): one 4 KiB page, four 1 KiB bit arrays, a set bit
 * makes that access exit. */
#define MSR_BITMAP_READ_LOW 0		/* MSRs 0 - 0x1fff */
#define MSR_BITMAP_READ_HIGH 1024	/* MSRs 0xc0000000 - 0xc0001fff */
#define MSR_BITMAP_WRITE_LOW 2048
#define MSR_BITMAP_WRITE_HIGH 3072
#define MSR_BITMAP_HIGH_BASE 0xc0000000u
#define MSR_BITMAP_RANGE 0x2000u	/* MSRs per array */

/* One entry of a VM-entry/VM-exit MSR-load or MSR-store area (§24.7.2,
 * Table 24-12); an area is 16-byte aligned. */
struct vmx_msr_entry {
	u32 index;
	u32 reserved;	/* must be 0 */
	u64 value;
};
_Static_assert(sizeof(struct vmx_msr_entry) == 16, "MSR area entries are 16 bytes");

/* Access rights (§24.4.1, Table 24-2). */
#define VMX_AR_CODE64 0xa09b	/* type 0xb, S, P, L, G */
#define VMX_AR_DATA 0xc093	/* type 3, S, P, D/B, G */
#define VMX_AR_TSS64 0x008b	/* busy 64-bit TSS, P */
#define VMX_AR_UNUSABLE BIT(16)

/* Interruption information (§24.8.3, Table 24-16; §24.9.2). */
#define INTR_INFO_VALID BIT(31)
#define INTR_INFO_ERROR_VALID BIT(11)
#define INTR_TYPE_EXT_INTR (0u << 8)
#define INTR_TYPE_NMI (2u << 8)
#define INTR_TYPE_HW_EXCEPTION (3u << 8)
#define INTR_TYPE_MASK (7u << 8)
/* Interruptibility state (Table 24-3): blocking by STI, by MOV SS. */
#define INTERRUPTIBILITY_STI BIT(0)
#define INTERRUPTIBILITY_MOVSS BIT(1)

/* Exit reasons (Appendix C). */
#define EXIT_REASON_EXCEPTION_NMI 0
#define EXIT_REASON_EXT_INTR 1
#define EXIT_REASON_TRIPLE_FAULT 2
#define EXIT_REASON_INTR_WINDOW 7
#define EXIT_REASON_CPUID 10
#define EXIT_REASON_GETSEC 11
#define EXIT_REASON_HLT 12
#define EXIT_REASON_INVD 13
#define EXIT_REASON_VMCALL 18
#define EXIT_REASON_VMCLEAR 19
#define EXIT_REASON_VMLAUNCH 20
#define EXIT_REASON_VMPTRLD 21
#define EXIT_REASON_VMPTRST 22
#define EXIT_REASON_VMREAD 23
#define EXIT_REASON_VMRESUME 24
#define EXIT_REASON_VMWRITE 25
#define EXIT_REASON_VMXOFF 26
#define EXIT_REASON_VMXON 27
#define EXIT_REASON_CR_ACCESS 28
#define EXIT_REASON_IO 30
#define EXIT_REASON_RDMSR 31
#define EXIT_REASON_WRMSR 32
#define EXIT_REASON_INVALID_GUEST 33
#define EXIT_REASON_MSR_LOADING 34
#define EXIT_REASON_MWAIT 36
#define EXIT_REASON_MONITOR 39
#define EXIT_REASON_MCE_ENTRY 41
#define EXIT_REASON_EPT_VIOLATION 48
#define EXIT_REASON_EPT_MISCONFIG 49
#define EXIT_REASON_INVEPT 50
#define EXIT_REASON_INVVPID 53
#define EXIT_REASON_WBINVD 54
#define EXIT_REASON_XSETBV 55
#define EXIT_REASON_VMFUNC 59
#define EXIT_REASON_ENTRY_FAILURE BIT(31)

/* I/O exit qualification (§27.2.1, Table 27-5). */
#define IO_QUAL_SIZE_MASK 7
#define IO_QUAL_IN BIT(3)
#define IO_QUAL_STRING BIT(4)
#define IO_QUAL_REP BIT(5)
#define IO_QUAL_PORT_SHIFT 16
/* Control-register access qualification (Table 27-3): CR number, and
 * the access type (0: MOV to CR, 1: MOV from CR). */
#define CR_QUAL_NUM_MASK 0xf
#define CR_QUAL_TYPE_SHIFT 4
#define CR_QUAL_TYPE_MASK 3
/* EPT violation qualification (Table 27-7). */
#define EPT_QUAL_READ BIT(0)
#define EPT_QUAL_WRITE BIT(1)
#define EPT_QUAL_FETCH BIT(2)
#define EPT_QUAL_PRESENT_MASK (7ull << 3)

#endif
