/* SPDX-License-Identifier: MIT */
/*
 * A guest's CMOS real-time clock, the Motorola MC146818A of the PC (ports
 * 0x70 index, 0x71 data), for Linux guests: Linux reads its boot time
 * from it. Register layout from the MC146818A datasheet (Motorola,
 * "Address Map" Figure 4 and Table 3; "Register A" .. "Register D"); the
 * century byte at 0x32 is the IBM PC/AT convention (ACPI 6.5 §5.2.9,
 * FADT "CENTURY", names it). Pure: host time is passed in as Unix ns, so
 * it is host-tested (tests/unit/test_vrtc.c) and fuzzed (fuzz_platform).
 *
 * The guest's clock is the host's wall clock plus a per-guest offset: a
 * guest setting the time moves only its own view, never the host's RTC.
 */
#ifndef VMM_VRTC_H
#define VMM_VRTC_H

#include "lib/types.h"

#define VRTC_INDEX_PORT 0x70
#define VRTC_DATA_PORT 0x71
#define VRTC_INDEX_MASK 0x7fu		/* 128 bytes of CMOS */
#define VRTC_NMI_DISABLE BIT(7)		/* of the index byte, on a PC */
#define VRTC_NREGS 128

/* Address map (Figure 4). 0-9 are the time, calendar and alarm bytes. */
#define RTC_SECONDS 0x00
#define RTC_SECONDS_ALARM 0x01
#define RTC_MINUTES 0x02
#define RTC_MINUTES_ALARM 0x03
#define RTC_HOURS 0x04
#define RTC_HOURS_ALARM 0x05
#define RTC_DAY_OF_WEEK 0x06		/* 1..7, Sunday = 1 */
#define RTC_DAY_OF_MONTH 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09			/* 0..99 */
#define RTC_REG_A 0x0a
#define RTC_REG_B 0x0b
#define RTC_REG_C 0x0c
#define RTC_REG_D 0x0d
#define RTC_CENTURY 0x32		/* PC/AT: 19, 20 ... */

#define RTC_HOUR_PM BIT(7)		/* 12-hour mode: PM */
#define RTC_ALARM_DONT_CARE 0xc0u	/* alarm byte 0xc0-0xff matches all */

/* Register A: update in progress, divider, rate select. */
#define RTC_A_UIP BIT(7)		/* read-only */
#define RTC_A_DV_MASK (7u << 4)
#define RTC_A_DV_32KHZ (2u << 4)	/* the PC's 32.768 kHz time base */
#define RTC_A_DV_RESET (6u << 4)	/* 11x: divider chain held in reset */
#define RTC_A_RS_MASK 0x0fu		/* periodic rate; 0 = none */
#define RTC_A_WRITABLE 0x7fu
/* Register B */
#define RTC_B_SET BIT(7)		/* updates stopped: the time is set */
#define RTC_B_PIE BIT(6)		/* periodic interrupt enable */
#define RTC_B_AIE BIT(5)		/* alarm interrupt enable */
#define RTC_B_UIE BIT(4)		/* update-ended interrupt enable */
#define RTC_B_SQWE BIT(3)
#define RTC_B_DM_BINARY BIT(2)		/* else BCD */
#define RTC_B_24H BIT(1)		/* else 12-hour with RTC_HOUR_PM */
#define RTC_B_DSE BIT(0)		/* daylight saving: ignored here */
#define RTC_B_IRQ_ENABLES (RTC_B_PIE | RTC_B_AIE | RTC_B_UIE)
/* Register C: flags, read-only, cleared by reading */
#define RTC_C_IRQF BIT(7)
#define RTC_C_PF BIT(6)
#define RTC_C_AF BIT(5)
#define RTC_C_UF BIT(4)
/* Register D */
#define RTC_D_VRT BIT(7)		/* valid RAM and time: the battery is fine */

/* UIP rises this long before each update (datasheet: t_BUC = 244 us). */
#define RTC_UIP_LEAD_NS 244000ull

/* What a PC BIOS leaves: 32.768 kHz, 1024 Hz rate; 24-hour BCD. */
#define RTC_A_DEFAULT (RTC_A_DV_32KHZ | 0x06u)
#define RTC_B_DEFAULT RTC_B_24H

struct vrtc {
	u8 index;		/* last byte written to 0x70, NMI bit too */
	/* CMOS bytes. The time bytes (0, 2, 4, 6-9, 0x32) are the clock
	 * while it runs and what the guest wrote while it is stopped. */
	u8 ram[VRTC_NREGS];
	s64 offset_s;		/* guest time = host time + offset_s */
	u64 c_read_ns;		/* host time of the last register C read */
};

/* What an access did that the caller may want to log. */
enum vrtc_event {
	VRTC_EV_NONE = 0,
	VRTC_EV_TIME_SET,	/* the guest's clock moved (vrtc.offset_s) */
	VRTC_EV_TIME_REFUSED,	/* it wrote a time that is no date: kept */
	VRTC_EV_IRQ_ENABLED,	/* B got PIE/AIE/UIE: no IRQ 8 is raised */
};

void vrtc_init(struct vrtc *r, u64 now_ns);
static inline bool vrtc_owns_port(u16 port)
{
	return port == VRTC_INDEX_PORT || port == VRTC_DATA_PORT;
}
/* One byte at port (0x70 or 0x71); in: *val is set. now_ns: the host's
 * wall clock, Unix ns. */
enum vrtc_event vrtc_io(struct vrtc *r, u16 port, bool in, u8 *val,
			u64 now_ns);

#endif
