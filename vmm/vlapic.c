// SPDX-License-Identifier: MIT
/*
 * Virtual local APIC for guests (see vmm/vlapic.h).
 */
#include "vmm/vlapic.h"

#include "lib/hv_abi.h"

#define NS_PER_COUNT (1000000000ull / HV_VTIMER_HZ)

static int highest_bit(const u64 bits[4])
{
	int i;

	for (i = 3; i >= 0; i--)
		if (bits[i])
			return i * 64 + 63 - __builtin_clzll(bits[i]);
	return -1;
}

u32 vlapic_divisor(u32 cfg)
{
	u32 v = ((cfg & 8) >> 1) | (cfg & 3);

	return v == 7 ? 1 : 2u << v;
}

static u64 count_ns(const struct vlapic *l, u64 count)
{
	return count * vlapic_divisor(l->divide_cfg) * NS_PER_COUNT;
}

/*
 * Writing the initial count (re)starts the timer (§11.5.4). A period below
 * VLAPIC_MIN_PERIOD_NS is stretched to it: a guest asking for one
 * interrupt per count would spend its CPU in exits (KVM clamps the same
 * way, min_timer_period_us).
 */
static void arm(struct vlapic *l, u64 now)
{
	l->period_ns = MAX(count_ns(l, l->initial), VLAPIC_MIN_PERIOD_NS);
	l->deadline_ns = l->initial ? now + l->period_ns : 0;
}

/* The LVT a non-timer LVT MSR names, or -1. */
static int lvt_index(u32 msr)
{
	switch (msr) {
	case X2APIC_MSR_LVT_CMCI: return VLAPIC_LVT_CMCI;
	case X2APIC_MSR_LVT_THERMAL: return VLAPIC_LVT_THERMAL;
	case X2APIC_MSR_LVT_PMC: return VLAPIC_LVT_PMC;
	case X2APIC_MSR_LVT_LINT0: return VLAPIC_LVT_LINT0;
	case X2APIC_MSR_LVT_LINT1: return VLAPIC_LVT_LINT1;
	case X2APIC_MSR_LVT_ERROR: return VLAPIC_LVT_ERROR;
	}
	return -1;
}

/* 32 bits of a 256-bit vector register, as ISR0..7 / IRR0..7 read. */
static u32 ir_word(const u64 bits[4], u32 i)
{
	return (u32)(bits[i / 2] >> (32 * (i % 2)));
}

/* Registers outside the timer: false if msr is none of them. */
static bool read_other(const struct vlapic *l, u32 msr, u64 *val)
{
	int lvt = lvt_index(msr);

	if (lvt >= 0) {
		*val = l->lvt[lvt] ^ VLAPIC_LVT_MASKED;
		return true;
	}
	if (msr >= X2APIC_MSR_ISR0 && msr < X2APIC_MSR_ISR0 + X2APIC_IR_REGS) {
		*val = ir_word(l->isr, msr - X2APIC_MSR_ISR0);
		return true;
	}
	if (msr >= X2APIC_MSR_IRR0 && msr < X2APIC_MSR_IRR0 + X2APIC_IR_REGS) {
		*val = ir_word(l->irr, msr - X2APIC_MSR_IRR0);
		return true;
	}
	switch (msr) {
	case X2APIC_MSR_LDR:	/* cluster 0, bit 0: x2APIC ID 0 (§11.12.10.2) */
		*val = 1;
		return true;
	case X2APIC_MSR_ESR:	/* no errors ever */
		*val = 0;
		return true;
	}
	if (msr >= X2APIC_MSR_TMR0 && msr < X2APIC_MSR_TMR0 + X2APIC_IR_REGS) {
		*val = 0;	/* every interrupt we deliver is edge-triggered */
		return true;
	}
	return false;
}

/* Does the ICR's destination include this vCPU, x2APIC ID 0, LDR 1?
 * (§11.6.1 shorthands; §11.12.9 physical, §11.12.10 logical in x2APIC) */
static bool icr_includes_self(u64 icr)
{
	u32 dest = (u32)(icr >> X2APIC_ICR_DEST_SHIFT);

	switch (icr & X2APIC_ICR_SHORTHAND) {
	case X2APIC_ICR_SELF:
	case X2APIC_ICR_ALL:
		return true;
	case X2APIC_ICR_OTHERS:
		return false;
	}
	if (dest == X2APIC_BROADCAST)
		return true;
	if (icr & X2APIC_ICR_LOGICAL)	/* cluster 31:16, member bits 15:0 */
		return (dest >> 16) == 0 && (dest & VLAPIC_LDR);
	return dest == 0;
}

enum vlapic_ipi vlapic_ipi_check(u32 msr, u64 val)
{
	u8 vec = val & X2APIC_ICR_VECTOR;

	if (msr == X2APIC_MSR_ICR) {
		if (val & X2APIC_ICR_DM_MASK)
			return VLAPIC_IPI_BAD_MODE;
		if (!icr_includes_self(val))
			return VLAPIC_IPI_NOBODY;
	}
	return vec < 16 ? VLAPIC_IPI_BAD_VECTOR : VLAPIC_IPI_SELF;
}

static void send_ipi(struct vlapic *l, u32 msr, u64 val)
{
	u8 vec = val & X2APIC_ICR_VECTOR;

	if (vlapic_ipi_check(msr, val) == VLAPIC_IPI_SELF)
		l->irr[vec >> 6] |= BIT(vec & 63);
}

