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

struct vlapic {
	u64 irr[4], isr[4];
	u32 lvt_timer;		/* x2APIC MSR 0x832 */
	u32 initial;		/* 0x838 */
	u32 divide_cfg;		/* 0x83e */
	u64 deadline_ns;	/* 0: timer not running */
	u64 period_ns;		/* initial count * divisor in ns */
	u64 ticks;		/* timer interrupts raised */
};

/* The shortest timer period a guest gets: 10 kHz at most. */
#define VLAPIC_MIN_PERIOD_NS 100000ull

/* Divide configuration register value -> divisor (Figure 11-10). */
u32 vlapic_divisor(u32 divide_cfg);

/*
 * x2APIC timer MSRs and EOI, TPR, SVR, ID, version. Returns false for an
 * MSR it does not implement (the caller injects #GP).
 */
bool vlapic_msr_read(struct vlapic *l, u32 msr, u64 now, u64 *val);
bool vlapic_msr_write(struct vlapic *l, u32 msr, u64 val, u64 now);

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
