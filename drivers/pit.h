/* SPDX-License-Identifier: MIT */
/*
 * The 8254 programmable interval timer, channel 0 (Intel 82C54 datasheet),
 * wired to ISA IRQ 0. The hypervisor's clocks are the TSC and the local
 * APIC timer; the PIT only serves as a known interrupt source behind an
 * IOAPIC pin, to prove IOAPIC routing and its interrupt remapping.
 */
#ifndef DRIVERS_PIT_H
#define DRIVERS_PIT_H

#include "lib/types.h"

#define PIT_HZ 1193182
#define PIT_ISA_IRQ 0

/* Channel 0 as a rate generator at about hz interrupts per second. */
void pit_start(u32 hz);
/* One-shot with the longest count: stops periodic interrupts. */
void pit_stop(void);

#endif
