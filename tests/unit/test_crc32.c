// SPDX-License-Identifier: MIT
/* lib/crc32.c against the standard check values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "lib/crc32.h"

static void test_check_values(void **state)
{
	assert_int_equal(crc32(0, "123456789", 9), 0xcbf43926);
	assert_int_equal(crc32(0, "", 0), 0);
	assert_int_equal(crc32(0, "a", 1), 0xe8b7be43);
	assert_int_equal(crc32(0, "The quick brown fox jumps over the lazy dog", 43),
			 0x414fa339);
}

static void test_continues(void **state)
{
	/* in two pieces, as over guest memory read in chunks */
	assert_int_equal(crc32(crc32(0, "12345", 5), "6789", 4), 0xcbf43926);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_values),
		cmocka_unit_test(test_continues),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
