/* SPDX-License-Identifier: MIT */
/*
 * What each VM exit was for, finer than enum vexit_reason: which device's
 * port, which MSR (the x2APIC EOI, the TSC deadline, the ICR). The counts
 * show where a guest's exits go (the closing report, and snapshots at
 * marked console lines for a measured window: vm_exit_stats.c). Pure:
 * host-tested in tests/unit/test_exit_kind.c.
 */
#ifndef VMM_EXIT_KIND_H
#define VMM_EXIT_KIND_H

#include "lib/types.h"

enum exit_kind {
	EK_INTR,		/* a host interrupt (a device's, a kick, the timer) */
	EK_HLT,
	EK_HYPERCALL,
	EK_IO_UART,		/* the 16550 at HV_UART_BASE: one per console byte */
	EK_IO_PIC,		/* the 8259A pair */
	EK_IO_PCI,		/* 0xcf8-0xcff: PCI configuration */
	EK_IO_RTC,		/* 0x70-0x71: CMOS RTC index/data */
	EK_IO_OTHER,
	EK_EOI,			/* WRMSR x2APIC EOI */
	EK_TSC_DEADLINE,	/* WRMSR IA32_TSC_DEADLINE */
	EK_ICR,			/* WRMSR x2APIC ICR or SELF_IPI */
	EK_APIC_OTHER,		/* other x2APIC MSR writes (LVTs, timer) */
	EK_WRMSR_OTHER,
	EK_RDMSR,
	EK_CPUID,
	EK_NPF,			/* nested page fault: MMIO emulation */
	EK_OTHER,
	EK_COUNT
};

/* The x2APIC's MSRs (SDM Vol. 3A §11.12.1.2); the ports and the ICR are
 * their devices' own (vuart.h, vpic.h, vpci.h, vrtc.h, vlapic.h). */
#define EK_X2APIC_FIRST 0x800
#define EK_X2APIC_LAST 0x8ff

/*
 * The kind of one exit: reason is an enum vexit_reason, port the I/O
 * exit's port, msr the guest's ECX at an MSR exit (ignored otherwise).
 */
u8 exit_kind(u8 reason, u16 port, u32 msr);

/* "intr", "eoi", "io-uart", ...: one word, for the log and make bench. */
const char *exit_kind_name(u8 kind);

/* "intr=N hlt=N ... other=N", every kind, into buf (always terminated). */
void exit_kind_format(char *buf, size_t len, const u64 counts[EK_COUNT]);

#endif
