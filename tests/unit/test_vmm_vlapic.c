// SPDX-License-Identifier: MIT
/*
 * Host tests for vmm/vlapic.c and vmm/pi_desc.h: the x2APIC timer MSRs
 * (divide encoding, periodic and one-shot deadlines, current count,
 * masking, no bursts after a stall), interrupt priority between IRR and
 * ISR, EOI, and posting/draining through the PI descriptor.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/hv_abi.h"
#include "vmm/pi_desc.h"
#include "vmm/vlapic.h"

#define MS 1000000ull

static void test_divisor(void **state)
{
	/* SDM Vol. 3A Figure 11-10: bits 3,1,0 */
	assert_int_equal(vlapic_divisor(0x0), 2);
	assert_int_equal(vlapic_divisor(0x1), 4);
	assert_int_equal(vlapic_divisor(0x2), 8);
	assert_int_equal(vlapic_divisor(0x3), 16);
	assert_int_equal(vlapic_divisor(0x8), 32);
	assert_int_equal(vlapic_divisor(0x9), 64);
	assert_int_equal(vlapic_divisor(0xa), 128);
	assert_int_equal(vlapic_divisor(0xb), 1);
}

static void test_periodic_timer(void **state)
{
	struct vlapic l;
	u64 v, t0 = 1000 * MS;

	memset(&l, 0, sizeof(l));
	assert_true(vlapic_msr_write(&l, HV_MSR_X2APIC_TIMER_DIV, 0xb, t0));
	assert_true(vlapic_msr_write(&l, HV_MSR_X2APIC_LVT_TIMER,
				     0x20 | HV_LVT_PERIODIC, t0));
	/* 100 Hz at 100 MHz / 1 */
	assert_true(vlapic_msr_write(&l, HV_MSR_X2APIC_TIMER_INIT, 1000000, t0));
	assert_int_equal(l.deadline_ns, t0 + 10 * MS);
	assert_true(vlapic_msr_read(&l, HV_MSR_X2APIC_TIMER_CUR, t0 + 4 * MS, &v));
	assert_int_equal(v, 600000);
	assert_int_equal(vlapic_timer_due(&l, t0 + 9 * MS), 0);
	assert_int_equal(vlapic_timer_due(&l, t0 + 10 * MS), 0x20);
	assert_int_equal(l.deadline_ns, t0 + 20 * MS);
	/* a long stall raises one interrupt, not a burst */
	assert_int_equal(vlapic_timer_due(&l, t0 + 95 * MS), 0x20);
	assert_int_equal(l.deadline_ns, t0 + 105 * MS);
	assert_int_equal(vlapic_timer_due(&l, t0 + 96 * MS), 0);
	assert_int_equal(l.ticks, 2);
	/* the shortest period is VLAPIC_MIN_PERIOD_NS, not one count */
	assert_true(vlapic_msr_write(&l, HV_MSR_X2APIC_TIMER_INIT, 1, t0));
	assert_int_equal(l.deadline_ns, t0 + VLAPIC_MIN_PERIOD_NS);
	/* writing 0 stops it */
	assert_true(vlapic_msr_write(&l, HV_MSR_X2APIC_TIMER_INIT, 0, t0));
	assert_int_equal(vlapic_timer_due(&l, ~0ull), 0);
}

