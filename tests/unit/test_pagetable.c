// SPDX-License-Identifier: MIT
/*
 * Host tests for kernel/pagetable.c. Tables are malloc'd pages behind a
 * fake physical address space, so the tests can count every table
 * allocated and freed, inject allocation failures, and read the raw
 * entries the hardware would walk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/pagetable.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)

/* SDM Vol. 3A Tables 4-15..4-20 bit positions, spelled out independently. */
#define P	0x1ull
#define RW	0x2ull
#define US	0x4ull
#define PWT	0x8ull
#define PCD	0x10ull
#define PS	0x80ull
#define G	0x100ull
#define XD	(1ull << 63)
#define TBL	(P | RW | US)		/* what every non-leaf entry must hold */

/* ---- fake physical memory for tables ------------------------------------- */

#define ENV_PAGES 8192
#define FAKE_BASE 0x5000000000ull

struct fake_env {
	void *page[ENV_PAGES];
	unsigned scan;		/* where to look for a free slot */
	long allocs, frees, live;
	long fail_after;	/* allocations left before failing; <0: never */
};

static struct fake_env fenv;

static u64 fake_alloc(void *ctx)
{
	struct fake_env *f = ctx;
	unsigned i, k;

	if (f->fail_after == 0)
		return 0;
	if (f->fail_after > 0)
		f->fail_after--;
	for (k = 0; k < ENV_PAGES; k++) {
		i = (f->scan + k) % ENV_PAGES;
		if (!f->page[i])
			break;
	}
	assert_true(k < ENV_PAGES);
	f->page[i] = aligned_alloc(4096, 4096);
	assert_non_null(f->page[i]);
	memset(f->page[i], 0, 4096);
	f->scan = i + 1;
	f->allocs++;
	f->live++;
	return FAKE_BASE + i * 4096ull;
}

static unsigned fake_index(struct fake_env *f, u64 pa)
{
	u64 i = (pa - FAKE_BASE) / 4096;

	assert_true(pa >= FAKE_BASE && (pa & 0xfff) == 0);
	assert_true(i < ENV_PAGES);
	assert_non_null(f->page[i]);	/* use after free / bogus pointer */
	return i;
}

static void fake_free(void *ctx, u64 pa)
{
	struct fake_env *f = ctx;
	unsigned i = fake_index(f, pa);

	free(f->page[i]);
	f->page[i] = NULL;
	f->frees++;
	f->live--;
}

static void *fake_virt(void *ctx, u64 pa)
{
	struct fake_env *f = ctx;

	return f->page[fake_index(f, pa)];
}

static const struct pt_env env = {
	.alloc_table = fake_alloc,
	.free_table = fake_free,
	.phys_to_virt = fake_virt,
	.ctx = &fenv,
};

static int env_setup(void **state)
{
	memset(&fenv, 0, sizeof(fenv));
	fenv.fail_after = -1;
	return 0;
}

static int env_teardown(void **state)
{
	unsigned i;

	/* Every test destroys its tables: nothing may be left. */
	assert_int_equal(fenv.live, 0);
	assert_int_equal(fenv.allocs, fenv.frees);
	for (i = 0; i < ENV_PAGES; i++)
		free(fenv.page[i]);
	return 0;
}

/* ---- helpers ------------------------------------------------------------- */

static u64 *tbl(u64 pa)
{
	return fake_virt(&fenv, pa & 0x000ffffffffff000ull);
}

/*
 * Raw entry for va at level (4 = PML4E .. 1 = PTE), asserting every entry
 * above it is a table pointer with exactly the permissive non-leaf bits.
 */
static u64 raw(const struct pagetable *pt, u64 va, unsigned level,
	       u64 table_bits)
{
	u64 *t = tbl(pt->root);
	unsigned l;
	u64 e;

	for (l = pt->levels;; l--) {
		e = t[(va >> (12 + 9 * (l - 1))) & 511];
		if (l == level)
			return e;
		assert_int_equal(e & ~0x000ffffffffff000ull, table_bits);
		t = tbl(e);
	}
}

static u64 raw_x86(const struct pagetable *pt, u64 va, unsigned level)
{
	return raw(pt, va, level, TBL);
}

static void expect_map(const struct pagetable *pt, u64 va, u64 pa, u32 flags,
		       u64 size)
{
	u64 got_pa = 0, got_size = 0;
	u32 got_flags = 0;

	assert_int_equal(pt_lookup(pt, va, &got_pa, &got_flags, &got_size), 0);
	assert_int_equal(got_pa, pa);
	assert_int_equal(got_flags, flags);
	assert_int_equal(got_size, size);
}

static void expect_unmapped(const struct pagetable *pt, u64 va)
{
	assert_int_equal(pt_lookup(pt, va, NULL, NULL, NULL), PT_ENOENT);
}

static void new_x86(struct pagetable *pt, u32 sizes)
{
	assert_int_equal(pt_create(pt, &pt_format_x86_64, 4, sizes, &env), 0);
}

#define ALL_SIZES (PT_4K | PT_2M | PT_1G)

/* ---- tests --------------------------------------------------------------- */

