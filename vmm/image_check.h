/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the validating image loaders (vmm/elf.c,
 * vmm/linux_boot.c): a one-line reason for a refusal, and sums of
 * untrusted sizes that must not wrap.
 */
#ifndef VMM_IMAGE_CHECK_H
#define VMM_IMAGE_CHECK_H

#include "lib/format.h"
#include "lib/types.h"

/* Writes msg (with up to two numbers) into err; returns -1. */
static inline int image_fail(char *err, size_t errlen, const char *msg,
			     u64 a, u64 b)
{
	if (err && errlen)
		fmt_snprintf(err, errlen, msg, a, b);
	return -1;
}

/* a + b without wrapping, or false. */
static inline bool add_ok(u64 a, u64 b, u64 *sum)
{
	return !__builtin_add_overflow(a, b, sum);
}

#endif
