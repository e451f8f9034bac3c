// SPDX-License-Identifier: MIT
/*
 * Host tests for vmm/vrtc.c and lib/civil_time.c, driven the way Linux's
 * mc146818_get_time() and mc146818_set_time() use the chip: index at
 * 0x70, data at 0x71, UIP polled in register A, SET held in register B
 * while the time bytes are written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/civil_time.h"
#include "vmm/vrtc.h"

#define S 1000000000ull
/* 2026-12-02 00:35:19 UTC, a Wednesday */
#define T0 1796171719ull

static u8 rd(struct vrtc *r, u8 reg, u64 now)
{
	u8 v = 0xaa;

	vrtc_io(r, VRTC_INDEX_PORT, false, &reg, now);
	vrtc_io(r, VRTC_DATA_PORT, true, &v, now);
	return v;
}

static enum vrtc_event wr(struct vrtc *r, u8 reg, u8 v, u64 now)
{
	vrtc_io(r, VRTC_INDEX_PORT, false, &reg, now);
	return vrtc_io(r, VRTC_DATA_PORT, false, &v, now);
}

static void test_civil(void **state)
{
	struct civil_time t;
	struct civil_time leap = { 2024, 2, 29, 23, 59, 59, 0 };
	struct civil_time bad = { 2023, 2, 29, 0, 0, 0, 0 };
	u64 s;

	civil_from_unix(0, &t);
	assert_true(t.year == 1970 && t.month == 1 && t.day == 1 && t.weekday == 4);
	civil_from_unix(T0, &t);
	assert_true(t.year == 2026 && t.month == 12 && t.day == 2);
	assert_true(t.hour == 0 && t.minute == 35 && t.second == 19);
	assert_int_equal(t.weekday, 3);
	assert_true(civil_valid(&leap));
	assert_false(civil_valid(&bad));
	assert_int_equal(civil_to_unix(&leap), 1709251199ull);
	assert_false(civil_leap_year(1900));
	assert_true(civil_leap_year(2000));
	assert_int_equal(civil_days_in_month(2100, 2), 28);
	assert_int_equal(civil_days_in_month(2024, 13), 0);
	/* round trip over four centuries, a day and 17 s apart */
	for (s = 0; s < 253402300799ull; s += 86417ull * 97) {
		civil_from_unix(s, &t);
		assert_true(civil_valid(&t));
		assert_int_equal(civil_to_unix(&t), s);
	}
}

static void test_reads_bcd_24h(void **state)
{
	struct vrtc r;
	u64 now = T0 * S + 5000;

	vrtc_init(&r, now);
	assert_int_equal(rd(&r, RTC_SECONDS, now), 0x19);
	assert_int_equal(rd(&r, RTC_MINUTES, now), 0x35);
	assert_int_equal(rd(&r, RTC_HOURS, now), 0x00);
	assert_int_equal(rd(&r, RTC_DAY_OF_WEEK, now), 4);
	assert_int_equal(rd(&r, RTC_DAY_OF_MONTH, now), 0x02);
	assert_int_equal(rd(&r, RTC_MONTH, now), 0x12);
	assert_int_equal(rd(&r, RTC_YEAR, now), 0x26);
	assert_int_equal(rd(&r, RTC_CENTURY, now), 0x20);
	assert_int_equal(rd(&r, RTC_REG_D, now), RTC_D_VRT);
	assert_int_equal(rd(&r, RTC_REG_A, now), RTC_A_DEFAULT);
	/* the clock advances with the host's */
	assert_int_equal(rd(&r, RTC_SECONDS, now + 41 * S), 0x00);
	assert_int_equal(rd(&r, RTC_MINUTES, now + 41 * S), 0x36);
}

static void test_binary_12h(void **state)
{
	struct vrtc r;
	u64 now = (T0 + 13 * 3600) * S;	/* 13:35:19 */

	vrtc_init(&r, now);
	wr(&r, RTC_REG_B, RTC_B_DM_BINARY, now);
	assert_int_equal(rd(&r, RTC_HOURS, now), 1 | RTC_HOUR_PM);
	assert_int_equal(rd(&r, RTC_MINUTES, now), 35);
	assert_int_equal(rd(&r, RTC_YEAR, now), 26);
	/* midnight is 12 AM, noon 12 PM */
	assert_int_equal(rd(&r, RTC_HOURS, now - 13 * 3600 * S), 12);
	assert_int_equal(rd(&r, RTC_HOURS, now - 3600 * S), 12 | RTC_HOUR_PM);
	wr(&r, RTC_REG_B, 0, now);	/* BCD, 12 h */
	assert_int_equal(rd(&r, RTC_HOURS, now), 0x01 | RTC_HOUR_PM);
}

