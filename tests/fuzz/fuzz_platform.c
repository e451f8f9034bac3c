/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for a Linux guest's legacy devices, whose port writes
 * are untrusted input: the CMOS RTC (vmm/vrtc.c) and the 8259 pair
 * (vmm/vpic.c). The input is a program of 3-byte steps: an operation,
 * a value and how far the host's clock moves first (cubed, in us, so a
 * few steps reach days).
 *
 * Besides the sanitizers it checks what the devices promise: register D
 * always reads VRT; UIP is only ever set in the last 244 us of a second;
 * C reads 0 again when no time passed; the clock the guest sees is always
 * a date from 1970 on; a vector the PIC offers is one of its bases plus
 * a line that is requested and not masked.
 */
#include <stdint.h>
#include <string.h>

#include "lib/civil_time.h"
#include "tests/fuzz/fuzz_check.h"
#include "vmm/vpic.h"
#include "vmm/vrtc.h"

#define S 1000000000ull
#define START_NS (1796171719ull * S)	/* 2026-12-02 */

static const u16 pic_ports[4] = { VPIC_MASTER_CMD, VPIC_MASTER_DATA,
				  VPIC_SLAVE_CMD, VPIC_SLAVE_DATA };

static u8 rtc_rd(struct vrtc *r, u8 reg, u64 now)
{
	u8 v = 0;

	vrtc_io(r, VRTC_INDEX_PORT, false, &reg, now);
	vrtc_io(r, VRTC_DATA_PORT, true, &v, now);
	return v;
}

static void check_rtc(struct vrtc *r, u64 now)
{
	u8 index = r->index, a;
	struct civil_time t;

	CHECK(rtc_rd(r, RTC_REG_D, now) == RTC_D_VRT);
	a = rtc_rd(r, RTC_REG_A, now);
	if (a & RTC_A_UIP)
		CHECK(now % S >= S - RTC_UIP_LEAD_NS);
	rtc_rd(r, RTC_REG_C, now);
	CHECK(rtc_rd(r, RTC_REG_C, now) == 0);
	civil_from_unix((u64)((s64)(now / S) + r->offset_s), &t);
	CHECK((s64)(now / S) + r->offset_s >= 0 && civil_valid(&t));
	r->index = index;	/* the checks leave the guest's index alone */
}

static bool chip_offers(const struct vpic_chip *c, u8 vec)
{
	u8 line = vec & 7;

	return (vec & PIC_VECTOR_MASK) == c->base &&
	       ((c->irr & ~c->imr) & (1u << line));
}

static void check_pic(struct vpic *p)
{
	u8 vec = vpic_pending(p);

	if (!vec)
		return;
	CHECK(chip_offers(&p->chip[0], vec) || chip_offers(&p->chip[1], vec));
	vpic_accept(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vrtc rtc;
	struct vpic pic;
	u64 now = START_NS;
	size_t i;

	memset(&pic, 0, sizeof(pic));
	vrtc_init(&rtc, now);
	for (i = 0; i + 3 <= size; i += 3) {
		u8 op = data[i], val = data[i + 1];
		u64 d = data[i + 2];
		u32 v32 = val;

		now += d * d * d * 1000;
		switch (op & 7) {
		case 0:
		case 1:
			vrtc_io(&rtc, (op & 1) ? VRTC_DATA_PORT : VRTC_INDEX_PORT,
				op & 8, &val, now);
			break;
		case 2:
		case 3:
			vpic_io(&pic, pic_ports[(op >> 3) & 3], op & 32, &v32);
			break;
		case 4:
			vpic_raise(&pic, val & 15);
			break;
		case 5:
			check_pic(&pic);
			break;
		default:
			check_rtc(&rtc, now);
			break;
		}
	}
	check_rtc(&rtc, now);
	check_pic(&pic);
	return 0;
}
