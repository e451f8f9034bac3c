// SPDX-License-Identifier: MIT
/*
 * The guests' CMOS RTC (see vmm/vrtc.h). While it runs, the time bytes
 * are computed from the host's clock on each read, in the format register
 * B asks for (BCD or binary, 12 or 24 hours); while it is stopped (SET,
 * or the divider held in reset) they are plain bytes the guest writes,
 * and when it runs again they become the guest's new time. No interrupt
 * is ever raised: register C's flags are computed when C is read, for the
 * time since the last read, so a driver that polls them sees them.
 */
#include "vmm/vrtc.h"

#include "lib/civil_time.h"

#define NS_PER_S 1000000000ull
/* An alarm matches at most once a second: a day covers every h:m:s. */
#define ALARM_SCAN_MAX_S 86400ull

void vrtc_init(struct vrtc *r, u64 now_ns)
{
	*r = (struct vrtc){ 0 };
	r->ram[RTC_REG_A] = RTC_A_DEFAULT;
	r->ram[RTC_REG_B] = RTC_B_DEFAULT;
	r->c_read_ns = now_ns;
}

static bool is_time_reg(u8 i)
{
	return i == RTC_SECONDS || i == RTC_MINUTES || i == RTC_HOURS ||
	       (i >= RTC_DAY_OF_WEEK && i <= RTC_YEAR) || i == RTC_CENTURY;
}

static bool stopped(const struct vrtc *r)
{
	return (r->ram[RTC_REG_B] & RTC_B_SET) ||
	       (r->ram[RTC_REG_A] & RTC_A_DV_RESET) == RTC_A_DV_RESET;
}

static bool binary(const struct vrtc *r)
{
	return r->ram[RTC_REG_B] & RTC_B_DM_BINARY;
}

/* ---- one byte in the guest's format ------------------------------------ */

static u8 encode(const struct vrtc *r, u32 v)
{
	v %= 100;
	return (u8)(binary(r) ? v : (v / 10) << 4 | v % 10);
}

/* false for a BCD byte with a nibble above 9 */
static bool decode(const struct vrtc *r, u8 b, u32 *v)
{
	if (binary(r)) {
		*v = b;
		return true;
	}
	*v = (b >> 4) * 10u + (b & 0xfu);
	return (b >> 4) < 10 && (b & 0xf) < 10;
}

static u8 encode_hour(const struct vrtc *r, u32 h)
{
	if (r->ram[RTC_REG_B] & RTC_B_24H)
		return encode(r, h);
	return encode(r, h % 12 ? h % 12 : 12) | (h >= 12 ? RTC_HOUR_PM : 0);
}

static bool decode_hour(const struct vrtc *r, u8 b, u32 *h)
{
	if (r->ram[RTC_REG_B] & RTC_B_24H)
		return decode(r, b, h);
	if (!decode(r, b & (u8)~RTC_HOUR_PM, h) || *h < 1 || *h > 12)
		return false;
	*h = *h % 12 + (b & RTC_HOUR_PM ? 12 : 0);
	return true;
}

/* ---- the clock --------------------------------------------------------- */

static u64 guest_s(const struct vrtc *r, u64 now_ns)
{
	s64 s = (s64)(now_ns / NS_PER_S) + r->offset_s;

	return s > 0 ? (u64)s : 0;
}

static u8 time_byte(const struct vrtc *r, u8 i, u64 now_ns)
{
	struct civil_time t;

	civil_from_unix(guest_s(r, now_ns), &t);
	switch (i) {
	case RTC_SECONDS: return encode(r, t.second);
	case RTC_MINUTES: return encode(r, t.minute);
	case RTC_HOURS: return encode_hour(r, t.hour);
	case RTC_DAY_OF_WEEK: return encode(r, t.weekday + 1u);
	case RTC_DAY_OF_MONTH: return encode(r, t.day);
	case RTC_MONTH: return encode(r, t.month);
	case RTC_YEAR: return encode(r, t.year);
	default: return encode(r, t.year / 100);	/* RTC_CENTURY */
	}
}

