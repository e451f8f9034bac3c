// SPDX-License-Identifier: MIT
/*
 * Time: the TSC and the local APIC timer, both calibrated once against a
 * reference clock. Calibration counts both over the same reference window,
 * so the two rates come from one measurement.
 */
#define LOG_SUBSYS "timer"
#include "kernel/apic.h"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/timer.h"
#include "kernel/trap.h"

#define CALIBRATION_MS 20

static u64 tsc_rate, lapic_rate, tsc_origin;

u64 tsc_hz(void)
{
	return tsc_rate;
}

u64 lapic_timer_hz(void)
{
	return lapic_rate;
}

int timer_calibrate(const struct refclock *ref)
{
	u64 window = ref->hz * CALIBRATION_MS / 1000;
	u64 r0, r1, t0, t1, elapsed;
	u32 apic_left;

	apic_timer_start(0, 0xffffffff, false);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED); /* count, no interrupt */
	r0 = ref->read();
	t0 = rdtsc();
	do {
		r1 = ref->read();
		elapsed = (r1 - r0) & ref->mask;
	} while (elapsed < window);
	t1 = rdtsc();
	apic_left = apic_read(APIC_TIMER_CURRENT);
	apic_timer_stop();

	tsc_rate = (t1 - t0) * ref->hz / elapsed;
	lapic_rate = (u64)(0xffffffffu - apic_left) * ref->hz / elapsed;
	tsc_origin = rdtsc();
	if (!tsc_rate || !lapic_rate) {
		pr_err("calibration against %s failed (TSC %llu Hz, APIC timer %llu Hz)\n",
		       ref->name, tsc_rate, lapic_rate);
		return -1;
	}
	pr_info("calibrated against %s over %u ms: TSC %llu.%03llu MHz, APIC timer %llu.%03llu MHz\n",
		ref->name, CALIBRATION_MS, tsc_rate / 1000000,
		tsc_rate / 1000 % 1000, lapic_rate / 1000000,
		lapic_rate / 1000 % 1000);
	return 0;
}

u64 tsc_to_ns(u64 ticks)
{
	/* Split to avoid overflowing ticks * 1e9 for long uptimes. */
	return ticks / tsc_rate * 1000000000ull +
	       ticks % tsc_rate * 1000000000ull / tsc_rate;
}

u64 time_ns(void)
{
	return tsc_to_ns(rdtsc() - tsc_origin);
}

void udelay(u64 us)
{
	u64 end = rdtsc() + us * tsc_rate / 1000000;

	while ((s64)(rdtsc() - end) < 0)
		cpu_relax();
}

static void timer_tick(struct regs *regs)
{
	this_cpu()->timer_ticks++;
}

void timer_oneshot(u8 vector, u64 ns)
{
	u64 max_ns = 0xffffffffull * 1000000000ull / lapic_rate;
	u64 count = MIN(ns, max_ns) * lapic_rate / 1000000000ull;

	apic_timer_start(vector, (u32)MAX(count, 1), false);
}

/*
 * "sti; hlt" is atomic with respect to interrupts: one that arrives after
 * the deadline check but before the halt still ends it.
 */
void timer_sleep_until(u64 deadline_ns)
{
	u64 now;

	irq_disable();
	now = time_ns();
	if (now < deadline_ns) {
		irq_register(VEC_TIMER, timer_tick);
		timer_oneshot(VEC_TIMER, deadline_ns - now);
		__asm__ volatile("sti; hlt" ::: "memory");
		apic_timer_stop();
	}
	irq_enable();
}

void timer_start_periodic(u32 hz)
{
	irq_register(VEC_TIMER, timer_tick);
	apic_timer_start(VEC_TIMER, (u32)(lapic_rate / hz), true);
}