static void test_create_destroy(void **state)
{
	struct pagetable pt;

	assert_int_equal(pt_create(&pt, &pt_format_x86_64, 3, PT_4K, &env),
			 PT_EINVAL);
	assert_int_equal(pt_create(&pt, &pt_format_x86_64, 6, PT_4K, &env),
			 PT_EINVAL);
	assert_int_equal(pt_create(&pt, &pt_format_x86_64, 4, PT_2M, &env),
			 PT_EINVAL);
	assert_int_equal(pt_create(&pt, &pt_format_x86_64, 4,
				   PT_4K | PT_1G, &env), PT_EINVAL);
	assert_int_equal(pt_create(&pt, &pt_format_x86_64, 4,
				   PT_4K | BIT(4), &env), PT_EINVAL);
	assert_int_equal(fenv.allocs, 0);

	fenv.fail_after = 0;
	assert_int_equal(pt_create(&pt, &pt_format_x86_64, 4, PT_4K, &env),
			 PT_ENOMEM);
	fenv.fail_after = -1;

	new_x86(&pt, ALL_SIZES);
	assert_int_equal(fenv.live, 1);
	assert_int_equal(pt.levels, 4);
	assert_int_equal(pt.pa_bits, 52);
	assert_int_equal(pt.root, FAKE_BASE);
	expect_unmapped(&pt, 0);
	pt_destroy(&pt);
	assert_int_equal(pt.root, 0);
	assert_int_equal(fenv.live, 0);
	pt_destroy(&pt);	/* idempotent */
	assert_int_equal(fenv.frees, 1);
}

static void test_map_4k_raw(void **state)
{
	struct pagetable pt;

	new_x86(&pt, ALL_SIZES);
	assert_int_equal(pt_map(&pt, 0x400000, 0x12345000, 4096, PT_R | PT_W), 0);
	/* root + PDPT + PD + PT */
	assert_int_equal(fenv.live, 4);
	assert_int_equal(raw_x86(&pt, 0x400000, 1),
			 0x12345000ull | P | RW | XD);
	assert_int_equal(raw_x86(&pt, 0x400000, 1), 0x8000000012345003ull);
	/* the neighbours in the same PT are empty */
	assert_int_equal(raw_x86(&pt, 0x401000, 1), 0);
	assert_int_equal(raw_x86(&pt, 0x3ff000, 2), 0);

	expect_map(&pt, 0x400000, 0x12345000, PT_R | PT_W, 4096);
	expect_map(&pt, 0x400abc, 0x12345abc, PT_R | PT_W, 4096);
	expect_unmapped(&pt, 0x401000);
	expect_unmapped(&pt, 0x3ff000);

	/* A second page in the same PT needs no new table. */
	assert_int_equal(pt_map(&pt, 0x401000, 0x1000, 4096, PT_R | PT_X), 0);
	assert_int_equal(fenv.live, 4);
	assert_int_equal(raw_x86(&pt, 0x401000, 1), 0x1000ull | P);
	expect_map(&pt, 0x401000, 0x1000, PT_R | PT_X, 4096);
	pt_destroy(&pt);
}

static void test_map_2m_raw(void **state)
{
	struct pagetable pt;

	new_x86(&pt, ALL_SIZES);
	assert_int_equal(pt_map(&pt, 0x200000, 0x40200000, 2 * MiB,
				PT_R | PT_X), 0);
	assert_int_equal(fenv.live, 3);
	assert_int_equal(raw_x86(&pt, 0x200000, 2), 0x40200000ull | P | PS);
	assert_int_equal(raw_x86(&pt, 0x200000, 2), 0x40200081ull);
	expect_map(&pt, 0x3fffff, 0x403fffff, PT_R | PT_X, 2 * MiB);
	expect_unmapped(&pt, 0x400000);

	/* Without PT_2M the same range takes a PT of 512 PTEs. */
	pt_destroy(&pt);
	new_x86(&pt, PT_4K);
	assert_int_equal(pt_map(&pt, 0x200000, 0x40200000, 2 * MiB, PT_R), 0);
	assert_int_equal(fenv.live, 4);
	assert_int_equal(raw_x86(&pt, 0x3ff000, 1), 0x403ff000ull | P | XD);
	expect_map(&pt, 0x200000, 0x40200000, PT_R, 4096);
	pt_destroy(&pt);
}

static void test_map_1g_upper_half_raw(void **state)
{
	struct pagetable pt;
	const u64 va = 0xffff800000000000ull;

	new_x86(&pt, ALL_SIZES);
	assert_int_equal(pt_map(&pt, va, 2 * GiB, GiB,
				PT_R | PT_W | PT_GLOBAL), 0);
	assert_int_equal(fenv.live, 2);
	/* PML4 index 256 */
	assert_int_equal(tbl(pt.root)[256] & 0xfff, TBL);
	assert_int_equal(raw_x86(&pt, va, 3),
			 0x80000000ull | P | RW | PS | G | XD);
	assert_int_equal(raw_x86(&pt, va, 3), 0x8000000080000183ull);
	expect_map(&pt, va + 0x12345678, 2 * GiB + 0x12345678,
		   PT_R | PT_W | PT_GLOBAL, GiB);
	expect_unmapped(&pt, va + GiB);
	expect_unmapped(&pt, 0);
	/* Top of the address space: last PML4 entry, no overflow. */
	assert_int_equal(pt_map(&pt, 0xffffffffc0000000ull, 0, GiB, PT_R), 0);
	expect_map(&pt, ~0ull, GiB - 1, PT_R, GiB);
	pt_destroy(&pt);
}

static void test_attribute_bits(void **state)
{
	struct pagetable pt;

	new_x86(&pt, ALL_SIZES);
	assert_int_equal(pt_map(&pt, 0xfee00000, 0xfee00000, 4096,
				PT_R | PT_W | PT_UC), 0);
	assert_int_equal(raw_x86(&pt, 0xfee00000, 1),
			 0xfee00000ull | P | RW | PWT | PCD | XD);
	expect_map(&pt, 0xfee00000, 0xfee00000, PT_R | PT_W | PT_UC, 4096);

	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 4096,
				PT_R | PT_X | PT_USER), 0);
	assert_int_equal(raw_x86(&pt, 0x1000, 1), 0x1000ull | P | US);
	expect_map(&pt, 0x1000, 0x1000, PT_R | PT_X | PT_USER, 4096);

	/* 2M leaf with UC: PAT (bit 12) stays clear, PCD|PWT set. */
	assert_int_equal(pt_map(&pt, 0xc0000000, 0xc0000000, 2 * MiB,
				PT_R | PT_UC), 0);
	assert_int_equal(raw_x86(&pt, 0xc0000000, 2),
			 0xc0000000ull | P | PWT | PCD | PS | XD);
	pt_destroy(&pt);
}

