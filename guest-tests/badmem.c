// SPDX-License-Identifier: MIT
/*
 * badmem: maps a guest-physical page just past its own RAM in its own
 * page tables and writes to it. The nested page tables do not map it, so
 * the VMM must stop this guest and report the GPA; it never returns.
 */
#include "guest-tests/rt/rt.h"

int guest_main(const struct hv_boot_info *bi)
{
	u64 size = bi->mem[0].size;
	u64 target = (size + 0x1fffff) & ~0x1fffffull;	/* next 2 MiB */
	/* the PD covering GiB 0 is the third page of the VMM's tables */
	volatile u64 *pd = (u64 *)(HV_GUEST_PT_BASE + 2 * 4096);
	volatile u64 *p = (u64 *)(target + 0x1000);

	if (target >= (1ull << 30)) {
		printf("badmem: needs less than 1 GiB of RAM\n");
		return 2;
	}
	pd[target >> 21] = target | 0x83;	/* P, RW, PS */
	__asm__ volatile("invlpg (%0)" : : "r"(p) : "memory");
	printf("badmem: writing GPA %#llx, outside my %llu MiB\n",
	       (u64)p, size >> 20);
	*p = 0xbad;
	printf("badmem: the write went through: isolation is broken\n");
	return 1;
}
