/* SPDX-License-Identifier: MIT */
/*
 * Register fields whose masks were once wrong, checked against the bit
 * ranges of the documents the headers cite (and Linux/QEMU agree with):
 * a value with every bit of the field set must be extracted whole, and a
 * value with only the neighbouring bits set must extract as 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "drivers/igb_regs.h"
#include "vmm/svm_regs.h"

/* 82576 datasheet §8.2.2: STATUS.NUM_VFS is bits 17:14. */
static void test_igb_status_num_vfs(void **state)
{
	u64 field = 0xfull << 14;
	u64 neighbours = (1ull << 13) | (1ull << 18);

	assert_int_equal(IGB_STATUS_VFS_MASK & field, field);
	assert_int_equal(IGB_STATUS_VFS_MASK & neighbours, 0);
	assert_int_equal(__builtin_popcountll(IGB_STATUS_VFS_MASK), 4);
}

/* AMD APM vol. 2 Table B-1: V_TPR is bits 3:0 of VMCB offset 0x60; bits
 * 7:4 are reserved and bit 8 is V_IRQ. */
static void test_svm_v_tpr(void **state)
{
	assert_int_equal(SVM_V_TPR_MASK, 0xf);
	assert_int_equal(SVM_V_TPR_MASK & SVM_V_IRQ, 0);
	assert_int_equal(SVM_V_TPR_MASK & 0xf0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_igb_status_num_vfs),
		cmocka_unit_test(test_svm_v_tpr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