static void test_oneshot_masked_divided(void **state)
{
	struct vlapic l;
	u64 v;

	memset(&l, 0, sizeof(l));
	vlapic_msr_write(&l, HV_MSR_X2APIC_TIMER_DIV, 0x3, 0); /* /16 */
	vlapic_msr_write(&l, HV_MSR_X2APIC_LVT_TIMER, 0x40, 0);
	vlapic_msr_write(&l, HV_MSR_X2APIC_TIMER_INIT, 1000, 0);
	assert_int_equal(l.deadline_ns, 1000ull * 16 * 10);
	assert_int_equal(vlapic_timer_due(&l, 160000), 0x40);
	assert_int_equal(l.deadline_ns, 0);		/* one-shot */
	assert_true(vlapic_msr_read(&l, HV_MSR_X2APIC_TIMER_CUR, 200000, &v));
	assert_int_equal(v, 0);
	/* masked: counts, raises nothing */
	vlapic_msr_write(&l, HV_MSR_X2APIC_LVT_TIMER, 0x40 | HV_LVT_MASKED, 0);
	vlapic_msr_write(&l, HV_MSR_X2APIC_TIMER_INIT, 10, 0);
	assert_int_equal(vlapic_timer_due(&l, 1 * MS), 0);
	/* an illegal vector (< 16) raises nothing either */
	vlapic_msr_write(&l, HV_MSR_X2APIC_LVT_TIMER, 0x05, 0);
	vlapic_msr_write(&l, HV_MSR_X2APIC_TIMER_INIT, 10, 0);
	assert_int_equal(vlapic_timer_due(&l, 1 * MS), 0);
	/* reserved LVT bits are dropped */
	vlapic_msr_write(&l, HV_MSR_X2APIC_LVT_TIMER, 0xffffffff, 0);
	vlapic_msr_read(&l, HV_MSR_X2APIC_LVT_TIMER, 0, &v);
	assert_int_equal(v, 0x700ff);	/* vector, mask, two mode bits */
	/* unknown MSRs are refused (the VMM injects #GP) */
	assert_false(vlapic_msr_read(&l, 0x1b, 0, &v));
	assert_false(vlapic_msr_write(&l, 0x831, 0, 0));	/* reserved (the ICR is 0x830) */
}

static void test_priority_and_eoi(void **state)
{
	struct vlapic l;
	u64 posted[4] = { 0 };

	memset(&l, 0, sizeof(l));
	assert_int_equal(vlapic_pending(&l), 0);
	posted[0x31 >> 6] |= 1ull << (0x31 & 63);
	posted[0x45 >> 6] |= 1ull << (0x45 & 63);
	vlapic_merge(&l, posted);
	assert_int_equal(vlapic_pending(&l), 0x45);
	vlapic_accept(&l, 0x45);
	/* 0x31 is a lower class than 0x45 in service: held back */
	assert_int_equal(vlapic_pending(&l), 0);
	/* 0x4f is the same class: held back too */
	memset(posted, 0, sizeof(posted));
	posted[1] |= 1ull << (0x4f & 63);
	vlapic_merge(&l, posted);
	assert_int_equal(vlapic_pending(&l), 0);
	/* EOI retires 0x45, then 0x4f goes first */
	assert_true(vlapic_msr_write(&l, HV_MSR_X2APIC_EOI, 0, 0));
	assert_int_equal(vlapic_pending(&l), 0x4f);
	vlapic_accept(&l, 0x4f);
	vlapic_eoi(&l);
	assert_int_equal(vlapic_pending(&l), 0x31);
	/* vectors 0-15 are never offered */
	memset(&l, 0, sizeof(l));
	l.irr[0] = 0xffff;
	assert_int_equal(vlapic_pending(&l), 0);
}

static void test_pi_desc(void **state)
{
	static struct pi_desc pi;
	u64 irr[4] = { 0, 1ull << 7, 0, 0 };	/* 0x47 already requested */

	assert_int_equal(sizeof(pi), 64);
	assert_false(pi_pending(&pi));
	assert_true(pi_post(&pi, 0x20));	/* ON was clear: notify */
	assert_false(pi_post(&pi, 0xfe));	/* already ON */
	assert_true(pi_pending(&pi));
	pi_drain(&pi, irr);
	assert_false(pi_pending(&pi));
	/* ORed into the IRR, whose own bits stay; the PIR is empty */
	assert_true(irr[0] == 1ull << 0x20);
	assert_true(irr[1] == 1ull << 7);
	assert_true(irr[3] == 1ull << (0xfe - 192));
	assert_true(!pi.pir[0] && !pi.pir[1] && !pi.pir[2] && !pi.pir[3]);
	memset(irr, 0, sizeof(irr));
	pi_drain(&pi, irr);
	assert_true(!irr[0] && !irr[1] && !irr[2] && !irr[3]);
	/* notification vector and destination land in the SDM's bytes */
	pi_set_nv(&pi, 0xf2, 7);
	assert_int_equal(((u8 *)&pi)[34], 0xf2);
	assert_int_equal(*(u32 *)((u8 *)&pi + 36), 7);
}

