/* SPDX-License-Identifier: MIT */
/*
 * Exception fixups, as in Linux: an instruction that is allowed to fault
 * has an entry naming where execution continues instead of panicking.
 * Entries hold 32-bit offsets relative to themselves, so the table needs
 * no relocation in this position-independent image.
 */
#ifndef KERNEL_EXTABLE_H
#define KERNEL_EXTABLE_H

#include "lib/types.h"

struct extable_entry {
	s32 insn;  /* faulting instruction (or return address, see below) */
	s32 fixup; /* where to continue */
};

/*
 * Returns the fixup address for a fault at rip, or 0. For an instruction
 * fetch fault after a call, pass the return address found on the stack.
 */
u64 extable_find(u64 rip);

#endif
