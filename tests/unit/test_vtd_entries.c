// SPDX-License-Identifier: MIT
/*
 * Host tests for iommu/vtd_entries.c. Expected values are written out as
 * raw numbers worked out from the VT-d spec (rev 4.1) figures, not from
 * the driver's own macros, so a wrong shift in vtd_regs.h shows up here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "iommu/vtd_entries.h"

/* 9.1 root entry: P bit 0, context table pointer 63:12, upper half 0. */
static void test_root_entry(void **state)
{
	struct vtd_u128 e = vtd_root_entry(0x4b000);

	assert_int_equal(e.lo, 0x4b001ull);
	assert_int_equal(e.hi, 0);
	e = vtd_root_entry(0xfffff123456789abull);	/* low bits dropped */
	assert_int_equal(e.lo, 0xfffff12345678001ull);
}

/* 9.3 context entry: P 0, FPD 1, TT 3:2, SLPTPTR 63:12; AW 66:64,
 * DID 87:72. */
static void test_context_entry(void **state)
{
	struct vtd_u128 e = vtd_context_entry(0x46000, 2, 5);

	assert_int_equal(e.lo, 0x46001ull);	/* TT 0: second level */
	assert_int_equal(e.hi, 0x502ull);
	e = vtd_context_entry(0x7ffff000, 1, 0xffff);
	assert_int_equal(e.lo, 0x7ffff001ull);
	assert_int_equal(e.hi, 0xffff01ull);
	assert_int_equal(vtd_levels_to_aw(3), 1);
	assert_int_equal(vtd_levels_to_aw(4), 2);
	assert_int_equal(vtd_levels_to_aw(5), 3);
	assert_int_equal(vtd_levels_to_aw(2), 0);
	assert_int_equal(vtd_levels_to_aw(6), 0);
}

/* 6.5.2.1 context-cache invalidate descriptor. */
static void test_qi_context_cache(void **state)
{
	struct vtd_inv r = { .kind = VTD_INV_CC, .gran = VTD_GRAN_GLOBAL,
			     .did = 7, .sid = 0x18 };
	struct vtd_u128 d = vtd_qi_desc(&r);

	assert_int_equal(d.lo, 0x11ull);	/* type 1, G 01: no DID */
	assert_int_equal(d.hi, 0);
	r.gran = VTD_GRAN_DOMAIN;
	assert_int_equal(vtd_qi_desc(&r).lo, 0x70021ull);
	r.gran = VTD_GRAN_DEVICE;
	/* type 1, G 11, DID 31:16, SID 47:32, FM 49:48 = 0 */
	assert_int_equal(vtd_qi_desc(&r).lo, 0x0000001800070031ull);
}

/* 6.5.2.3 IOTLB invalidate descriptor: DR bit 7, DW bit 6 always. */
static void test_qi_iotlb(void **state)
{
	struct vtd_inv r = { .kind = VTD_INV_IOTLB, .gran = VTD_GRAN_GLOBAL,
			     .did = 2 };
	struct vtd_u128 d = vtd_qi_desc(&r);

	assert_int_equal(d.lo, 0xd2ull);
	r.gran = VTD_GRAN_DOMAIN;
	d = vtd_qi_desc(&r);
	assert_int_equal(d.lo, 0x200e2ull);
	assert_int_equal(d.hi, 0);
	r.gran = VTD_GRAN_PAGE;
	r.addr = 0x180000;
	r.am = 3;
	d = vtd_qi_desc(&r);
	assert_int_equal(d.lo, 0x200f2ull);
	assert_int_equal(d.hi, 0x180003ull);	/* ADDR 127:76, AM 69:64 */
}

/* 6.5.2.8 IEC descriptor, 6.5.2.9 wait descriptor. */
static void test_qi_iec_wait(void **state)
{
	struct vtd_inv r = { .kind = VTD_INV_IEC, .gran = VTD_GRAN_GLOBAL };
	struct vtd_u128 d = vtd_qi_desc(&r);

	assert_int_equal(d.lo, 0x4ull);
	r.gran = VTD_GRAN_DEVICE;	/* index-selective */
	r.iidx = 0x1234;
	r.im = 2;
	d = vtd_qi_desc(&r);
	/* type 4, G bit 4, IM 31:27, IIDX 47:32 */
	assert_int_equal(d.lo, 0x0000123410000014ull);
	d = vtd_qi_wait_desc(0x3de5a104, 7);
	/* type 5, SW bit 5, FN bit 6, status data 63:32 */
	assert_int_equal(d.lo, 0x0000000700000065ull);
	assert_int_equal(d.hi, 0x3de5a104ull);
}

