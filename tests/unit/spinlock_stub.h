/* SPDX-License-Identifier: MIT */
/*
 * Replaces kernel/spinlock.h for tests that include kernel .c files
 * (cli/sti are privileged on the host). Include after cmocka.h and before
 * anything that includes kernel/spinlock.h.
 */
#ifndef TESTS_UNIT_SPINLOCK_STUB_H
#define TESTS_UNIT_SPINLOCK_STUB_H

#include "lib/types.h"

#define KERNEL_SPINLOCK_H
typedef struct {
	int held;
} spinlock_t;
#define SPINLOCK_INIT { 0 }
static inline u64 spin_lock_irqsave(spinlock_t *l)
{
	assert_int_equal(l->held, 0);	/* never taken twice */
	l->held = 1;
	return 0;
}
static inline void spin_unlock_irqrestore(spinlock_t *l, u64 f)
{
	l->held = 0;
}

#endif