/* TSC-deadline mode (§11.5.4.1): one shot at the converted deadline. */
static void test_tsc_deadline(void **state)
{
	struct vlapic l;

	memset(&l, 0, sizeof(l));
	/* not in TSC-deadline mode: the write is ignored */
	vlapic_tsc_deadline_write(&l, 5000, 5 * MS);
	assert_int_equal(l.deadline_ns, 0);
	vlapic_msr_write(&l, HV_MSR_X2APIC_LVT_TIMER,
			 VLAPIC_LVT_TSC_DEADLINE | 0xec, 0);
	vlapic_tsc_deadline_write(&l, 5000, 5 * MS);
	assert_int_equal(l.tsc_deadline, 5000);
	/* the initial count does nothing in this mode */
	vlapic_msr_write(&l, HV_MSR_X2APIC_TIMER_INIT, 1, 0);
	assert_int_equal(l.deadline_ns, 5 * MS);
	assert_int_equal(vlapic_timer_due(&l, 4 * MS), 0);
	assert_int_equal(vlapic_timer_due(&l, 5 * MS), 0xec);
	assert_int_equal(l.tsc_deadline, 0);
	assert_int_equal(vlapic_timer_due(&l, 50 * MS), 0);	/* one shot */
	/* writing 0 disarms; leaving the mode disarms too */
	vlapic_tsc_deadline_write(&l, 7000, 7 * MS);
	vlapic_tsc_deadline_write(&l, 0, 0);
	assert_int_equal(l.deadline_ns, 0);
	vlapic_tsc_deadline_write(&l, 7000, 7 * MS);
	vlapic_msr_write(&l, HV_MSR_X2APIC_LVT_TIMER, 0xec, 0);
	assert_int_equal(l.deadline_ns, 0);
	assert_int_equal(l.tsc_deadline, 0);
}

/* What Linux's x2APIC setup reads and writes besides the timer. */
static void test_linux_registers(void **state)
{
	struct vlapic l;
	u64 v;

	memset(&l, 0, sizeof(l));
	/* every LVT resets masked, and keeps what is written */
	assert_true(vlapic_msr_read(&l, X2APIC_MSR_LVT_LINT0, 0, &v));
	assert_int_equal(v, VLAPIC_LVT_MASKED);
	assert_true(vlapic_msr_write(&l, X2APIC_MSR_LVT_LINT1, 0x400, 0));
	assert_true(vlapic_msr_read(&l, X2APIC_MSR_LVT_LINT1, 0, &v));
	assert_int_equal(v, 0x400);
	assert_true(vlapic_msr_write(&l, X2APIC_MSR_LVT_ERROR, 0, 0));
	assert_true(vlapic_msr_read(&l, X2APIC_MSR_LVT_ERROR, 0, &v));
	assert_int_equal(v, 0);
	/* ESR: only 0 may be written */
	assert_true(vlapic_msr_write(&l, X2APIC_MSR_ESR, 0, 0));
	assert_false(vlapic_msr_write(&l, X2APIC_MSR_ESR, 1, 0));
	assert_true(vlapic_msr_read(&l, X2APIC_MSR_LDR, 0, &v));
	assert_int_equal(v, 1);
	/* a self IPI lands in IRR, which reads back 32 bits at a time */
	assert_true(vlapic_msr_write(&l, X2APIC_MSR_SELF_IPI, 0xf6, 0));
	assert_true(vlapic_msr_read(&l, X2APIC_MSR_IRR0 + 7, 0, &v));
	assert_int_equal(v, 1u << (0xf6 - 224));
	assert_int_equal(vlapic_pending(&l), 0xf6);
	vlapic_accept(&l, 0xf6);
	assert_true(vlapic_msr_read(&l, X2APIC_MSR_ISR0 + 7, 0, &v));
	assert_int_equal(v, 1u << (0xf6 - 224));
	assert_true(vlapic_msr_read(&l, X2APIC_MSR_IRR0 + 7, 0, &v));
	assert_int_equal(v, 0);
	vlapic_eoi(&l);
	/* ICR: fixed to self (shorthand or APIC ID 0) is taken, others not */
	assert_true(vlapic_msr_write(&l, X2APIC_MSR_ICR, X2APIC_ICR_SELF | 0x40, 0));
	assert_true(vlapic_msr_write(&l, X2APIC_MSR_ICR, 0x41, 0));
	assert_true(vlapic_msr_write(&l, X2APIC_MSR_ICR, (1ull << 32) | 0x42, 0));
	assert_true(vlapic_msr_write(&l, X2APIC_MSR_ICR, 0x500 | 0x43, 0)); /* INIT */
	assert_int_equal(l.irr[1], BIT(0) | BIT(1));
	/* illegal vectors are dropped */
	assert_true(vlapic_msr_write(&l, X2APIC_MSR_SELF_IPI, 3, 0));
	assert_int_equal(l.irr[0], 0);
	assert_true(vlapic_msr_read(&l, X2APIC_MSR_TMR0, 0, &v));
	assert_int_equal(v, 0);
	assert_false(vlapic_msr_read(&l, 0x8ff, 0, &v));
}

