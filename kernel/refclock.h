/* SPDX-License-Identifier: MIT */
/*
 * A reference clock of known frequency, used once at boot to calibrate the
 * TSC and the local APIC timer: the HPET when ACPI describes one, else the
 * ACPI PM timer.
 */
#ifndef KERNEL_REFCLOCK_H
#define KERNEL_REFCLOCK_H

#include "lib/types.h"

struct refclock {
	const char *name;
	u64 hz;
	u64 mask; /* the counter wraps at mask + 1 */
	u64 (*read)(void);
};

int hpet_refclock(u64 base, struct refclock *out);
int pmtimer_refclock(u32 port, bool width32, struct refclock *out);
/* The PIIX4 PM timer at OVMF's fixed port, when no FADT names one; -1 if
 * it does not count. */
int pmtimer_piix4_refclock(struct refclock *out);

#endif