/* The running clock into the time bytes: what a stopped clock shows. */
static void latch(struct vrtc *r, u64 now_ns)
{
	u8 i;

	for (i = 0; i < VRTC_NREGS; i++)
		if (is_time_reg(i))
			r->ram[i] = time_byte(r, i, now_ns);
}

/* The time bytes become the guest's time; the day of the week is derived
 * from the date, as a guest that wrote a wrong one would soon find. */
static enum vrtc_event commit(struct vrtc *r, u64 now_ns)
{
	const u8 *m = r->ram;
	struct civil_time t = { 0 };
	u32 sec, min, hour, day, mon, yy, cc;

	if (!decode(r, m[RTC_SECONDS], &sec) || !decode(r, m[RTC_MINUTES], &min) ||
	    !decode_hour(r, m[RTC_HOURS], &hour) ||
	    !decode(r, m[RTC_DAY_OF_MONTH], &day) || !decode(r, m[RTC_MONTH], &mon) ||
	    !decode(r, m[RTC_YEAR], &yy) || !decode(r, m[RTC_CENTURY], &cc) ||
	    yy > 99 || cc > 99 || sec > 59 || min > 59 || day > 31 || mon > 12)
		return VRTC_EV_TIME_REFUSED;
	t = (struct civil_time){ cc * 100 + yy, (u8)mon, (u8)day, (u8)hour,
				 (u8)min, (u8)sec, 0 };
	if (!civil_valid(&t))
		return VRTC_EV_TIME_REFUSED;
	r->offset_s = (s64)civil_to_unix(&t) - (s64)(now_ns / NS_PER_S);
	return VRTC_EV_TIME_SET;
}

/* A write to A or B may stop or restart the clock. */
static enum vrtc_event run_state_changed(struct vrtc *r, bool was_stopped,
					 u64 now_ns)
{
	if (!was_stopped && stopped(r))
		latch(r, now_ns);
	else if (was_stopped && !stopped(r))
		return commit(r, now_ns);
	return VRTC_EV_NONE;
}

/* ---- register C: the flags of the time since it was last read ---------- */

/* RS -> period (Table 5 for a 32.768 kHz base): 1, 2 are 256 and 128 Hz,
 * 3..15 are 8192 Hz down to 2 Hz. */
static u64 periodic_ns(u8 rs)
{
	return rs < 3 ? NS_PER_S >> (rs == 1 ? 8 : 7) : NS_PER_S >> (16 - rs);
}

/* An alarm byte: a value, or "don't care" (-1), or one no time has (-2). */
static int alarm_value(const struct vrtc *r, u8 b, bool hour)
{
	u32 v;

	if (b >= RTC_ALARM_DONT_CARE)
		return -1;
	if (hour ? !decode_hour(r, b, &v) : !decode(r, b, &v))
		return -2;
	return (int)v;
}

static bool field_matches(int alarm, u32 v)
{
	return alarm == -1 || alarm == (int)v;
}

/* Did an update in (from_s, to_s] hit the alarm? */
static bool alarm_crossed(const struct vrtc *r, u64 from_s, u64 to_s)
{
	int as = alarm_value(r, r->ram[RTC_SECONDS_ALARM], false);
	int am = alarm_value(r, r->ram[RTC_MINUTES_ALARM], false);
	int ah = alarm_value(r, r->ram[RTC_HOURS_ALARM], true);
	u64 s = to_s - from_s > ALARM_SCAN_MAX_S ? to_s - ALARM_SCAN_MAX_S : from_s;

	while (s++ < to_s) {
		u32 sod = (u32)(s % 86400);

		if (field_matches(as, sod % 60) && field_matches(am, sod / 60 % 60) &&
		    field_matches(ah, sod / 3600))
			return true;
	}
	return false;
}