static void test_mixed_alignment(void **state)
{
	struct pagetable pt;
	u64 va;

	new_x86(&pt, ALL_SIZES);
	/* [0x1ff000, 0x601000): 4K head, two 2M pages, 4K tail. */
	assert_int_equal(pt_map(&pt, 0x1ff000, 0x1ff000, 0x402000,
				PT_R | PT_W), 0);
	/* root, PDPT, PD, a PT for the head and one for the tail */
	assert_int_equal(fenv.live, 5);
	expect_map(&pt, 0x1ff000, 0x1ff000, PT_R | PT_W, 4096);
	expect_map(&pt, 0x200000, 0x200000, PT_R | PT_W, 2 * MiB);
	expect_map(&pt, 0x400000, 0x400000, PT_R | PT_W, 2 * MiB);
	expect_map(&pt, 0x600000, 0x600000, PT_R | PT_W, 4096);
	expect_unmapped(&pt, 0x1fe000);
	expect_unmapped(&pt, 0x601000);
	assert_int_equal(raw_x86(&pt, 0x200000, 2), 0x200000ull | P | RW | PS | XD);
	assert_int_equal(raw_x86(&pt, 0x1ff000, 1), 0x1ff000ull | P | RW | XD);

	/* 1G in the middle of a larger, oddly aligned range. */
	assert_int_equal(pt_map(&pt, GiB - 0x3000, GiB - 0x3000,
				GiB + 2 * MiB + 0x5000, PT_R), 0);
	expect_map(&pt, GiB - 0x3000, GiB - 0x3000, PT_R, 4096);
	expect_map(&pt, GiB, GiB, PT_R, GiB);
	expect_map(&pt, 2 * GiB, 2 * GiB, PT_R, 2 * MiB);
	expect_map(&pt, 2 * GiB + 2 * MiB, 2 * GiB + 2 * MiB, PT_R, 4096);
	expect_map(&pt, 2 * GiB + 2 * MiB + 0x1000, 2 * GiB + 2 * MiB + 0x1000,
		   PT_R, 4096);
	expect_unmapped(&pt, 2 * GiB + 2 * MiB + 0x2000);

	/* va and pa aligned differently: 4K pages throughout. */
	assert_int_equal(pt_map(&pt, 8 * GiB, 8 * GiB + 0x1000, 4 * MiB,
				PT_R), 0);
	for (va = 8 * GiB; va < 8 * GiB + 4 * MiB; va += 0x7f000)
		expect_map(&pt, va, va + 0x1000, PT_R, 4096);
	pt_destroy(&pt);
}

static void test_remap_4k_inside_1g(void **state)
{
	struct pagetable pt;
	u64 *pt4k, i;

	new_x86(&pt, ALL_SIZES);
	assert_int_equal(pt_map(&pt, 0, 0, 4 * GiB, PT_R | PT_W), 0);
	assert_int_equal(fenv.live, 2);
	for (i = 0; i < 4; i++)
		assert_int_equal(raw_x86(&pt, i * GiB, 3),
				 i * GiB | P | RW | PS | XD);

	/* Tighten one page to RX: 1G -> 2M -> 4K. */
	assert_int_equal(pt_map(&pt, 0x40123000, 0x40123000, 4096,
				PT_R | PT_X), 0);
	assert_int_equal(fenv.live, 4);
	assert_int_equal(raw_x86(&pt, 0x40123000, 1), 0x40123000ull | P);
	expect_map(&pt, 0x40123000, 0x40123000, PT_R | PT_X, 4096);

	/* Every other page of the 1G keeps its address and permissions. */
	pt4k = tbl(raw_x86(&pt, 0x40000000, 2));
	for (i = 0; i < 512; i++)
		if (i != 0x123)
			assert_int_equal(pt4k[i],
					 (0x40000000ull + i * 4096) | P | RW | XD);
	for (i = 1; i < 512; i++)
		assert_int_equal(raw_x86(&pt, GiB + i * 2 * MiB, 2),
				 (GiB + i * 2 * MiB) | P | RW | PS | XD);
	expect_map(&pt, 0x40122fff, 0x40122fff, PT_R | PT_W, 4096);
	expect_map(&pt, 0x40124000, 0x40124000, PT_R | PT_W, 4096);
	expect_map(&pt, 0x40200000, 0x40200000, PT_R | PT_W, 2 * MiB);
	expect_map(&pt, 0x7fffffff, 0x7fffffff, PT_R | PT_W, 2 * MiB);
	expect_map(&pt, 0x3fffffff, 0x3fffffff, PT_R | PT_W, GiB);
	expect_map(&pt, 0x80000000, 0x80000000, PT_R | PT_W, GiB);

	/* Remap it elsewhere: same tables, new address. */
	assert_int_equal(pt_map(&pt, 0x40123000, 0x9000, 4096, PT_R), 0);
	assert_int_equal(fenv.live, 4);
	expect_map(&pt, 0x40123000, 0x9000, PT_R, 4096);

	/* Mapping the whole 1G again collapses it and frees PD and PT. */
	assert_int_equal(pt_map(&pt, GiB, GiB, GiB, PT_R | PT_W), 0);
	assert_int_equal(fenv.live, 2);
	assert_int_equal(fenv.frees, 2);
	assert_int_equal(raw_x86(&pt, GiB, 3), GiB | P | RW | PS | XD);
	pt_destroy(&pt);
}

