// SPDX-License-Identifier: MIT
/*
 * timer: programs the virtual x2APIC timer periodic at "hz=N" (default
 * 100) and halts until "ticks=N" (default 20) interrupts have arrived,
 * then checks the elapsed time is plausible. Exits with "status=N"
 * (default 0) on success, 1 if the ticks came too fast.
 */
#include "guest-tests/rt/rt.h"

static volatile u64 ticks;

static void tick(void)
{
	ticks++;
}

int guest_main(const struct hv_boot_info *bi)
{
	u64 hz = (u64)rt_cmdline_num("hz", 100);
	u64 want = (u64)rt_cmdline_num("ticks", 20);
	u64 t0, ms;

	printf("timer: %s: %llu Hz, waiting for %llu ticks\n", bi->name, hz,
	       want);
	t0 = rt_time_ns();
	rt_timer_start((u32)hz, tick);
	for (cli(); ticks < want; cli())
		sti_hlt();
	rt_timer_stop();
	ms = (rt_time_ns() - t0) / 1000000;
	printf("timer: %llu ticks in %llu ms\n", (u64)ticks, ms);
	/* at least the nominal time must have passed: no early burst */
	if (ms + 1 < want * 1000 / hz) {
		printf("timer: too fast (expected >= %llu ms)\n", want * 1000 / hz);
		return 1;
	}
	return (int)rt_cmdline_num("status", 0);
}
