// SPDX-License-Identifier: MIT
/* HPET as a reference clock (IA-PC HPET specification 1.0a, §2.3). */
#define LOG_SUBSYS "hpet"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/refclock.h"

#define HPET_GCAP_ID 0x000
#define HPET_GEN_CONF 0x010
#define HPET_MAIN_COUNTER 0x0f0
#define HPET_MMIO_SIZE 0x400

#define GCAP_COUNT_SIZE_CAP BIT(13) /* 64-bit main counter */
#define GEN_CONF_ENABLE BIT(0)
#define FEMTOSECONDS_PER_SECOND 1000000000000000ull
/* §2.3.4: the period must be non-zero and at most 100 ns. */
#define HPET_MAX_PERIOD_FS 100000000ull

static volatile u64 *hpet;

static u64 hpet_read(void)
{
	return hpet[HPET_MAIN_COUNTER / 8];
}

int hpet_refclock(u64 base, struct refclock *out)
{
	u64 cap, period;

	hpet = mmio_map(base, HPET_MMIO_SIZE);
	if (!hpet)
		return -1;
	cap = hpet[HPET_GCAP_ID / 8];
	period = cap >> 32;
	if (!period || period > HPET_MAX_PERIOD_FS) {
		pr_err("HPET at %#llx reports period %llu fs: not usable\n", base,
		       period);
		return -1;
	}
	hpet[HPET_GEN_CONF / 8] |= GEN_CONF_ENABLE;
	out->name = "HPET";
	out->hz = FEMTOSECONDS_PER_SECOND / period;
	out->mask = cap & GCAP_COUNT_SIZE_CAP ? ~0ull : 0xffffffffull;
	out->read = hpet_read;
	pr_info("HPET at %#llx: %llu Hz, %u-bit counter, %llu timers\n", base,
		out->hz, cap & GCAP_COUNT_SIZE_CAP ? 64 : 32,
		((cap >> 8) & 0x1f) + 1);
	return 0;
}