static void test_same_translation_keeps_large(void **state)
{
	struct pagetable pt;

	new_x86(&pt, ALL_SIZES);
	assert_int_equal(pt_map(&pt, 0, 0, GiB, PT_R | PT_W), 0);
	/* Asking again for what a 1G page already gives: no split. */
	assert_int_equal(pt_map(&pt, 0x5000, 0x5000, 0x3000, PT_R | PT_W), 0);
	assert_int_equal(fenv.live, 2);
	expect_map(&pt, 0x5000, 0x5000, PT_R | PT_W, GiB);
	/* Same flags but another address: must split. */
	assert_int_equal(pt_map(&pt, 0x5000, 0x6000, 0x1000, PT_R | PT_W), 0);
	assert_int_equal(fenv.live, 4);
	expect_map(&pt, 0x5000, 0x6000, PT_R | PT_W, 4096);
	expect_map(&pt, 0x6000, 0x6000, PT_R | PT_W, 4096);
	pt_destroy(&pt);
}

static void test_unmap_guard_in_2m(void **state)
{
	struct pagetable pt;
	u64 *pte;
	unsigned i;

	new_x86(&pt, ALL_SIZES);
	assert_int_equal(pt_map(&pt, 0x200000, 0x800000, 2 * MiB,
				PT_R | PT_W), 0);
	assert_int_equal(fenv.live, 3);
	/* Guard page at the bottom of a stack living in the 2M page. */
	assert_int_equal(pt_unmap(&pt, 0x200000, 4096), 0);
	assert_int_equal(fenv.live, 4);
	expect_unmapped(&pt, 0x200000);
	expect_unmapped(&pt, 0x200fff);
	expect_map(&pt, 0x201000, 0x801000, PT_R | PT_W, 4096);
	expect_map(&pt, 0x3ff000, 0x9ff000, PT_R | PT_W, 4096);
	pte = tbl(raw_x86(&pt, 0x200000, 2));
	assert_int_equal(pte[0], 0);
	for (i = 1; i < 512; i++)
		assert_int_equal(pte[i], (0x800000ull + i * 4096) | P | RW | XD);

	/* Holes and already unmapped pages are fine and allocate nothing. */
	assert_int_equal(pt_unmap(&pt, 0x200000, 4096), 0);
	assert_int_equal(pt_unmap(&pt, 0x7f0000000000ull, GiB), 0);
	assert_int_equal(fenv.live, 4);
	assert_int_equal(fenv.allocs, 4);
	pt_destroy(&pt);
}

static void test_unmap_frees_empty_tables(void **state)
{
	struct pagetable pt;

	new_x86(&pt, ALL_SIZES);
	assert_int_equal(pt_map(&pt, 0x1ff000, 0x1ff000, 0x402000, PT_R), 0);
	assert_int_equal(pt_map(&pt, 512 * GiB + 0x1000, 0x1000, 0x1000, PT_R),
			 0);
	assert_int_equal(fenv.live, 8);
	/* Unmap the first range in two halves. */
	assert_int_equal(pt_unmap(&pt, 0x1ff000, 0x301000), 0);
	expect_unmapped(&pt, 0x1ff000);
	expect_unmapped(&pt, 0x4fffff);
	expect_map(&pt, 0x500000, 0x500000, PT_R, 4096);
	/* The head's PT went; the 2M at 0x400000 was split. */
	assert_int_equal(fenv.live, 8);
	assert_int_equal(pt_unmap(&pt, 0x500000, 0x101000), 0);
	/* Everything under PML4[0] is gone again; PML4[1] untouched. */
	assert_int_equal(fenv.live, 4);
	assert_int_equal(tbl(pt.root)[0], 0);
	expect_map(&pt, 512 * GiB + 0x1000, 0x1000, PT_R, 4096);
	assert_int_equal(pt_unmap(&pt, 512 * GiB, 4096 * 2), 0);
	assert_int_equal(fenv.live, 1);
	pt_destroy(&pt);
}

static void test_wx_and_bad_args(void **state)
{
	struct pagetable pt;
	unsigned i;
	const int codes[] = { 0, PT_ENOMEM, PT_EINVAL, PT_EALIGN, PT_ERANGE,
			      PT_EPERM, PT_ENOENT };

	new_x86(&pt, ALL_SIZES);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 4096, PT_R | PT_W | PT_X),
			 PT_EPERM);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 4096, PT_W), PT_EPERM);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 4096, PT_X), PT_EPERM);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 4096, 0), PT_EPERM);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 4096, PT_R | 64),
			 PT_EINVAL);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 0, PT_R), PT_EINVAL);
	assert_int_equal(pt_map(&pt, 0x1001, 0x1000, 4096, PT_R), PT_EALIGN);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1800, 4096, PT_R), PT_EALIGN);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 100, PT_R), PT_EALIGN);
	/* Non-canonical, crossing the hole, wrapping. */
	assert_int_equal(pt_map(&pt, 0x0000800000000000ull, 0, 4096, PT_R),
			 PT_ERANGE);
	assert_int_equal(pt_map(&pt, 0xffff7ffffffff000ull, 0, 4096, PT_R),
			 PT_ERANGE);
	assert_int_equal(pt_map(&pt, 0x00007ffffffff000ull, 0, 0x2000, PT_R),
			 PT_ERANGE);
	assert_int_equal(pt_map(&pt, 0xfffffffffffff000ull, 0, 0x2000, PT_R),
			 PT_ERANGE);
	/* Physical width: 52 bits, or less once lowered to MAXPHYADDR. */
	assert_int_equal(pt_map(&pt, 0x1000, 1ull << 52, 4096, PT_R), PT_ERANGE);
	assert_int_equal(pt_map(&pt, 0x1000, (1ull << 52) - 4096, 0x2000, PT_R),
			 PT_ERANGE);
	assert_int_equal(pt_map(&pt, 0x1000, (1ull << 52) - 4096, 4096, PT_R),
			 0);
	pt.pa_bits = 39;
	assert_int_equal(pt_map(&pt, 0x2000, 1ull << 39, 4096, PT_R), PT_ERANGE);
	assert_int_equal(pt_unmap(&pt, 0x1000, 0x800), PT_EALIGN);
	assert_int_equal(pt_unmap(&pt, 0x1000, 0), PT_EINVAL);
	assert_int_equal(pt_unmap(&pt, 0x0000800000000000ull, 4096), PT_ERANGE);
	assert_int_equal(pt_lookup(&pt, 0x0000800000000000ull, NULL, NULL, NULL),
			 PT_ERANGE);
	/* Only the one good mapping allocated anything. */
	assert_int_equal(fenv.allocs, 4);

	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		assert_non_null(pt_strerror(codes[i]));
		if (i)
			assert_string_not_equal(pt_strerror(codes[i]),
						pt_strerror(codes[i - 1]));
	}
	assert_string_equal(pt_strerror(PT_EPERM),
			    "permissions not allowed or not expressible");
	assert_string_equal(pt_strerror(-99), "unknown page-table error");
	pt_destroy(&pt);
}

