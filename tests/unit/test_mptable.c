// SPDX-License-Identifier: MIT
/*
 * Host tests for vmm/mptable.c, checked the way Linux's mpparse.c reads
 * the table: the floating pointer's signature, length, revision and
 * checksum, the header it points to with its own checksum and length, one
 * enabled processor entry per vCPU with the BP first, an ISA bus.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/unaligned.h"
#include "vmm/mptable.h"

#define GPA 0xf0000u

static u8 sum(const u8 *p, u32 n)
{
	u8 s = 0;

	while (n--)
		s += *p++;
	return s;
}

static void test_one_cpu(void **state)
{
	struct mptable_cfg cfg = { 1, 0x00a00f11, 0x178bfbff };
	u8 buf[256];
	u8 *c = buf + MPF_SIZE, *cpu, *bus;
	u32 n;

	memset(buf, 0xcc, sizeof(buf));
	n = mptable_build(buf, sizeof(buf), GPA, &cfg);
	assert_int_equal(n, MPF_SIZE + MPC_HDR_SIZE + MPC_CPU_SIZE + MPC_BUS_SIZE);
	assert_int_equal(n, mptable_size(&cfg));
	/* floating pointer */
	assert_memory_equal(buf, "_MP_", 4);
	assert_int_equal(get_le32(buf + MPF_PHYSPTR), GPA + MPF_SIZE);
	assert_int_equal(buf[MPF_LENGTH], 1);
	assert_int_equal(buf[MPF_SPEC_REV], 4);
	assert_int_equal(buf[MPF_FEATURE1], 0);
	assert_int_equal(sum(buf, MPF_SIZE), 0);
	/* configuration table */
	assert_memory_equal(c, "PCMP", 4);
	assert_int_equal(get_le16(c + MPC_LENGTH), n - MPF_SIZE);
	assert_int_equal(c[MPC_SPEC_REV], 4);
	assert_int_equal(sum(c, n - MPF_SIZE), 0);
	assert_int_equal(get_le16(c + MPC_ENTRY_COUNT), 2);
	assert_int_equal(get_le32(c + MPC_LAPIC_ADDR), 0xfee00000u);
	assert_memory_equal(c + MPC_OEM_ID, "HV      ", 8);
	cpu = c + MPC_HDR_SIZE;
	assert_int_equal(cpu[0], MPC_ENTRY_CPU);
	assert_int_equal(cpu[MPC_CPU_APIC_ID], 0);
	assert_int_equal(cpu[MPC_CPU_APIC_VER], 0x14);
	assert_int_equal(cpu[MPC_CPU_FLAGS], MPC_CPU_FLAG_EN | MPC_CPU_FLAG_BP);
	assert_int_equal(get_le32(cpu + MPC_CPU_SIGNATURE), 0x00a00f11);
	assert_int_equal(get_le32(cpu + MPC_CPU_FEATURES), 0x178bfbff);
	bus = cpu + MPC_CPU_SIZE;
	assert_int_equal(bus[0], MPC_ENTRY_BUS);
	assert_int_equal(bus[MPC_BUS_ID], 0);
	assert_memory_equal(bus + MPC_BUS_TYPE, "ISA   ", 6);
	/* nothing written past the table */
	assert_int_equal(buf[n], 0xcc);
}

static void test_four_cpus(void **state)
{
	struct mptable_cfg cfg = { 4, 0, 0 };
	u8 buf[256];
	u8 *c = buf + MPF_SIZE;
	u32 n = mptable_build(buf, sizeof(buf), GPA, &cfg), i;

	assert_int_equal(n, MPF_SIZE + MPC_HDR_SIZE + 4 * MPC_CPU_SIZE + MPC_BUS_SIZE);
	assert_int_equal(get_le16(c + MPC_ENTRY_COUNT), 5);
	assert_int_equal(sum(c, n - MPF_SIZE), 0);
	for (i = 0; i < 4; i++) {
		u8 *cpu = c + MPC_HDR_SIZE + i * MPC_CPU_SIZE;

		assert_int_equal(cpu[MPC_CPU_APIC_ID], i);
		assert_int_equal(cpu[MPC_CPU_FLAGS],
				 MPC_CPU_FLAG_EN | (i ? 0 : MPC_CPU_FLAG_BP));
	}
}

static void test_refused(void **state)
{
	struct mptable_cfg cfg = { 1, 0, 0 };
	u8 buf[256];

	assert_int_equal(mptable_build(buf, mptable_size(&cfg) - 1, GPA, &cfg), 0);
	assert_int_equal(mptable_build(buf, sizeof(buf), GPA + 8, &cfg), 0);
	assert_int_equal(mptable_build(buf, sizeof(buf), 0xfffffff0ull, &cfg), 0);
	cfg.ncpus = 0;
	assert_int_equal(mptable_build(buf, sizeof(buf), GPA, &cfg), 0);
	cfg.ncpus = MP_MAX_CPUS + 1;
	assert_int_equal(mptable_build(buf, sizeof(buf), GPA, &cfg), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_cpu),
		cmocka_unit_test(test_four_cpus),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
