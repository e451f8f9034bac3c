/* SPDX-License-Identifier: MIT */
/*
 * The guest's virtual local APIC: just what the x2APIC timer, interrupt
 * acceptance and EOI need (SDM Vol. 3A chapter 11: §11.5.4 timer, §11.8.3
 * IRR/ISR and priority, §11.8.5 EOI, §11.12.1.2 x2APIC MSRs). Pure: time is
 * passed in as ns, so it is host-unit-tested (tests/unit/test_vmm_vlapic.c).
 */
#ifndef VMM_VLAPIC_H
#define VMM_VLAPIC_H

#include "lib/types.h"

/* x2APIC MSRs beyond the timer ones of lib/hv_abi.h (SDM Vol. 3A §11.12.1.2,
 * Table 11-6). */
#define X2APIC_MSR_LDR 0x80d
#define X2APIC_MSR_ISR0 0x810		/* ..0x817: 32 vectors each */
#define X2APIC_MSR_TMR0 0x818
#define X2APIC_MSR_IRR0 0x820
#define X2APIC_MSR_ESR 0x828
#define X2APIC_MSR_LVT_CMCI 0x82f
#define X2APIC_MSR_ICR 0x830
#define X2APIC_MSR_LVT_THERMAL 0x833
#define X2APIC_MSR_LVT_PMC 0x834
#define X2APIC_MSR_LVT_LINT0 0x835
#define X2APIC_MSR_LVT_LINT1 0x836
#define X2APIC_MSR_LVT_ERROR 0x837
#define X2APIC_MSR_SELF_IPI 0x83f
#define X2APIC_IR_REGS 8		/* ISR, TMR, IRR: 8 MSRs of 32 bits */
/* ICR (§11.6.1, Figure 11-12 as x2APIC's 64-bit MSR) */
#define X2APIC_ICR_VECTOR 0xffu
#define X2APIC_ICR_DM_SHIFT 8
#define X2APIC_ICR_DM_MASK (7u << 8)	/* delivery mode; 0 = fixed */
#define X2APIC_ICR_LOGICAL BIT(11)	/* destination mode */
#define X2APIC_ICR_SHORTHAND (3u << 18)
#define X2APIC_ICR_SELF (1u << 18)
#define X2APIC_ICR_ALL (2u << 18)	/* all including self */
#define X2APIC_ICR_OTHERS (3u << 18)	/* all excluding self */
#define X2APIC_ICR_DEST_SHIFT 32
#define X2APIC_BROADCAST 0xffffffffu	/* x2APIC destination: every APIC */
#define VLAPIC_LDR 1u			/* cluster 0, bit 0 (§11.12.10.2) */
#define VLAPIC_LVT_MASKED BIT(16)	/* the reset value of every LVT */
#define VLAPIC_LVT_TSC_DEADLINE BIT(18)	/* timer mode 10b (§11.5.4.1) */
/* The LVTs other than the timer, kept only to be read back. */
enum { VLAPIC_LVT_CMCI, VLAPIC_LVT_THERMAL, VLAPIC_LVT_PMC,
       VLAPIC_LVT_LINT0, VLAPIC_LVT_LINT1, VLAPIC_LVT_ERROR, VLAPIC_NLVT };

struct vlapic {
	u64 irr[4], isr[4];
	/* stored with the mask bit flipped, so that the zeroed state reads
	 * as the reset value, masked (§11.5.1) */
	u32 lvt[VLAPIC_NLVT];
	u32 lvt_timer;		/* x2APIC MSR 0x832 */
	u32 initial;		/* 0x838 */
	u32 divide_cfg;		/* 0x83e */
	u64 deadline_ns;	/* 0: timer not running */
	u64 tsc_deadline;	/* IA32_TSC_DEADLINE as written; 0 once fired */
	u64 period_ns;		/* initial count * divisor in ns */
	u64 ticks;		/* timer interrupts raised */
};

/* The shortest timer period a guest gets: 10 kHz at most. */
#define VLAPIC_MIN_PERIOD_NS 100000ull

/*
 * An IPI the guest asks for (an ICR or SELF_IPI write): the one vCPU gets
 * fixed IPIs whose destination includes it. Nothing ever leaves the
 * vCPU: no other CPU is the guest's, and NMI, SMI, INIT, SIPI,
 * lowest-priority and ExtINT IPIs are refused even to itself.
 */
enum vlapic_ipi {
	VLAPIC_IPI_SELF = 0,	/* delivered */
	VLAPIC_IPI_NOBODY,	/* to another APIC ID / all-but-self: none there */
	VLAPIC_IPI_BAD_MODE,	/* not fixed delivery: refused */
	VLAPIC_IPI_BAD_VECTOR,	/* vectors 0-15 are illegal (§11.5.2) */
	VLAPIC_IPI_COUNT
};
/* What an ICR (X2APIC_MSR_ICR) or SELF_IPI write of val does. */
enum vlapic_ipi vlapic_ipi_check(u32 msr, u64 val);

/* Divide configuration register value -> divisor (Figure 11-10). */
u32 vlapic_divisor(u32 divide_cfg);

/*
 * x2APIC timer MSRs and EOI, TPR, SVR, ID, version, LDR, ISR/TMR/IRR,
 * ESR, the other LVTs (stored, no effect), self IPIs (ICR to self or to
 * APIC ID 0 with fixed delivery, SELF_IPI). Returns false for an MSR it
 * does not implement (the caller injects #GP).
 */
bool vlapic_msr_read(struct vlapic *l, u32 msr, u64 now, u64 *val);
bool vlapic_msr_write(struct vlapic *l, u32 msr, u64 val, u64 now);

/*
 * IA32_TSC_DEADLINE written with tsc, which the caller converted to
 * deadline_ns (0 disarms). Ignored unless the LVT timer is in TSC-deadline
 * mode, as the SDM says (§11.5.4.1).
 */
void vlapic_tsc_deadline_write(struct vlapic *l, u64 tsc, u64 deadline_ns);

/*
 * If the timer is due at now: re-arm it (periodic) or stop it (one-shot)
 * and return the vector to raise, 0 if none (not due, masked, or an
 * illegal vector below 16).
 */
u8 vlapic_timer_due(struct vlapic *l, u64 now);

/* OR posted vectors (a drained PIR) into IRR. */
void vlapic_merge(struct vlapic *l, const u64 posted[4]);
/* The vector to offer the guest: the highest in IRR whose priority class
 * is above that of the highest in ISR; 0 if none. */
u8 vlapic_pending(const struct vlapic *l);
/* The guest took vec: IRR -> ISR. */
void vlapic_accept(struct vlapic *l, u8 vec);
/* EOI: retire the highest in-service vector. */
void vlapic_eoi(struct vlapic *l);

#endif