/* ---- allocation failure: all or nothing --------------------------------- */

struct snapshot {
	long live;
	void *copy[ENV_PAGES];
};

static void snap_take(struct snapshot *s)
{
	unsigned i;

	s->live = fenv.live;
	for (i = 0; i < ENV_PAGES; i++) {
		s->copy[i] = NULL;
		if (fenv.page[i]) {
			s->copy[i] = malloc(4096);
			memcpy(s->copy[i], fenv.page[i], 4096);
		}
	}
}

static void snap_check_and_free(struct snapshot *s)
{
	unsigned i;

	assert_int_equal(fenv.live, s->live);
	for (i = 0; i < ENV_PAGES; i++) {
		assert_int_equal(!fenv.page[i], !s->copy[i]);
		if (s->copy[i])
			assert_memory_equal(fenv.page[i], s->copy[i], 4096);
		free(s->copy[i]);
	}
}

static void test_enomem_changes_nothing(void **state)
{
	static struct snapshot snap;
	struct pagetable pt;
	long k, need = -1, before;
	int err;

	new_x86(&pt, ALL_SIZES);
	assert_int_equal(pt_map(&pt, 0, 0, 2 * GiB, PT_R | PT_W), 0);
	assert_int_equal(pt_map(&pt, 0x40000000, 0x40000000, 2 * MiB, PT_R), 0);
	assert_int_equal(fenv.live, 3);

	/*
	 * pa = va - 1G, so large pages stay possible. Needs: a split of the
	 * R 2M page at 1G (same flags, other address), and a new PDPT, PD
	 * and PT under PML4[1] for the tail. Fail at every possible point.
	 */
	for (k = 0;; k++) {
		snap_take(&snap);
		before = fenv.allocs - fenv.frees;
		fenv.fail_after = k;
		err = pt_map(&pt, 0x40000000 + 0x5000, 0x5000, 512 * GiB + 0x1000,
			     PT_R);
		fenv.fail_after = -1;
		if (!err) {
			need = k;
			for (unsigned i = 0; i < ENV_PAGES; i++)
				free(snap.copy[i]);
			break;
		}
		assert_int_equal(err, PT_ENOMEM);
		assert_int_equal(fenv.allocs - fenv.frees, before);
		snap_check_and_free(&snap);
		expect_map(&pt, 0x40005000, 0x40005000, PT_R, 2 * MiB);
		expect_map(&pt, 0x40200000, 0x40200000, PT_R | PT_W, 2 * MiB);
		expect_unmapped(&pt, 512 * GiB);
	}
	assert_int_equal(need, 4);
	assert_int_equal(fenv.live, 3 + 4);
	expect_map(&pt, 0x40005000, 0x5000, PT_R, 4096);
	expect_map(&pt, 0x40004000, 0x40004000, PT_R, 4096);
	expect_map(&pt, 0x40200000, 0x200000, PT_R, 2 * MiB);
	expect_map(&pt, 0x80000000, GiB, PT_R, GiB);
	expect_map(&pt, 512 * GiB, 511 * GiB, PT_R, GiB);
	expect_map(&pt, 513 * GiB + 0x5000, 512 * GiB + 0x5000, PT_R, 4096);
	expect_unmapped(&pt, 513 * GiB + 0x6000);

	/* Unmap can need tables too (splits), and fails cleanly as well. */
	snap_take(&snap);
	fenv.fail_after = 0;
	assert_int_equal(pt_unmap(&pt, 0x80000000 + 0x1000, 4096), PT_ENOMEM);
	fenv.fail_after = 1;
	assert_int_equal(pt_unmap(&pt, 0x80000000 + 0x1000, 4096), PT_ENOMEM);
	fenv.fail_after = -1;
	snap_check_and_free(&snap);
	assert_int_equal(pt_unmap(&pt, 0x80000000 + 0x1000, 4096), 0);
	expect_unmapped(&pt, 0x80001000);
	pt_destroy(&pt);
}

static void test_destroy_frees_everything(void **state)
{
	struct pagetable pt;
	u64 i;

	new_x86(&pt, ALL_SIZES);
	for (i = 0; i < 40; i++)
		assert_int_equal(pt_map(&pt, i * 3 * GiB + i * 0x7000,
					i * 0x3000, 5 * MiB + i * 0x1000, PT_R),
				 0);
	assert_int_equal(pt_map(&pt, 0xffffff8000000000ull, 0, 4 * MiB,
				PT_R | PT_W), 0);
	assert_int_equal(pt_unmap(&pt, 0x1000, 0x1000), 0);
	assert_true(fenv.live > 60);
	pt_destroy(&pt);
	assert_int_equal(fenv.live, 0);
	assert_int_equal(fenv.allocs, fenv.frees);
}

