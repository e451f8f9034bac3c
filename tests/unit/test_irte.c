// SPDX-License-Identifier: MIT
/*
 * Host tests for iommu/irte.c against the VT-d spec (rev 4.1) layouts,
 * written out as raw numbers: 9.10 remapped-format IRTE, 9.11
 * posted-format IRTE, 9.12 posted-interrupt descriptor, 5.1.5.2
 * remappable MSI address. QEMU has no posted interrupts, so the posted
 * format is only ever checked here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "iommu/irte.h"

static void test_remapped_x2apic(void **state)
{
	struct irte_remapped in = { .dest = 1, .vector = 0x31, .x2apic = true,
				    .sid = 0x0018 };
	struct vtd_u128 e;

	assert_true(irte_encode_remapped(&in, &e));
	/* P 0, FPD 1 = 0, DM 2 = 0 physical, TM 4 = 0 edge, DLM 7:5 = 0
	 * fixed, IM 15 = 0 remapped, V 23:16, DST 63:32 (x2APIC id). */
	assert_int_equal(e.lo, 0x0000000100310001ull);
	/* SID 79:64, SQ 81:80 = 0, SVT 83:82 = 01 (verify SID/SQ). */
	assert_int_equal(e.hi, 0x0000000000040018ull);
	in.dest = 0x12345678;
	in.level = true;
	assert_true(irte_encode_remapped(&in, &e));
	assert_int_equal(e.lo, 0x1234567800310011ull);
}

static void test_remapped_xapic(void **state)
{
	struct irte_remapped in = { .dest = 3, .vector = 0xef, .x2apic = false,
				    .sid = 0xff00 };
	struct vtd_u128 e = { 0xdead, 0xbeef };

	assert_true(irte_encode_remapped(&in, &e));
	/* xAPIC destination in DST[15:8], i.e. bits 47:40. */
	assert_int_equal(e.lo, 0x0000030000ef0001ull);
	assert_int_equal(e.hi, 0x000000000004ff00ull);
	in.dest = 256;		/* not expressible: entry left alone */
	e.lo = 0xdead;
	assert_false(irte_encode_remapped(&in, &e));
	assert_int_equal(e.lo, 0xdead);
}

static void test_posted(void **state)
{
	struct irte_posted in = { .pd_pa = 0x12345640, .vvector = 0x41,
				  .urgent = true, .sid = 0x0018 };
	struct vtd_u128 e;

	assert_true(irte_encode_posted(&in, &e));
	/* P 0, URG 14, IM 15 = 1 posted, VV 23:16, PDA_L 63:38 = PD 31:6. */
	assert_int_equal(e.lo, 0x123456400041c001ull);
	/* SID, SVT 01, PDA_H 127:96 = PD 63:32. */
	assert_int_equal(e.hi, 0x0000000000040018ull);
	in.pd_pa = 0x0000000abcdef1c0ull;
	in.urgent = false;
	assert_true(irte_encode_posted(&in, &e));
	assert_int_equal(e.lo, 0xbcdef1c000418001ull);
	assert_int_equal(e.hi, 0x0000000a00040018ull);
	/* The descriptor must be 64-byte aligned and present. */
	in.pd_pa = 0x12345650;
	assert_false(irte_encode_posted(&in, &e));
	in.pd_pa = 0;
	assert_false(irte_encode_posted(&in, &e));
}

static void test_pi_descriptor(void **state)
{
	struct pi_desc pd;
	u64 word4;

	assert_int_equal(sizeof(pd), 64);
	memset(&pd, 0xff, sizeof(pd));
	pi_desc_init(&pd, 0xf2, 1, true);
	assert_int_equal(pd.pir[0] | pd.pir[1] | pd.pir[2] | pd.pir[3], 0);
	/* ON 256 = 0, SN 257 = 0, NV 279:272, NDST 319:288: bits 319:256
	 * read as one 64-bit word. */
	memcpy(&word4, (u8 *)&pd + 32, 8);
	assert_int_equal(word4, 0x0000000100f20000ull);
	pi_desc_init(&pd, 0xf2, 3, false);
	/* xAPIC mode: NDST[15:8] holds the 8-bit APIC id. */
	memcpy(&word4, (u8 *)&pd + 32, 8);
	assert_int_equal(word4, 0x0000030000f20000ull);
	assert_int_equal(pd.rsvd[0] | pd.rsvd[1] | pd.rsvd[2], 0);
}

static void test_msi_address(void **state)
{
	u64 addr;
	u32 data = 0x1234;

	/* 0xFEE 31:20, handle[14:0] 19:5, IF 4 = 1, SHV 3 = 0, handle[15] 2 */
	irte_msi(0, &addr, &data);
	assert_int_equal(addr, 0xfee00010ull);
	assert_int_equal(data, 0);
	irte_msi(1, &addr, &data);
	assert_int_equal(addr, 0xfee00030ull);
	irte_msi(0x7fff, &addr, &data);
	assert_int_equal(addr, 0xfeeffff0ull);
	irte_msi(0x8001, &addr, &data);
	assert_int_equal(addr, 0xfee00034ull);
}

static void test_ioapic_rte(void **state)
{
	/* IF bit 48, index[14:0] in 63:49, index[15] in bit 11, rest 0. */
	assert_int_equal(irte_ioapic_rte(0), 1ull << 48);
	assert_int_equal(irte_ioapic_rte(1), 1ull << 48 | 1ull << 49);
	assert_int_equal(irte_ioapic_rte(0x7fff), 0xffff000000000000ull);
	assert_int_equal(irte_ioapic_rte(0x8002),
			 1ull << 48 | 2ull << 49 | 1ull << 11);
	/* Never touches vector, trigger, polarity, mask (bits 16:0 but 11). */
	assert_int_equal(irte_ioapic_rte(0xffff) & 0x1f7ffull, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_remapped_x2apic),
		cmocka_unit_test(test_remapped_xapic),
		cmocka_unit_test(test_posted),
		cmocka_unit_test(test_pi_descriptor),
		cmocka_unit_test(test_msi_address),
		cmocka_unit_test(test_ioapic_rte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
