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
void udelay(u64 us);
/* Periodic local APIC timer interrupt on this CPU, counting ticks. */
void timer_start_periodic(u32 hz);

#endif