static void test_five_levels(void **state)
{
	struct pagetable pt;
	const u64 va = 0xff00000000000000ull;	/* canonical for 57 bits */

	assert_int_equal(pt_create(&pt, &pt_format_x86_64, 5, ALL_SIZES, &env),
			 0);
	assert_int_equal(pt_map(&pt, va, 0x1000, 4096, PT_R), 0);
	assert_int_equal(fenv.live, 5);
	assert_int_equal(raw_x86(&pt, va, 1), 0x1000ull | P | XD);
	expect_map(&pt, va, 0x1000, PT_R, 4096);
	/* 48-bit non-canonical is fine with 57 bits; 57-bit isn't. */
	assert_int_equal(pt_map(&pt, 0x0000800000000000ull, 0, 4096, PT_R), 0);
	assert_int_equal(pt_map(&pt, 0x0100000000000000ull, 0, 4096, PT_R),
			 PT_ERANGE);
	pt_destroy(&pt);
}

static void test_npt_format(void **state)
{
	struct pagetable pt;

	assert_int_equal(pt_create(&pt, &pt_format_npt, 4, ALL_SIZES, &env), 0);
	/* Guest RAM is RWX; every level U/S. */
	assert_int_equal(pt_map(&pt, 0, 0x100000000ull, 2 * MiB,
				PT_R | PT_W | PT_X), 0);
	assert_int_equal(raw(&pt, 0, 2, TBL), 0x100000000ull | P | RW | US | PS);
	expect_map(&pt, 0x1234, 0x100001234ull, PT_R | PT_W | PT_X, 2 * MiB);
	assert_int_equal(pt_map(&pt, 0xfee00000, 0xfee00000, 4096,
				PT_R | PT_W | PT_UC), 0);
	assert_int_equal(raw(&pt, 0xfee00000, 1, TBL),
			 0xfee00000ull | P | RW | US | PWT | PCD | XD);
	/* Guest-physical: no canonical form, but 48 bits at 4 levels. */
	assert_int_equal(pt_map(&pt, 0x0000800000000000ull, 0, 4096, PT_R), 0);
	assert_int_equal(pt_map(&pt, 1ull << 48, 0, 4096, PT_R), PT_ERANGE);
	assert_int_equal(pt_map(&pt, 0, 0, 4096, PT_R | PT_GLOBAL), PT_EINVAL);
	pt_destroy(&pt);
}

/* SDM Vol. 3C 29.3.2: R=bit 0, W=1, X=2, memory type 5:3, large page 7. */
#define EPT_RWX 0x7ull
#define EPT_WB	(6ull << 3)
#define EPT_PS	0x80ull

static void test_ept_format(void **state)
{
	struct pagetable pt;

	assert_int_equal(pt_create(&pt, &pt_format_ept, 4, ALL_SIZES, &env), 0);
	assert_int_equal(pt_map(&pt, 0x1000, 0x7000, 4096, PT_R | PT_W | PT_X),
			 0);
	assert_int_equal(raw(&pt, 0x1000, 1, EPT_RWX),
			 0x7000ull | EPT_RWX | EPT_WB);
	assert_int_equal(raw(&pt, 0x1000, 1, EPT_RWX), 0x7037ull);
	expect_map(&pt, 0x1000, 0x7000, PT_R | PT_W | PT_X, 4096);

	assert_int_equal(pt_map(&pt, 0x200000, 0x200000, 2 * MiB, PT_R), 0);
	assert_int_equal(raw(&pt, 0x200000, 2, EPT_RWX),
			 0x200000ull | 0x1 | EPT_WB | EPT_PS);
	assert_int_equal(pt_map(&pt, GiB, 3 * GiB, GiB, PT_R | PT_W | PT_UC),
			 0);
	assert_int_equal(raw(&pt, GiB, 3, EPT_RWX), 3 * GiB | 0x3 | EPT_PS);
	expect_map(&pt, GiB + 5, 3 * GiB + 5, PT_R | PT_W | PT_UC, GiB);
	/* Execute-only is expressible (with the CPU capability). */
	assert_int_equal(pt_map(&pt, 0x3000, 0x3000, 4096, PT_X), 0);
	assert_int_equal(raw(&pt, 0x3000, 1, EPT_RWX), 0x3000ull | 0x4 | EPT_WB);

	/* Split of a 1G EPT page keeps memory type and permissions. */
	assert_int_equal(pt_unmap(&pt, GiB + 2 * MiB, 4096), 0);
	assert_int_equal(raw(&pt, GiB + 2 * MiB + 4096, 1, EPT_RWX),
			 (3 * GiB + 2 * MiB + 4096) | 0x3);
	assert_int_equal(raw(&pt, GiB, 2, EPT_RWX), 3 * GiB | 0x3 | EPT_PS);
	expect_unmapped(&pt, GiB + 2 * MiB);

	assert_int_equal(pt_map(&pt, 0, 0, 4096, PT_W), PT_EPERM);
	assert_int_equal(pt_map(&pt, 0, 0, 4096, PT_W | PT_X), PT_EPERM);
	assert_int_equal(pt_map(&pt, 0, 0, 4096, PT_UC), PT_EPERM);
	assert_int_equal(pt_map(&pt, 0, 0, 4096, PT_R | PT_USER), PT_EINVAL);
	assert_int_equal(pt_map(&pt, 1ull << 48, 0, 4096, PT_R), PT_ERANGE);
	pt_destroy(&pt);
}

