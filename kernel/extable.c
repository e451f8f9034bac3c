// SPDX-License-Identifier: MIT
#include "kernel/extable.h"

extern const struct extable_entry __extable_start[], __extable_end[];

u64 extable_find(u64 rip)
{
	const struct extable_entry *e;

	for (e = __extable_start; e < __extable_end; e++)
		if ((u64)&e->insn + e->insn == rip)
			return (u64)&e->fixup + e->fixup;
	return 0;
}