static u8 read_c(struct vrtc *r, u64 now_ns)
{
	u64 last = MIN(r->c_read_ns, now_ns);
	u8 a = r->ram[RTC_REG_A], b = r->ram[RTC_REG_B], c = 0;

	if (!stopped(r) && guest_s(r, now_ns) > guest_s(r, last)) {
		c |= RTC_C_UF;
		if (alarm_crossed(r, guest_s(r, last), guest_s(r, now_ns)))
			c |= RTC_C_AF;
	}
	if ((a & RTC_A_DV_RESET) != RTC_A_DV_RESET && (a & RTC_A_RS_MASK)) {
		u64 p = periodic_ns(a & RTC_A_RS_MASK);

		if (now_ns / p > last / p)
			c |= RTC_C_PF;
	}
	if ((c & RTC_C_PF && b & RTC_B_PIE) || (c & RTC_C_AF && b & RTC_B_AIE) ||
	    (c & RTC_C_UF && b & RTC_B_UIE))
		c |= RTC_C_IRQF;
	r->c_read_ns = now_ns;
	return c;
}

/* ---- the registers ----------------------------------------------------- */

static u8 read_reg(struct vrtc *r, u8 i, u64 now_ns)
{
	if (is_time_reg(i))
		return stopped(r) ? r->ram[i] : time_byte(r, i, now_ns);
	switch (i) {
	case RTC_REG_A:
		/* high only in the last 244 us of each second: never sticks */
		return r->ram[i] | (!stopped(r) &&
				    now_ns % NS_PER_S >= NS_PER_S - RTC_UIP_LEAD_NS ?
				    RTC_A_UIP : 0);
	case RTC_REG_C:
		return read_c(r, now_ns);
	case RTC_REG_D:
		return RTC_D_VRT;
	}
	return r->ram[i];
}

static enum vrtc_event write_b(struct vrtc *r, u8 v, u64 now_ns)
{
	bool was = stopped(r);
	u8 old = r->ram[RTC_REG_B];
	enum vrtc_event ev;

	if (v & RTC_B_SET)	/* "SET = 1 clears UIE" (Register B, UIE) */
		v &= (u8)~RTC_B_UIE;
	r->ram[RTC_REG_B] = v;
	ev = run_state_changed(r, was, now_ns);
	if (ev == VRTC_EV_NONE && (v & RTC_B_IRQ_ENABLES & ~old))
		ev = VRTC_EV_IRQ_ENABLED;
	return ev;
}

static enum vrtc_event write_reg(struct vrtc *r, u8 i, u8 v, u64 now_ns)
{
	bool was = stopped(r);

	if (is_time_reg(i)) {
		/* A running clock takes the byte at once, as the chip's
		 * counters do: the other fields keep their current values. */
		if (was) {
			r->ram[i] = v;
			return VRTC_EV_NONE;
		}
		latch(r, now_ns);
		r->ram[i] = v;
		return commit(r, now_ns);
	}
	switch (i) {
	case RTC_REG_A:
		r->ram[i] = v & RTC_A_WRITABLE;
		return run_state_changed(r, was, now_ns);
	case RTC_REG_B:
		return write_b(r, v, now_ns);
	case RTC_REG_C:
	case RTC_REG_D:
		return VRTC_EV_NONE;	/* read-only */
	}
	r->ram[i] = v;
	return VRTC_EV_NONE;
}

enum vrtc_event vrtc_io(struct vrtc *r, u16 port, bool in, u8 *val,
			u64 now_ns)
{
	u8 i = r->index & VRTC_INDEX_MASK;

	if (port == VRTC_INDEX_PORT) {
		/* write-only on a PC; reads give back what was written */
		if (in)
			*val = r->index;
		else
			r->index = *val;	/* the NMI bit is kept, no effect */
		return VRTC_EV_NONE;
	}
	if (in) {
		*val = read_reg(r, i, now_ns);
		return VRTC_EV_NONE;
	}
	return write_reg(r, i, *val, now_ns);
}