/*
 * VT-d second-level format (VT-d spec 9.8): R bit 0, W bit 1, PS bit 7,
 * non-leaf entries R|W, 3 to 5 levels; spelled out independently here.
 */
#define SL_R	0x1ull
#define SL_W	0x2ull
#define SL_PS	0x80ull
#define SL_TBL	(SL_R | SL_W)

static long flushes;
static u64 flushed_bytes;

static void count_flush(void *ctx, const void *va, u64 len)
{
	flushes++;
	flushed_bytes += len;
}

static const struct pt_env env_flush = {
	.alloc_table = fake_alloc,
	.free_table = fake_free,
	.phys_to_virt = fake_virt,
	.ctx = &fenv,
	.flush = count_flush,
};

static void test_vtd_sl_3level(void **state)
{
	struct pagetable pt;

	/* 3 levels: 39-bit input, AW = 1 in the context entry. */
	assert_int_equal(pt_create(&pt, &pt_format_vtd_sl, 2, ALL_SIZES, &env),
			 PT_EINVAL);
	assert_int_equal(pt_create(&pt, &pt_format_vtd_sl, 3, ALL_SIZES, &env),
			 0);
	assert_int_equal(pt_map(&pt, 0x100000, 0x51000, 4096, PT_R), 0);
	assert_int_equal(raw(&pt, 0x100000, 1, SL_TBL), 0x51000ull | SL_R);
	assert_int_equal(pt_map(&pt, 0x101000, 0x52000, 4096, PT_W), 0);
	assert_int_equal(raw(&pt, 0x101000, 1, SL_TBL), 0x52000ull | SL_W);
	expect_map(&pt, 0x101000, 0x52000, PT_W, 4096);
	/* 1 GiB page at level 3, 2 MiB at level 2, PS set. */
	assert_int_equal(pt_map(&pt, GiB, 5 * GiB, GiB, PT_R | PT_W), 0);
	assert_int_equal(raw(&pt, GiB, 3, SL_TBL), 5 * GiB | SL_TBL | SL_PS);
	assert_int_equal(pt_map(&pt, 4 * MiB, 8 * MiB, 2 * MiB, PT_R), 0);
	assert_int_equal(raw(&pt, 4 * MiB, 2, SL_TBL), 8 * MiB | SL_R | SL_PS);
	/* Beyond 39 bits is not translatable with 3 levels. */
	assert_int_equal(pt_map(&pt, 1ull << 39, 0, 4096, PT_R), PT_ERANGE);
	assert_int_equal(pt_map(&pt, (1ull << 39) - 4096, 0, 4096, PT_R), 0);
	/* No R and no W would read as not present. */
	assert_int_equal(pt_map(&pt, 0, 0, 4096, PT_X), PT_EPERM);
	assert_int_equal(pt_map(&pt, 0, 0, 4096, PT_R | PT_USER), PT_EINVAL);
	/* X and UC are accepted and not encoded. */
	assert_int_equal(pt_map(&pt, 0x200000 * 9, 0x1000, 4096,
				PT_R | PT_X | PT_UC), 0);
	assert_int_equal(raw(&pt, 0x200000 * 9, 1, SL_TBL), 0x1000ull | SL_R);
	pt_destroy(&pt);
}

static void test_vtd_sl_4level_no_large(void **state)
{
	struct pagetable pt;

	/* A unit without SLLPS: only 4K leaves, even for aligned ranges. */
	assert_int_equal(pt_create(&pt, &pt_format_vtd_sl, 4, PT_4K, &env), 0);
	assert_int_equal(pt_map(&pt, 0, 0, 4 * MiB, PT_R | PT_W), 0);
	assert_int_equal(raw(&pt, 2 * MiB + 4096, 1, SL_TBL),
			 (2 * MiB + 4096) | SL_TBL);
	expect_map(&pt, 3 * MiB, 3 * MiB, PT_R | PT_W, 4096);
	assert_int_equal(pt_map(&pt, 1ull << 47, 0, 4096, PT_R), 0);
	assert_int_equal(pt_map(&pt, 1ull << 48, 0, 4096, PT_R), PT_ERANGE);
	/* Split of a 2M VT-d page keeps R/W: only with large pages. */
	pt_destroy(&pt);
	assert_int_equal(pt_create(&pt, &pt_format_vtd_sl, 4, PT_4K | PT_2M,
				   &env), 0);
	assert_int_equal(pt_map(&pt, 2 * MiB, 6 * MiB, 2 * MiB, PT_R | PT_W), 0);
	assert_int_equal(raw(&pt, 2 * MiB, 2, SL_TBL), 6 * MiB | SL_TBL | SL_PS);
	assert_int_equal(pt_unmap(&pt, 2 * MiB + 4096, 4096), 0);
	assert_int_equal(raw(&pt, 2 * MiB + 8192, 1, SL_TBL),
			 (6 * MiB + 8192) | SL_TBL);
	expect_unmapped(&pt, 2 * MiB + 4096);
	pt_destroy(&pt);
}

static void test_vtd_sl_flush_hook(void **state)
{
	struct pagetable pt;
	long before;

	flushes = 0;
	flushed_bytes = 0;
	assert_int_equal(pt_create(&pt, &pt_format_vtd_sl, 4, ALL_SIZES,
				   &env_flush), 0);
	/* 3 new tables linked + 1 leaf: every written entry is flushed. */
	assert_int_equal(pt_map(&pt, 0x100000, 0x51000, 4096, PT_R), 0);
	assert_true(flushes >= 4);
	before = flushes;
	/* Splitting a 2M leaf flushes the whole new table (4 KiB). */
	assert_int_equal(pt_map(&pt, 4 * MiB, 4 * MiB, 2 * MiB, PT_R), 0);
	flushed_bytes = 0;
	assert_int_equal(pt_unmap(&pt, 4 * MiB, 4096), 0);
	assert_true(flushes > before);
	assert_true(flushed_bytes >= 4096);
	pt_destroy(&pt);
}

