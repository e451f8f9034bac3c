// SPDX-License-Identifier: MIT
/* ACPI power-management timer as a reference clock (ACPI 6.5 §4.8.3.3). */
#include "kernel/cpu.h"
#include "kernel/refclock.h"

#define PMTIMER_HZ 3579545
#define PMTIMER_MASK_24 0xffffffu	/* TMR_VAL_EXT clear: 24 bits */
/* PIIX4 PM I/O block (PMBA) as OVMF programs it (PcdAcpiPmBaseAddress),
 * PM timer at offset 8 (PIIX4 datasheet §7.2 PMTMR). */
#define PIIX4_PMBA 0xb000
#define PIIX4_PM_TMR_PORT (PIIX4_PMBA + 0x08)

static u16 pm_port;

static u64 pmtimer_read(void)
{
	return inl(pm_port);
}

/* True if the 24-bit PM timer at port advances within ~100k reads. */
static bool pmtimer_counts(u16 port)
{
	u32 a = inl(port) & PMTIMER_MASK_24, i;

	if (a == PMTIMER_MASK_24)
		return false;	/* nothing decodes the port */
	for (i = 0; i < 100000; i++)
		if ((inl(port) & PMTIMER_MASK_24) != a)
			return true;
	return false;
}

int pmtimer_refclock(u32 port, bool width32, struct refclock *out)
{
	if (!port || port > 0xffff)
		return -1;
	pm_port = (u16)port;
	out->name = "ACPI PM timer";
	out->hz = PMTIMER_HZ;
	out->mask = width32 ? 0xffffffffull : PMTIMER_MASK_24;
	out->read = pmtimer_read;
	return 0;
}

/*
 * Without ACPI tables (OVMF under Bochs installs none) there is no FADT to
 * name the timer, but OVMF's PlatformPei still enables the PIIX4 PM I/O
 * block: use its timer if it is counting.
 */
int pmtimer_piix4_refclock(struct refclock *out)
{
	if (!pmtimer_counts(PIIX4_PM_TMR_PORT))
		return -1;
	return pmtimer_refclock(PIIX4_PM_TMR_PORT, false, out);
}
