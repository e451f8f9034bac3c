/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include "kernel/refclock.h"
#include "lib/types.h"

int timer_calibrate(const struct refclock *ref);
u64 tsc_hz(void);
u64 lapic_timer_hz(void);
/* Nanoseconds since calibration, from the TSC. */
u64 time_ns(void);
/* A span of TSC ticks in nanoseconds (after calibration). */
u64 tsc_to_ns(u64 ticks);
void udelay(u64 us);
/* Periodic local APIC timer interrupt on this CPU, counting ticks. */
void timer_start_periodic(u32 hz);
/*
 * One-shot local APIC timer interrupt on vector after ns (at least one
 * count). A delay beyond the 32-bit count's reach (about 4 s at 1 GHz) is
 * cut to it: the timer then fires early and the caller arms it again.
 */
void timer_oneshot(u8 vector, u64 ns);
/*
 * Halts this CPU until deadline_ns (time_ns()) or the first interrupt,
 * whichever comes first; returns with interrupts enabled. An idle wait
 * that leaves the core to others (under emulation: the host's core),
 * where udelay() would spin.
 */
void timer_sleep_until(u64 deadline_ns);

#endif
