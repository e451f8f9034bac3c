// SPDX-License-Identifier: MIT
/*
 * Date arithmetic (see lib/civil_time.h). Days are counted from
 * 1970-01-01 with the usual trick of starting the year in March, so that
 * February, the month of irregular length, comes last: a year of the
 * shifted calendar is then 365 days plus a leap day at its very end, and
 * the month lengths from March on follow (153 * m + 2) / 5.
 */
#include "lib/civil_time.h"

#define DAYS_PER_400Y 146097u		/* 400 * 365 + 97 leap days */
#define SECS_PER_DAY 86400u
/* Days from 0000-03-01 (shifted calendar) to 1970-01-01. */
#define EPOCH_SHIFTED_DAYS 719468u
#define WEEKDAY_OF_EPOCH 4u		/* 1970-01-01 was a Thursday */

bool civil_leap_year(u32 y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

u32 civil_days_in_month(u32 y, u32 m)
{
	static const u8 days[12] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	return days[m - 1] + (m == 2 && civil_leap_year(y));
}

bool civil_valid(const struct civil_time *t)
{
	return t->year >= CIVIL_YEAR_MIN && t->year <= CIVIL_YEAR_MAX &&
	       t->day >= 1 && t->day <= civil_days_in_month(t->year, t->month) &&
	       t->hour < 24 && t->minute < 60 && t->second < 60;
}

/* Days since the epoch of a valid date (years >= 1970: never negative). */
static u64 days_from_civil(u32 y, u32 m, u32 d)
{
	u32 era, yoe, mp, doy, doe;

	y -= m <= 2;			/* January, February: previous year */
	era = y / 400;
	yoe = y - era * 400;		/* 0..399 */
	mp = (m + 9) % 12;		/* March = 0 .. February = 11 */
	doy = (153 * mp + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (u64)era * DAYS_PER_400Y + doe - EPOCH_SHIFTED_DAYS;
}

u64 civil_to_unix(const struct civil_time *t)
{
	return days_from_civil(t->year, t->month, t->day) * SECS_PER_DAY +
	       t->hour * 3600u + t->minute * 60u + t->second;
}

void civil_from_unix(u64 s, struct civil_time *t)
{
	u64 days = s / SECS_PER_DAY, z = days + EPOCH_SHIFTED_DAYS;
	u32 sod = (u32)(s % SECS_PER_DAY);
	u64 era = z / DAYS_PER_400Y;
	u32 doe = (u32)(z - era * DAYS_PER_400Y);
	u32 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	u32 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	u32 mp = (5 * doy + 2) / 153;

	t->day = (u8)(doy - (153 * mp + 2) / 5 + 1);
	t->month = (u8)(mp < 10 ? mp + 3 : mp - 9);
	t->year = (u32)(era * 400 + yoe + (t->month <= 2));
	t->hour = (u8)(sod / 3600);
	t->minute = (u8)(sod / 60 % 60);
	t->second = (u8)(sod % 60);
	t->weekday = (u8)((days + WEEKDAY_OF_EPOCH) % 7);
}
