/* SPDX-License-Identifier: MIT */
/* vmm_vf_demand(): 1 + the highest VF any guest names, whole functions and
 * guests without devices not counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/vf_demand.h"

static struct hv_config cfg;

static void add_dev(u32 g, u8 kind, u16 vf)
{
	struct cfg_guest *gu = &cfg.guests[g];

	gu->devices[gu->ndevices++] = (struct cfg_device){ .kind = kind,
							   .vf_index = vf };
	if (cfg.nguests < g + 1)
		cfg.nguests = g + 1;
}

static int reset(void **state)
{
	memset(&cfg, 0, sizeof(cfg));
	return 0;
}

static void test_no_guests(void **state)
{
	assert_int_equal(vmm_vf_demand(&cfg), 0);
	cfg.nguests = 2;	/* guests without devices */
	assert_int_equal(vmm_vf_demand(&cfg), 0);
}

static void test_highest_vf(void **state)
{
	add_dev(0, CFG_DEV_VF, 1);
	add_dev(1, CFG_DEV_PCI, 7);	/* a whole function: no VF */
	add_dev(2, CFG_DEV_VF, 3);
	add_dev(2, CFG_DEV_VF, 0);
	assert_int_equal(vmm_vf_demand(&cfg), 4);
}

static void test_vf0_only(void **state)
{
	add_dev(0, CFG_DEV_VF, 0);
	assert_int_equal(vmm_vf_demand(&cfg), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_no_guests, reset),
		cmocka_unit_test_setup(test_highest_vf, reset),
		cmocka_unit_test_setup(test_vf0_only, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
