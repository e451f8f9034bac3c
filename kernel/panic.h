/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "kernel/trap.h"
#include "lib/types.h"

void __noreturn panic(const char *fmt, ...) __printf(1, 2);
void __noreturn panic_regs(struct regs *r, const char *fmt, ...) __printf(2, 3);
bool panic_in_progress(void);

/* Fault injection: an unhandled page fault, to test the panic path. */
void __noreturn inject_fault(void);

#define BUG_ON(cond)                                                    \
	do {                                                            \
		if (cond)                                               \
			panic("BUG_ON(%s) at %s:%d", #cond, __FILE__,   \
			      __LINE__);                                \
	} while (0)

#endif
