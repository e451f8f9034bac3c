/* SPDX-License-Identifier: MIT */
/*
 * CHECK(cond) for the fuzz targets: a broken promise of the code under
 * test names the condition and its line on stderr, then aborts, which
 * libFuzzer reports as a crash and keeps the input of.
 */
#ifndef TESTS_FUZZ_FUZZ_CHECK_H
#define TESTS_FUZZ_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond)) {                                           \
			fprintf(stderr, "==fuzz== check failed: %s at %s:%d\n", \
				#cond, __FILE__, __LINE__);              \
			abort();                                         \
		}                                                        \
	} while (0)

#endif