/* The IPI policy (vlapic_ipi_check): what pcattack.bzimage tries. Only
 * fixed IPIs whose destination includes the vCPU land, in its own IRR. */
static void test_ipi_policy(void **state)
{
	static const struct { u64 icr; enum vlapic_ipi want; } cases[] = {
		{ X2APIC_ICR_SELF | 0x40, VLAPIC_IPI_SELF },
		{ X2APIC_ICR_ALL | 0x40, VLAPIC_IPI_SELF },
		{ X2APIC_ICR_OTHERS | 0x40, VLAPIC_IPI_NOBODY },
		{ 0x40, VLAPIC_IPI_SELF },			/* physical 0 */
		{ (1ull << 32) | 0x40, VLAPIC_IPI_NOBODY },	/* APIC ID 1 */
		{ (0xffffffffull << 32) | 0x40, VLAPIC_IPI_SELF }, /* broadcast */
		{ X2APIC_ICR_LOGICAL | (1ull << 32) | 0x40, VLAPIC_IPI_SELF },
		{ X2APIC_ICR_LOGICAL | (2ull << 32) | 0x40, VLAPIC_IPI_NOBODY },
		{ X2APIC_ICR_LOGICAL | (0x10001ull << 32) | 0x40, VLAPIC_IPI_NOBODY },
		{ X2APIC_ICR_LOGICAL | 0x40, VLAPIC_IPI_NOBODY }, /* logical 0: none */
		{ X2APIC_ICR_SELF | 0x3, VLAPIC_IPI_BAD_VECTOR },
		{ 0x100 | 0x40, VLAPIC_IPI_BAD_MODE },		/* lowest priority */
		{ 0x200 | X2APIC_ICR_SELF, VLAPIC_IPI_BAD_MODE }, /* SMI */
		{ 0x400 | X2APIC_ICR_SELF, VLAPIC_IPI_BAD_MODE }, /* NMI */
		{ 0x400 | (1ull << 32), VLAPIC_IPI_BAD_MODE },	/* NMI to another */
		{ 0x500 | X2APIC_ICR_OTHERS, VLAPIC_IPI_BAD_MODE }, /* INIT */
		{ 0x600 | X2APIC_ICR_OTHERS | 0x10, VLAPIC_IPI_BAD_MODE }, /* SIPI */
		{ 0x700 | X2APIC_ICR_SELF | 0x40, VLAPIC_IPI_BAD_MODE }, /* ExtINT */
	};
	struct vlapic l;
	unsigned i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&l, 0, sizeof(l));
		assert_int_equal(vlapic_ipi_check(X2APIC_MSR_ICR, cases[i].icr),
				 cases[i].want);
		assert_true(vlapic_msr_write(&l, X2APIC_MSR_ICR, cases[i].icr, 0));
		assert_int_equal(vlapic_pending(&l),
				 cases[i].want == VLAPIC_IPI_SELF ? 0x40 : 0);
	}
	assert_int_equal(vlapic_ipi_check(X2APIC_MSR_SELF_IPI, 15), VLAPIC_IPI_BAD_VECTOR);
	assert_int_equal(vlapic_ipi_check(X2APIC_MSR_SELF_IPI, 0x500 | 0x40), VLAPIC_IPI_SELF);
	/* a storm coalesces: one IRR bit, one interrupt */
	memset(&l, 0, sizeof(l));
	for (i = 0; i < 100000; i++)
		vlapic_msr_write(&l, X2APIC_MSR_SELF_IPI, 0x41, 0);
	assert_int_equal(vlapic_pending(&l), 0x41);
	vlapic_accept(&l, 0x41);
	assert_int_equal(vlapic_pending(&l), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_divisor),
		cmocka_unit_test(test_periodic_timer),
		cmocka_unit_test(test_oneshot_masked_divided),
		cmocka_unit_test(test_priority_and_eoi),
		cmocka_unit_test(test_pi_desc),
		cmocka_unit_test(test_linux_registers),
		cmocka_unit_test(test_tsc_deadline),
		cmocka_unit_test(test_ipi_policy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
