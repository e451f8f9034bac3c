/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

#include "lib/types.h"

struct selftest_ctx {
	u32 passed;
	u32 failed;
	u32 cpus_failed; /* APs that did not come up */
	u32 cpus_expected;
};

/*
 * Boot self-tests: protections (W^X, NX, guard pages, NULL), exception
 * delivery, the timer, SMP and the ACPI tables. One line per check; the
 * totals go into ctx.
 */
void selftest_run(struct selftest_ctx *ctx);

/* Records one check: "[test] PASS name: detail" or "[test] FAIL ...". */
void selftest_check(struct selftest_ctx *ctx, bool ok, const char *name,
		    const char *fmt, ...) __printf(4, 5);

#endif