/* 11.4.6 CCMD_REG and 11.4.8 IOTLB_REG / IVA_REG values. */
static void test_register_values(void **state)
{
	struct vtd_inv r = { .kind = VTD_INV_CC, .gran = VTD_GRAN_GLOBAL };
	u64 iva;

	assert_int_equal(vtd_ccmd_value(&r), 0xa000000000000000ull);
	r.gran = VTD_GRAN_DEVICE;
	r.did = 3;
	r.sid = 0x18;
	assert_int_equal(vtd_ccmd_value(&r), 0xe000000000180003ull);
	r.kind = VTD_INV_IOTLB;
	r.gran = VTD_GRAN_GLOBAL;
	assert_int_equal(vtd_iotlb_value(&r, &iva), 0x9003000000000000ull);
	assert_int_equal(iva, 0);
	r.gran = VTD_GRAN_PAGE;
	r.addr = 0x200000;
	r.am = 9;
	assert_int_equal(vtd_iotlb_value(&r, &iva), 0xb003000300000000ull);
	assert_int_equal(iva, 0x200009ull);
}

/* An interrupt-remapping fault record: FI 63:48 holds the interrupt
 * index, there is no DMA address. */
static void expect_ir_fault(u8 reason, u16 index)
{
	struct vtd_fault f;

	assert_true(vtd_fault_decode((u64)index << 48,
				     VTD_FRCD_HI_F | (u64)reason << 32 | 0x18, &f));
	assert_int_equal(f.reason, reason);
	assert_int_equal(f.ir_index, index);
	assert_int_equal(f.addr, 0);
	assert_true(vtd_fault_is_ir(reason));
}

/* 11.4.7.6 fault recording register. */
static void test_fault_decode(void **state)
{
	struct vtd_fault f;

	/* F clear: nothing recorded. */
	assert_false(vtd_fault_decode(0x53000, 0x0000000500000018ull, &f));
	/* F (127), T1 = 0 (write), FR 0x05 (103:96), SID 0x0018. */
	assert_true(vtd_fault_decode(0x53000, 0x8000000500000018ull, &f));
	assert_int_equal(f.sid, 0x18);
	assert_int_equal(f.reason, 5);
	assert_true(f.write);
	assert_int_equal(f.addr, 0x53000);
	/* T1 = 1: read; FI keeps only 63:12. */
	assert_true(vtd_fault_decode(0x53abc, 0xc000000600000300ull, &f));
	assert_false(f.write);
	assert_int_equal(f.addr, 0x53000);
	assert_int_equal(f.sid, 0x300);
	assert_int_equal(f.reason, 6);
	expect_ir_fault(0x26, 1);
	assert_false(vtd_fault_is_ir(0x06));
	/* 0x27-0x29 are interrupt-remapping faults too (posted descriptor). */
	expect_ir_fault(0x29, 5);
	assert_true(vtd_fault_is_ir(0x27));
	assert_true(vtd_fault_is_ir(0x28));
	assert_false(vtd_fault_is_ir(0x2a));
	assert_false(vtd_fault_is_ir(0x1f));
}

/* Appendix A names. */
static void test_fault_names(void **state)
{
	assert_string_equal(vtd_fault_reason_name(0x01),
			    "root entry not present");
	assert_string_equal(vtd_fault_reason_name(0x02),
			    "context entry not present");
	assert_string_equal(vtd_fault_reason_name(0x05),
			    "write to a page without write permission");
	assert_string_equal(vtd_fault_reason_name(0x06),
			    "read from a page without read permission");
	assert_string_equal(vtd_fault_reason_name(0x22),
			    "interrupt entry not present");
	assert_string_equal(vtd_fault_reason_name(0x25),
			    "compatibility format interrupt blocked");
	assert_string_equal(vtd_fault_reason_name(0x26),
			    "interrupt source-id verification failed");
	assert_string_equal(vtd_fault_reason_name(0x27),
			    "posted-interrupt descriptor read failed");
	assert_string_equal(vtd_fault_reason_name(0x28),
			    "posted-interrupt descriptor reserved field set");
	assert_string_equal(vtd_fault_reason_name(0x00),
			    "reserved fault reason");
	assert_string_equal(vtd_fault_reason_name(0x10),
			    "reserved fault reason");
	assert_string_equal(vtd_fault_reason_name(0xff),
			    "reserved fault reason");
}

/* Page-selective invalidation covers an aligned power-of-two block. */
static void test_psi_mask(void **state)
{
	u64 base;

	assert_int_equal(vtd_psi_mask(0x180000, 4096, 63, &base), 0);
	assert_int_equal(base, 0x180000);
	assert_int_equal(vtd_psi_mask(0x1000, 0x2000, 63, &base), 2);
	assert_int_equal(base, 0);
	assert_int_equal(vtd_psi_mask(0x200000, 0x200000, 63, &base), 9);
	assert_int_equal(base, 0x200000);
	assert_int_equal(vtd_psi_mask(0x1000, 0x2000, 1, &base), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_entry),
		cmocka_unit_test(test_context_entry),
		cmocka_unit_test(test_qi_context_cache),
		cmocka_unit_test(test_qi_iotlb),
		cmocka_unit_test(test_qi_iec_wait),
		cmocka_unit_test(test_register_values),
		cmocka_unit_test(test_fault_decode),
		cmocka_unit_test(test_fault_names),
		cmocka_unit_test(test_psi_mask),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
