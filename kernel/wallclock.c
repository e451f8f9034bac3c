// SPDX-License-Identifier: MIT
/*
 * Wall clock (see kernel/wallclock.h). UEFI's time zone is not applied:
 * a PC's CMOS clock, which GetTime reads on OVMF and most firmware, holds
 * UTC by the convention Linux also assumes ("unspecified" is what OVMF
 * reports); the line at boot says what was taken.
 */
#define LOG_SUBSYS "timer"
#include "kernel/wallclock.h"

#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/timer.h"
#include "lib/civil_time.h"

#define NS_PER_S 1000000000ull
#define EFI_TZ_UNSPECIFIED 2047	/* UEFI 2.10 §8.3.1, EFI_UNSPECIFIED_TIMEZONE */

static u64 wall_at_base, time_at_base;	/* Unix ns, time_ns() */

void wallclock_init(const struct hv_boot_time *t)
{
	struct civil_time c = { t->year, t->month, t->day, t->hour,
				t->minute, t->second, 0 };

	time_at_base = time_ns();
	if (!t->valid || !civil_valid(&c)) {
		pr_warn("no wall clock from the firmware (GetTime %s): guests' RTCs start at 1970-01-01\n",
			t->valid ? "gave no valid date" : "failed");
		return;
	}
	wall_at_base = civil_to_unix(&c) * NS_PER_S + t->nanosecond % NS_PER_S +
		       tsc_to_ns(rdtsc() - t->tsc);
	civil_from_unix(wall_at_base / NS_PER_S, &c);
	pr_info("wall clock %04u-%02u-%02u %02u:%02u:%02u UTC from UEFI GetTime (time zone %s), carried on by the TSC\n",
		c.year, c.month, c.day, c.hour, c.minute, c.second,
		t->timezone == EFI_TZ_UNSPECIFIED ? "unspecified: taken as UTC" :
		"given, not applied: taken as UTC");
}

u64 wallclock_ns(void)
{
	return wall_at_base + (time_ns() - time_at_base);
}
