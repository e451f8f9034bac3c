// SPDX-License-Identifier: MIT
/*
 * Host tests for vmm/guest_mem.c: allocation in 2 MiB runs with fallback
 * to small pieces, the range list, copies across ranges, the walker the
 * IOMMU uses, and NPT/EPT built from the map (checked with pt_lookup and
 * the raw leaf bits).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vmm/guest_mem.h"

#define MiB (1ull << 20)

/* ---- a fake physical memory: 64 MiB arena at a fake address ------------ */
#define ARENA_BASE 0x40000000ull
#define ARENA_SIZE (64 * MiB)

static u8 *arena;
static u64 bump;
static u64 max_run;		/* refuse runs longer than this (fragmentation) */
static int allocs_left;		/* fail after this many (-1: never) */
static u64 pages_out;

static u64 fake_alloc(void *ctx, u64 npages, u64 align)
{
	u64 pa = ALIGN_UP(ARENA_BASE + bump, align);

	if (allocs_left == 0 || npages * PAGE_SIZE > max_run)
		return 0;
	if (pa + npages * PAGE_SIZE > ARENA_BASE + ARENA_SIZE)
		return 0;
	if (allocs_left > 0)
		allocs_left--;
	/* leave a 4 KiB hole after every run so runs never merge by accident */
	bump = pa + npages * PAGE_SIZE - ARENA_BASE + PAGE_SIZE;
	memset(arena + (pa - ARENA_BASE), 0, npages * PAGE_SIZE);
	pages_out += npages;
	return pa;
}

static void fake_free(void *ctx, u64 pa, u64 npages)
{
	assert_true(pa >= ARENA_BASE && pa + npages * PAGE_SIZE <= ARENA_BASE + ARENA_SIZE);
	assert_true(pages_out >= npages);
	pages_out -= npages;
}

static void *fake_p2v(void *ctx, u64 pa)
{
	assert_true(pa >= ARENA_BASE && pa < ARENA_BASE + ARENA_SIZE);
	return arena + (pa - ARENA_BASE);
}

static const struct gm_ops ops = { fake_alloc, fake_free, fake_p2v, NULL };

/* ---- page-table env: malloc'd tables behind fake addresses -------------- */
#define PT_BASE 0x900000000ull
static void *tables[1024];
static unsigned ntables;

static u64 pt_alloc(void *ctx)
{
	if (ntables == 1024)
		return 0;
	tables[ntables] = calloc(1, 4096);
	return PT_BASE + 4096ull * ntables++;
}

static void pt_free(void *ctx, u64 pa)
{
	unsigned i = (pa - PT_BASE) / 4096;

	free(tables[i]);
	tables[i] = NULL;
}

static void *pt_p2v(void *ctx, u64 pa)
{
	return tables[(pa - PT_BASE) / 4096];
}

static const struct pt_env env = {
	.alloc_table = pt_alloc,
	.free_table = pt_free,
	.phys_to_virt = pt_p2v,
};

static int setup(void **state)
{
	arena = calloc(1, ARENA_SIZE);
	bump = 0;
	max_run = ~0ull;
	allocs_left = -1;
	pages_out = 0;
	ntables = 0;
	return arena ? 0 : -1;
}

static int teardown(void **state)
{
	for (unsigned i = 0; i < ntables; i++)
		free(tables[i]);
	free(arena);
	return 0;
}

static void test_one_run(void **state)
{
	struct guest_mem gm;

	assert_int_equal(guest_mem_alloc(&gm, 16 * MiB, &ops), 0);
	assert_int_equal(gm.nranges, 1);
	assert_int_equal(gm.large_runs, 1);
	assert_true(IS_ALIGNED(gm.range[0].hpa, SZ_2M));
	assert_int_equal(gm.range[0].gpa, 0);
	assert_int_equal(gm.range[0].size, 16 * MiB);
	assert_int_equal(pages_out, 4096);
	guest_mem_free(&gm);
	assert_int_equal(pages_out, 0);
}

static void test_fragmented(void **state)
{
	struct guest_mem gm;
	u64 total = 0;

	max_run = SZ_2M;	/* only 2 MiB pieces available */
	assert_int_equal(guest_mem_alloc(&gm, 9 * MiB, &ops), 0);
	assert_int_equal(gm.nranges, 5);	/* 4 x 2 MiB + 1 MiB */
	for (u32 i = 0; i < gm.nranges; i++) {
		assert_int_equal(gm.range[i].gpa, total);
		total += gm.range[i].size;
	}
	assert_int_equal(total, 9 * MiB);
	assert_true(IS_ALIGNED(gm.range[1].hpa, SZ_2M));
	guest_mem_free(&gm);
	assert_int_equal(pages_out, 0);
}