static bool write_other(struct vlapic *l, u32 msr, u64 val)
{
	int lvt = lvt_index(msr);

	if (lvt >= 0) {
		l->lvt[lvt] = (u32)val ^ VLAPIC_LVT_MASKED;
		return true;
	}
	switch (msr) {
	case X2APIC_MSR_ESR:
		return !val;	/* writes other than 0 #GP (§11.12.1.2) */
	case X2APIC_MSR_ICR:
	case X2APIC_MSR_SELF_IPI:
		send_ipi(l, msr, val);
		return true;
	}
	return false;
}

bool vlapic_msr_read(struct vlapic *l, u32 msr, u64 now, u64 *val)
{
	if (read_other(l, msr, val))
		return true;
	switch (msr) {
	case 0x802:		/* x2APIC ID */
		*val = 0;
		return true;
	case 0x803:		/* version 0x14, 6 LVT entries */
		*val = 0x50014;
		return true;
	case 0x808:		/* TPR */
		*val = 0;
		return true;
	case 0x80f:		/* SVR: enabled, spurious vector 0xff */
		*val = 0x1ff;
		return true;
	case HV_MSR_X2APIC_LVT_TIMER:
		*val = l->lvt_timer;
		return true;
	case HV_MSR_X2APIC_TIMER_INIT:
		*val = l->initial;
		return true;
	case HV_MSR_X2APIC_TIMER_CUR:
		*val = l->deadline_ns > now ?
			(l->deadline_ns - now) / count_ns(l, 1) : 0;
		return true;
	case HV_MSR_X2APIC_TIMER_DIV:
		*val = l->divide_cfg;
		return true;
	}
	return false;
}

/* A change of timer mode disarms the timer (§11.5.4.1). */
static void set_lvt_timer(struct vlapic *l, u32 val)
{
	u32 mode = HV_LVT_PERIODIC | VLAPIC_LVT_TSC_DEADLINE;

	if ((val ^ l->lvt_timer) & mode) {
		l->deadline_ns = 0;
		l->tsc_deadline = 0;
		l->initial = 0;
	}
	l->lvt_timer = val & (0xff | HV_LVT_MASKED | mode);
}

void vlapic_tsc_deadline_write(struct vlapic *l, u64 tsc, u64 deadline_ns)
{
	if (!(l->lvt_timer & VLAPIC_LVT_TSC_DEADLINE))
		return;
	l->tsc_deadline = tsc;
	l->deadline_ns = tsc ? MAX(deadline_ns, 1) : 0;
}

bool vlapic_msr_write(struct vlapic *l, u32 msr, u64 val, u64 now)
{
	switch (msr) {
	case HV_MSR_X2APIC_EOI:
		vlapic_eoi(l);
		return true;
	case HV_MSR_X2APIC_LVT_TIMER:
		set_lvt_timer(l, (u32)val);
		return true;
	case HV_MSR_X2APIC_TIMER_INIT:
		if (l->lvt_timer & VLAPIC_LVT_TSC_DEADLINE)
			return true;	/* ignored in that mode */
		l->initial = (u32)val;
		arm(l, now);
		return true;
	case HV_MSR_X2APIC_TIMER_DIV:
		l->divide_cfg = (u32)val & 0xb;
		return true;
	case 0x808: case 0x80f:	/* TPR, SVR: accepted, no effect */
		return true;
	}
	return write_other(l, msr, val);
}

u8 vlapic_timer_due(struct vlapic *l, u64 now)
{
	u8 vec = 0;

	if (!l->deadline_ns || now < l->deadline_ns)
		return 0;
	if (!(l->lvt_timer & HV_LVT_MASKED) && (l->lvt_timer & 0xff) >= 16) {
		vec = (u8)l->lvt_timer;
		l->ticks++;
	}
	if (l->lvt_timer & VLAPIC_LVT_TSC_DEADLINE) {
		l->deadline_ns = 0;	/* one shot; the MSR reads 0 again */
		l->tsc_deadline = 0;
	} else if (l->lvt_timer & HV_LVT_PERIODIC) {
		l->deadline_ns += l->period_ns;
		if (l->deadline_ns <= now)	/* fell behind: no burst */
			l->deadline_ns = now + l->period_ns;
	} else {
		l->deadline_ns = 0;
	}
	return vec;
}

void vlapic_merge(struct vlapic *l, const u64 posted[4])
{
	int i;

	for (i = 0; i < 4; i++)
		l->irr[i] |= posted[i];
}

u8 vlapic_pending(const struct vlapic *l)
{
	int irr = highest_bit(l->irr), isr = highest_bit(l->isr);

	if (irr < 16 || (isr >= 0 && (irr >> 4) <= (isr >> 4)))
		return 0;
	return (u8)irr;
}

void vlapic_accept(struct vlapic *l, u8 vec)
{
	l->irr[vec >> 6] &= ~BIT(vec & 63);
	l->isr[vec >> 6] |= BIT(vec & 63);
}

void vlapic_eoi(struct vlapic *l)
{
	int isr = highest_bit(l->isr);

	if (isr >= 0)
		l->isr[isr >> 6] &= ~BIT(isr & 63);
}
