/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's wall clock: the firmware's time at boot (UEFI GetTime,
 * recorded by the boot stub) carried forward by the TSC. Nothing here
 * ever writes the machine's RTC. Read by the guests' virtual RTCs.
 */
#ifndef KERNEL_WALLCLOCK_H
#define KERNEL_WALLCLOCK_H

#include "boot/bootinfo.h"
#include "lib/types.h"

/* Once, after timer_calibrate(): takes t, logs the date it starts from. */
void wallclock_init(const struct hv_boot_time *t);
/* Now, in ns since 1970-01-01 00:00:00 UTC (from 1970 if GetTime failed). */
u64 wallclock_ns(void);

#endif
