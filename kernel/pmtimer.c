// SPDX-License-Identifier: MIT
/* ACPI power-management timer as a reference clock (ACPI 6.5 §4.8.3.3). */
#include "kernel/cpu.h"
#include "kernel/refclock.h"

#define PMTIMER_HZ 3579545

static u16 pm_port;

static u64 pmtimer_read(void)
{
	return inl(pm_port);
}

int pmtimer_refclock(u32 port, bool width32, struct refclock *out)
{
	if (!port || port > 0xffff)
		return -1;
	pm_port = (u16)port;
	out->name = "ACPI PM timer";
	out->hz = PMTIMER_HZ;
	out->mask = width32 ? 0xffffffffull : 0xffffffull;
	out->read = pmtimer_read;
	return 0;
}