static void test_failure_unwinds(void **state)
{
	struct guest_mem gm;

	max_run = SZ_2M;
	allocs_left = 3;
	assert_int_equal(guest_mem_alloc(&gm, 16 * MiB, &ops), -1);
	assert_int_equal(pages_out, 0);
	assert_int_equal(guest_mem_alloc(&gm, 12345, &ops), -1); /* unaligned */
	assert_int_equal(guest_mem_alloc(&gm, 0, &ops), -1);
}

static void test_copies(void **state)
{
	struct guest_mem gm;
	u8 buf[64], back[64];
	u64 avail;

	max_run = SZ_2M;
	assert_int_equal(guest_mem_alloc(&gm, 4 * MiB, &ops), 0);
	assert_int_equal(gm.nranges, 2);
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i + 1);
	/* straddles the two ranges */
	assert_int_equal(guest_mem_write(&gm, SZ_2M - 32, buf, 64), 0);
	assert_int_equal(guest_mem_read(&gm, SZ_2M - 32, back, 64), 0);
	assert_memory_equal(buf, back, 64);
	assert_non_null(guest_mem_ptr(&gm, SZ_2M - 32, 64, &avail));
	assert_int_equal(avail, 32);
	assert_int_equal(*(u8 *)fake_p2v(NULL, gm.range[1].hpa), 33);
	/* out of range */
	assert_int_equal(guest_mem_write(&gm, 4 * MiB - 8, buf, 16), -1);
	assert_int_equal(guest_mem_read(&gm, ~0ull - 4, back, 16), -1);
	assert_null(guest_mem_ptr(&gm, 4 * MiB, 1, NULL));
	assert_false(guest_mem_contains(&gm, 4 * MiB, 1));
	assert_true(guest_mem_contains(&gm, 4 * MiB - 1, 1));
	guest_mem_free(&gm);
}

static int count_range(void *ctx, u64 gpa, u64 hpa, u64 size)
{
	u64 *sum = ctx;

	*sum += size;
	return 0;
}

static void check_nested(const struct pt_format *fmt, u64 rwx_bits)
{
	struct guest_mem gm;
	struct pagetable pt;
	u64 pa, psize, sum = 0;
	u32 flags;

	max_run = 4 * MiB;
	assert_int_equal(guest_mem_alloc(&gm, 10 * MiB + 8192, &ops), 0);
	assert_int_equal(guest_mem_walk(&gm, count_range, &sum), 0);
	assert_int_equal(sum, 10 * MiB + 8192);
	assert_int_equal(pt_create(&pt, fmt, 4, PT_4K | PT_2M, &env), 0);
	assert_int_equal(guest_mem_map_into(&gm, &pt), 0);
	for (u32 i = 0; i < gm.nranges; i++) {
		const struct gm_range *r = &gm.range[i];

		assert_int_equal(pt_lookup(&pt, r->gpa, &pa, &flags, &psize), 0);
		assert_int_equal(pa, r->hpa);
		assert_true((flags & (PT_R | PT_W | PT_X)) == (PT_R | PT_W | PT_X));
		assert_int_equal(pt_lookup(&pt, r->gpa + r->size - 1, &pa, NULL, NULL), 0);
		assert_int_equal(pa, r->hpa + r->size - 1);
		/* 2 MiB-aligned runs get 2 MiB pages */
		if (IS_ALIGNED(r->hpa, SZ_2M) && r->size >= SZ_2M)
			assert_int_equal(psize, SZ_2M);
	}
	/* nothing beyond guest RAM: no hypervisor or other guest's page */
	assert_int_equal(pt_lookup(&pt, 10 * MiB + 8192, NULL, NULL, NULL), PT_ENOENT);
	assert_int_equal(pt_lookup(&pt, 1ull << 32, NULL, NULL, NULL), PT_ENOENT);
	/* raw leaf: the format's RWX bits are present */
	{
		u64 *pml4 = pt_p2v(NULL, pt.root);
		u64 *pdpt = pt_p2v(NULL, pml4[0] & 0xffffffffff000ull);
		u64 *pd = pt_p2v(NULL, pdpt[0] & 0xffffffffff000ull);

		assert_true((pd[0] & rwx_bits) == rwx_bits);
	}
	pt_destroy(&pt);
	guest_mem_free(&gm);
}

static void test_npt(void **state)
{
	check_nested(&pt_format_npt, 0x7);	/* P, RW, US (APM 15.25.5) */
}

static void test_ept(void **state)
{
	check_nested(&pt_format_ept, 0x7);	/* R, W, X (SDM 29.3.2) */
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_one_run), T(test_fragmented), T(test_failure_unwinds),
		T(test_copies), T(test_npt), T(test_ept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
