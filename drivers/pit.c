// SPDX-License-Identifier: MIT
#include "drivers/pit.h"
#include "kernel/cpu.h"

#define PIT_CH0 0x40
#define PIT_MODE 0x43
/* Control word: channel 0, lobyte/hibyte access, binary (82C54 Figure 8). */
#define PIT_CW_CH0_LOHI 0x30
#define PIT_CW_MODE0 0x00 /* interrupt on terminal count: one shot */
#define PIT_CW_MODE2 0x04 /* rate generator: periodic */

static void pit_program(u8 mode, u16 count)
{
	outb(PIT_MODE, PIT_CW_CH0_LOHI | mode);
	outb(PIT_CH0, count & 0xff);
	outb(PIT_CH0, count >> 8);
}

void pit_start(u32 hz)
{
	u32 count = PIT_HZ / (hz ? hz : 1);

	pit_program(PIT_CW_MODE2, (u16)MIN(MAX(count, 2u), 0xffffu));
}

void pit_stop(void)
{
	pit_program(PIT_CW_MODE0, 0xffff);
}
