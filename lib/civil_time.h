/* SPDX-License-Identifier: MIT */
/*
 * Calendar dates and Unix time: the proleptic Gregorian calendar, UTC,
 * no leap seconds (POSIX.1-2017 §4.16, "Seconds Since the Epoch"). Used
 * by the hypervisor's wall clock (kernel/wallclock.c: UEFI's EFI_TIME to
 * seconds) and the guests' virtual RTC (vmm/vrtc.c: seconds to register
 * values and back). Pure: host-tested in tests/unit/test_vrtc.c.
 */
#ifndef LIB_CIVIL_TIME_H
#define LIB_CIVIL_TIME_H

#include "lib/types.h"

struct civil_time {
	u32 year;		/* 1970..9999 */
	u8 month;		/* 1..12 */
	u8 day;			/* 1..days in that month */
	u8 hour, minute, second; /* 0..23, 0..59, 0..59 */
	u8 weekday;		/* 0 = Sunday .. 6; set by civil_from_unix */
};

#define CIVIL_YEAR_MIN 1970u
#define CIVIL_YEAR_MAX 9999u

bool civil_leap_year(u32 year);
/* Days in month (1..12) of year; 0 for a month out of range. */
u32 civil_days_in_month(u32 year, u32 month);
/* Every field in its range (weekday is not checked: it is derived). */
bool civil_valid(const struct civil_time *t);
/* Seconds since 1970-01-01 00:00:00 UTC; t must be civil_valid(). */
u64 civil_to_unix(const struct civil_time *t);
/* The date and time of s seconds since the epoch, weekday included. */
void civil_from_unix(u64 s, struct civil_time *t);

#endif