/* UIP is high in the last 244 us before each second, never longer. */
static void test_uip(void **state)
{
	struct vrtc r;
	u64 base = T0 * S;

	vrtc_init(&r, base);
	assert_false(rd(&r, RTC_REG_A, base) & RTC_A_UIP);
	assert_false(rd(&r, RTC_REG_A, base + S - RTC_UIP_LEAD_NS - 1) & RTC_A_UIP);
	assert_true(rd(&r, RTC_REG_A, base + S - RTC_UIP_LEAD_NS) & RTC_A_UIP);
	assert_false(rd(&r, RTC_REG_A, base + S) & RTC_A_UIP);
	/* a write cannot set it */
	wr(&r, RTC_REG_A, 0xff, base);
	assert_int_equal(rd(&r, RTC_REG_A, base), 0x7f);
}

/* Linux's mc146818_set_time: SET, the bytes, SET cleared. Only this
 * guest's view moves; another RTC at the same host time is unchanged. */
static void test_set_time(void **state)
{
	struct vrtc r, other;
	u64 now = T0 * S;

	vrtc_init(&r, now);
	vrtc_init(&other, now);
	assert_int_equal(wr(&r, RTC_REG_B, RTC_B_24H | RTC_B_SET | RTC_B_UIE, now),
			 VRTC_EV_NONE);
	assert_false(rd(&r, RTC_REG_B, now) & RTC_B_UIE);	/* SET clears UIE */
	/* stopped: the time does not move, bytes read back */
	assert_int_equal(rd(&r, RTC_SECONDS, now + 5 * S), 0x19);
	wr(&r, RTC_YEAR, 0x99, now);
	wr(&r, RTC_CENTURY, 0x19, now);
	wr(&r, RTC_MONTH, 0x12, now);
	wr(&r, RTC_DAY_OF_MONTH, 0x31, now);
	wr(&r, RTC_HOURS, 0x23, now);
	wr(&r, RTC_MINUTES, 0x59, now);
	wr(&r, RTC_SECONDS, 0x50, now);
	assert_int_equal(rd(&r, RTC_YEAR, now + 3 * S), 0x99);
	assert_int_equal(wr(&r, RTC_REG_B, RTC_B_24H, now + 10 * S),
			 VRTC_EV_TIME_SET);
	assert_int_equal(r.offset_s, 946684790ll - (s64)(T0 + 10));
	/* it runs on from there: ten seconds later it is 2000 */
	assert_int_equal(rd(&r, RTC_YEAR, now + 20 * S), 0x00);
	assert_int_equal(rd(&r, RTC_CENTURY, now + 20 * S), 0x20);
	assert_int_equal(rd(&r, RTC_DAY_OF_WEEK, now + 20 * S), 7);
	assert_int_equal(rd(&other, RTC_YEAR, now + 20 * S), 0x26);
}

/* A byte written while the clock runs takes effect at once. */
static void test_write_running(void **state)
{
	struct vrtc r;
	u64 now = T0 * S;

	vrtc_init(&r, now);
	assert_int_equal(wr(&r, RTC_MINUTES, 0x00, now), VRTC_EV_TIME_SET);
	assert_int_equal(rd(&r, RTC_MINUTES, now), 0x00);
	assert_int_equal(rd(&r, RTC_SECONDS, now), 0x19);
	assert_int_equal(r.offset_s, -35 * 60);
}

/* Dates that do not exist, BCD garbage, years before 1970: refused, the
 * clock keeps its time. */
static void test_refused(void **state)
{
	struct vrtc r;
	u64 now = T0 * S;
	static const struct { u8 reg, val; } bad[] = {
		{ RTC_MONTH, 0x13 }, { RTC_MONTH, 0x00 }, { RTC_SECONDS, 0x5a },
		{ RTC_DAY_OF_MONTH, 0x31 },	/* 31 November */
		{ RTC_HOURS, 0x24 }, { RTC_MINUTES, 0xff },
		{ RTC_CENTURY, 0x19 },		/* 1926 */
	};
	unsigned i;

	vrtc_init(&r, now);
	wr(&r, RTC_MONTH, 0x11, now);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s64 off = r.offset_s;

		wr(&r, RTC_REG_B, RTC_B_24H | RTC_B_SET, now);
		wr(&r, bad[i].reg, bad[i].val, now);
		assert_int_equal(wr(&r, RTC_REG_B, RTC_B_24H, now),
				 VRTC_EV_TIME_REFUSED);
		assert_int_equal(r.offset_s, off);
		assert_int_equal(rd(&r, RTC_MONTH, now), 0x11);
	}
	/* in 12-hour mode, hour 0 and 13 do not exist */
	wr(&r, RTC_REG_B, 0, now);
	assert_int_equal(wr(&r, RTC_HOURS, 0x13, now), VRTC_EV_TIME_REFUSED);
	assert_int_equal(wr(&r, RTC_HOURS, 0x00, now), VRTC_EV_TIME_REFUSED);
	assert_int_equal(wr(&r, RTC_HOURS, 0x12 | RTC_HOUR_PM, now), VRTC_EV_TIME_SET);
	assert_int_equal(rd(&r, RTC_HOURS, now), 0x12 | RTC_HOUR_PM);
}

