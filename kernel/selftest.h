/* SPDX-License-Identifier: MIT */
/*
 * Boot self-tests. Every subsystem records its checks here with
 * selftest_check(); the totals decide the run's verdict. A check must
 * provoke the behaviour it claims and report what it observed.
 */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

#include "lib/types.h"

/* Records one check: "[test] PASS name: detail" or "[test] FAIL ...". */
void selftest_check(bool ok, const char *name, const char *fmt, ...)
	__printf(3, 4);

/* The kernel's own checks: protections, exceptions, timer, SMP, ACPI.
 * cpus_expected/cpus_failed come from the AP bring-up. */
void selftest_kernel(u32 cpus_expected, u32 cpus_failed);

u32 selftest_passed(void);
u32 selftest_failed(void);
/* Prints "[test] self-test: N passed, N failed". */
void selftest_summary(void);

#endif
