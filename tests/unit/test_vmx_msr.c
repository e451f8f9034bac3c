// SPDX-License-Identifier: MIT
/*
 * Host tests for vmm/vmx_msr.c, against the MSR bitmap's layout (SDM Vol.
 * 3C §24.6.9: read-low, read-high, write-low, write-high, 1 KiB each) and
 * the MSR-area rules (§24.7.2, §26.4: 16-byte entries, reserved word 0,
 * never FS/GS base): the guest's SYSCALL, SWAPGS and SYSENTER MSRs pass
 * without an exit, every other bit stays set.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/cpu.h"
#include "vmm/vmx_msr.h"

#define PAGE 4096

/* Whether an access to msr exits, read the way the CPU reads the page. */
static bool exits(const u8 *bm, u32 msr, bool write)
{
	u32 off = msr >= 0xc0000000u ? 1024 : 0, n = msr & 0x1fff;

	if ((msr > 0x1fff && msr < 0xc0000000u) || msr > 0xc0001fffu)
		return true;	/* outside both ranges: always */
	off += write ? 2048 : 0;
	return bm[off + n / 8] & (1u << (n % 8));
}

/* Bits cleared in bm, each as an MSR number; returns how many. */
static u32 cleared(const u8 *bm)
{
	u32 i, n = 0;

	for (i = 0; i < PAGE * 8; i++)
		n += !(bm[i / 8] & (1u << (i % 8)));
	return n;
}

static void test_allow_bits(void **state)
{
	u8 bm[PAGE];

	memset(bm, 0xff, sizeof(bm));
	/* SYSENTER_CS 0x174: byte 0x2e bit 4 of the low arrays */
	assert_true(vmx_msr_bitmap_allow(bm, MSR_SYSENTER_CS, true, true));
	assert_int_equal(bm[0x2e], 0xef);
	assert_int_equal(bm[2048 + 0x2e], 0xef);
	/* LSTAR 0xc0000082: byte 0x10 bit 2 of the high arrays */
	assert_true(vmx_msr_bitmap_allow(bm, MSR_LSTAR, true, true));
	assert_int_equal(bm[1024 + 0x10], 0xfb);
	assert_int_equal(bm[3072 + 0x10], 0xfb);
	/* write only (the x2APIC EOI with posted interrupts) */
	assert_true(vmx_msr_bitmap_allow(bm, 0x80b, false, true));
	assert_true(exits(bm, 0x80b, false));
	assert_false(exits(bm, 0x80b, true));
	assert_int_equal(cleared(bm), 5);
	/* the edges of both ranges */
	assert_true(vmx_msr_bitmap_allow(bm, 0x1fff, true, false));
	assert_false(exits(bm, 0x1fff, false));
	assert_true(vmx_msr_bitmap_allow(bm, 0xc0001fffu, false, true));
	assert_false(exits(bm, 0xc0001fffu, true));
	assert_int_equal(bm[1023], 0x7f);
	assert_int_equal(bm[4095], 0x7f);
	assert_int_equal(cleared(bm), 7);
}

static void test_allow_refused(void **state)
{
	u8 bm[PAGE];

	memset(bm, 0xff, sizeof(bm));
	/* the bitmap cannot name these: they always exit, nothing changes */
	assert_false(vmx_msr_bitmap_allow(bm, 0x2000, true, true));
	assert_false(vmx_msr_bitmap_allow(bm, 0x40000000, true, true));
	assert_false(vmx_msr_bitmap_allow(bm, 0xbfffffffu, true, true));
	assert_false(vmx_msr_bitmap_allow(bm, 0xc0002000u, true, true));
	assert_false(vmx_msr_bitmap_allow(bm, 0xffffffffu, true, true));
	assert_int_equal(cleared(bm), 0);
}

static void check_guest_msrs(bool tsc_aux)
{
	static const u32 owned[] = {
		MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR,
		MSR_LSTAR, MSR_CSTAR, MSR_SFMASK, MSR_SYSENTER_CS,
		MSR_SYSENTER_ESP, MSR_SYSENTER_EIP,
	};
	static const u32 swapped[] = {
		MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
		MSR_TSC_AUX,
	};
	struct vmx_msr_entry swap[VMX_SWAP_MSRS_MAX];
	u8 bm[PAGE];
	u32 i, n;

	memset(bm, 0xff, sizeof(bm));
	memset(swap, 0xcc, sizeof(swap));
	n = vmx_guest_msrs(bm, swap, tsc_aux);
	assert_int_equal(n, 5 + tsc_aux);
	for (i = 0; i < n; i++) {
		assert_int_equal(swap[i].index, swapped[i]);
		assert_int_equal(swap[i].reserved, 0);
		assert_int_equal(swap[i].value, 0);
		/* an MSR-load area may not hold FS/GS base (§26.4) */
		assert_true(swap[i].index != MSR_FS_BASE &&
			    swap[i].index != MSR_GS_BASE);
	}
	assert_int_equal(swap[n].index, 0xcccccccc);	/* nothing more written */
	for (i = 0; i < ARRAY_SIZE(owned); i++) {
		assert_false(exits(bm, owned[i], false));
		assert_false(exits(bm, owned[i], true));
	}
	assert_int_equal(exits(bm, MSR_TSC_AUX, false), !tsc_aux);
	assert_int_equal(exits(bm, MSR_TSC_AUX, true), !tsc_aux);
	/* everything the VMM emulates or refuses still exits */
	assert_true(exits(bm, MSR_EFER, true));
	assert_true(exits(bm, MSR_EFER, false));
	assert_true(exits(bm, MSR_APIC_BASE, true));
	assert_true(exits(bm, MSR_TSC_DEADLINE, true));
	assert_true(exits(bm, MSR_FEATURE_CONTROL, false));
	assert_true(exits(bm, 0x277, true));	/* PAT */
	assert_int_equal(cleared(bm), 2 * (ARRAY_SIZE(owned) + tsc_aux));
}

static void test_guest_msrs(void **state)
{
	check_guest_msrs(false);
	check_guest_msrs(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allow_bits),
		cmocka_unit_test(test_allow_refused),
		cmocka_unit_test(test_guest_msrs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