/* The divider held in reset stops the clock like SET. */
static void test_divider_reset(void **state)
{
	struct vrtc r;
	u64 now = T0 * S;

	vrtc_init(&r, now);
	wr(&r, RTC_REG_A, RTC_A_DV_RESET | 6, now);
	assert_int_equal(rd(&r, RTC_SECONDS, now + 7 * S), 0x19);
	assert_false(rd(&r, RTC_REG_A, now + S - 1) & RTC_A_UIP);
	assert_int_equal(wr(&r, RTC_REG_A, RTC_A_DEFAULT, now + 7 * S),
			 VRTC_EV_TIME_SET);
	assert_int_equal(rd(&r, RTC_SECONDS, now + 7 * S), 0x19);
	assert_int_equal(r.offset_s, -7);
}

/* C: the flags of the time since the last read; read clears; IRQF only
 * for enabled ones; interrupt enables are reported, never delivered. */
static void test_flags(void **state)
{
	struct vrtc r;
	u64 now = T0 * S + S / 2;

	vrtc_init(&r, now);
	assert_int_equal(rd(&r, RTC_REG_C, now), 0);
	/* 1024 Hz periodic: 1 ms later PF, no update yet */
	assert_int_equal(rd(&r, RTC_REG_C, now + 1000000), RTC_C_PF);
	assert_int_equal(rd(&r, RTC_REG_C, now + 1000000), 0);
	/* across a second: UF */
	assert_int_equal(rd(&r, RTC_REG_C, now + S), RTC_C_UF | RTC_C_PF);
	/* alarm at 00:35:25, seen once the update passes it */
	wr(&r, RTC_SECONDS_ALARM, 0x25, now);
	wr(&r, RTC_MINUTES_ALARM, RTC_ALARM_DONT_CARE, now);
	wr(&r, RTC_HOURS_ALARM, 0x00, now);
	assert_int_equal(wr(&r, RTC_REG_B, RTC_B_24H | RTC_B_AIE, now + S),
			 VRTC_EV_IRQ_ENABLED);
	assert_false(rd(&r, RTC_REG_C, now + 4 * S) & RTC_C_AF);
	assert_int_equal(rd(&r, RTC_REG_C, now + 6 * S),
			 RTC_C_IRQF | RTC_C_AF | RTC_C_UF | RTC_C_PF);
	/* no periodic flag with RS = 0; a stopped clock has no updates */
	wr(&r, RTC_REG_A, RTC_A_DV_32KHZ, now);
	wr(&r, RTC_REG_B, RTC_B_24H | RTC_B_SET, now + 6 * S);
	assert_int_equal(rd(&r, RTC_REG_C, now + 9 * S), 0);
	/* a very long gap is bounded work and still finds the alarm */
	wr(&r, RTC_REG_B, RTC_B_24H, now + 9 * S);
	assert_true(rd(&r, RTC_REG_C, now + 400ull * 86400 * S) & RTC_C_AF);
}

/* The index port: 7 bits of index, the NMI bit kept; C and D read-only;
 * plain CMOS bytes are per guest. */
static void test_index_and_ram(void **state)
{
	struct vrtc r;
	u8 v = 0x8f;
	u64 now = T0 * S;

	vrtc_init(&r, now);
	vrtc_io(&r, VRTC_INDEX_PORT, false, &v, now);
	v = 0;
	vrtc_io(&r, VRTC_INDEX_PORT, true, &v, now);
	assert_int_equal(v, 0x8f);
	v = 0x5a;
	vrtc_io(&r, VRTC_DATA_PORT, false, &v, now);
	assert_int_equal(rd(&r, 0x0f, now), 0x5a);
	assert_int_equal(rd(&r, 0x8f & VRTC_INDEX_MASK, now), 0x5a);
	wr(&r, 0x7f, 0x11, now);
	assert_int_equal(rd(&r, 0xff, now), 0x11);	/* 0xff is 0x7f, NMI off */
	wr(&r, RTC_REG_D, 0, now);
	assert_int_equal(rd(&r, RTC_REG_D, now), RTC_D_VRT);
	wr(&r, RTC_REG_C, 0xff, now);
	assert_int_equal(rd(&r, RTC_REG_C, now), 0);
	assert_true(vrtc_owns_port(0x70) && vrtc_owns_port(0x71));
	assert_false(vrtc_owns_port(0x72));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil),
		cmocka_unit_test(test_reads_bcd_24h),
		cmocka_unit_test(test_binary_12h),
		cmocka_unit_test(test_uip),
		cmocka_unit_test(test_set_time),
		cmocka_unit_test(test_write_running),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_divider_reset),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_index_and_ram),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