/* ---- randomized comparison against a page-granular model ---------------- */

#define RND_SPACE (4 * GiB)
#define RND_PAGES (RND_SPACE / 4096)
#define RND_OPS 3000

static u64 rng = 0x9e3779b97f4a7c15ull;

static u64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

struct pmodel {
	u64 pa[RND_PAGES];	/* ~0: unmapped */
	u8 flags[RND_PAGES];
};

static void model_check_page(const struct pmodel *m,
			     const struct pagetable *pt, u64 page)
{
	u64 pa, size;
	u32 flags;
	int err = pt_lookup(pt, page * 4096 + 0x10, &pa, &flags, &size);

	if (m->pa[page] == ~0ull) {
		assert_int_equal(err, PT_ENOENT);
		return;
	}
	assert_int_equal(err, 0);
	assert_int_equal(pa, m->pa[page] + 0x10);
	assert_int_equal(flags, m->flags[page]);
	/* A page of that size must really be uniform in the model. */
	assert_true(size == 4096 || size == 2 * MiB || size == GiB);
}

static void model_check_all(const struct pmodel *m, const struct pagetable *pt)
{
	u64 p;

	for (p = 0; p < RND_PAGES; p++)
		model_check_page(m, pt, p);
}

static void rnd_range(u64 *va, u64 *size)
{
	switch (rnd() % 4) {
	case 0:		/* a few 4K pages */
		*va = rnd() % RND_PAGES * 4096;
		*size = (1 + rnd() % 8) * 4096;
		break;
	case 1:		/* around 2M, unaligned */
		*va = rnd() % RND_PAGES * 4096;
		*size = (1 + rnd() % 1500) * 4096;
		break;
	case 2:		/* whole 2M pages */
		*va = rnd() % (RND_SPACE / (2 * MiB)) * 2 * MiB;
		*size = (1 + rnd() % 4) * 2 * MiB;
		break;
	default:	/* 1G */
		*va = rnd() % 4 * GiB;
		*size = GiB;
		break;
	}
	if (*va + *size > RND_SPACE)
		*size = RND_SPACE - *va;
}

static void test_random_vs_model(void **state)
{
	static const u32 flag_set[] = {
		PT_R, PT_R | PT_W, PT_R | PT_X, PT_R | PT_W | PT_UC,
		PT_R | PT_USER, PT_R | PT_W | PT_GLOBAL,
	};
	static struct pmodel m;
	struct pagetable pt;
	u64 op, va, size, pa, p, n_enomem = 0, n_ok = 0;
	u32 flags;
	int err, fail;

	memset(m.pa, 0xff, sizeof(m.pa));
	new_x86(&pt, ALL_SIZES);
	for (op = 0; op < RND_OPS; op++) {
		rnd_range(&va, &size);
		fail = rnd() % 8 == 0;
		fenv.fail_after = fail ? (long)(rnd() % 3) : -1;
		if (rnd() % 3) {
			/* pa: identity, or shifted by 4K/2M/1G multiples */
			static const u64 shift[] = { 0, 4096, 2 * MiB, GiB };

			pa = va + shift[rnd() % 4] * (rnd() % 5);
			flags = flag_set[rnd() % ARRAY_SIZE(flag_set)];
			err = pt_map(&pt, va, pa, size, flags);
			if (!err)
				for (p = va / 4096; p < (va + size) / 4096; p++) {
					m.pa[p] = pa + (p * 4096 - va);
					m.flags[p] = flags;
				}
		} else {
			err = pt_unmap(&pt, va, size);
			if (!err)
				for (p = va / 4096; p < (va + size) / 4096; p++)
					m.pa[p] = ~0ull;
		}
		fenv.fail_after = -1;
		if (err) {
			assert_true(fail);
			assert_int_equal(err, PT_ENOMEM);
			n_enomem++;
		} else {
			n_ok++;
		}
		/* Edges of the range and random samples. */
		model_check_page(&m, &pt, va / 4096);
		model_check_page(&m, &pt, (va + size) / 4096 - 1);
		if (va)
			model_check_page(&m, &pt, va / 4096 - 1);
		if (va + size < RND_SPACE)
			model_check_page(&m, &pt, (va + size) / 4096);
		for (p = 0; p < 32; p++)
			model_check_page(&m, &pt, rnd() % RND_PAGES);
		if (op % 1000 == 999)
			model_check_all(&m, &pt);
	}
	model_check_all(&m, &pt);
	assert_true(n_enomem > 50);
	assert_true(n_ok > 2000);

	/* Unmapping everything leaves only the root: nothing leaked. */
	assert_int_equal(pt_unmap(&pt, 0, RND_SPACE), 0);
	assert_int_equal(fenv.live, 1);
	pt_destroy(&pt);
}

#define T(f) cmocka_unit_test_setup_teardown(f, env_setup, env_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_create_destroy),
		T(test_map_4k_raw),
		T(test_map_2m_raw),
		T(test_map_1g_upper_half_raw),
		T(test_attribute_bits),
		T(test_mixed_alignment),
		T(test_remap_4k_inside_1g),
		T(test_same_translation_keeps_large),
		T(test_unmap_guard_in_2m),
		T(test_unmap_frees_empty_tables),
		T(test_wx_and_bad_args),
		T(test_enomem_changes_nothing),
		T(test_destroy_frees_everything),
		T(test_five_levels),
		T(test_npt_format),
		T(test_ept_format),
		T(test_vtd_sl_3level),
		T(test_vtd_sl_4level_no_large),
		T(test_vtd_sl_flush_hook),
		T(test_random_vs_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
