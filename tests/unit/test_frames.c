// SPDX-License-Identifier: MIT
/* Host tests for kernel/frames.c, the bitmap physical frame allocator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/frames.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

struct fixture {
	struct frame_pool pool;
	u64 *bitmap;
};

static struct frame_pool *pool_new(struct fixture *fx, u64 max_pa)
{
	u64 bytes = frames_bitmap_bytes(max_pa);

	fx->bitmap = malloc(bytes ? bytes : 8);
	assert_non_null(fx->bitmap);
	frames_init(&fx->pool, fx->bitmap, max_pa);
	return &fx->pool;
}

static void pool_del(struct fixture *fx)
{
	free(fx->bitmap);
}

static void test_bitmap_bytes(void **state)
{
	assert_int_equal(frames_bitmap_bytes(0), 0);
	assert_int_equal(frames_bitmap_bytes(4095), 0);
	assert_int_equal(frames_bitmap_bytes(4096), 8);
	assert_int_equal(frames_bitmap_bytes(64 * 4096), 8);
	assert_int_equal(frames_bitmap_bytes(64 * 4096 + 4095), 8);
	assert_int_equal(frames_bitmap_bytes(65 * 4096), 16);
	assert_int_equal(frames_bitmap_bytes(4 * GiB), 4 * GiB / 4096 / 8);
}

static void test_init_all_used(void **state)
{
	struct fixture fx;
	struct frame_pool *p = pool_new(&fx, 100 * 4096 + 123);

	assert_int_equal(p->nframes, 100);
	assert_int_equal(frames_free_count(p), 0);
	assert_true(frames_is_used(p, 0));
	assert_true(frames_is_used(p, 99 * 4096));
	assert_true(frames_is_used(p, 100 * 4096));	/* outside */
	assert_int_equal(frames_alloc(p, 1, 0, 0), 0);
	assert_int_equal(frames_alloc(p, 2, 4096, 0), 0);
	pool_del(&fx);
}

static void test_release_unaligned(void **state)
{
	struct fixture fx;
	struct frame_pool *p = pool_new(&fx, 100 * 4096);

	/* [0x1800, 0x4800) shrinks inward to frames 2 and 3. */
	frames_release(p, 0x1800, 0x3000);
	assert_int_equal(frames_free_count(p), 2);
	assert_true(frames_is_used(p, 0x1000));
	assert_false(frames_is_used(p, 0x2000));
	assert_false(frames_is_used(p, 0x3fff));
	assert_true(frames_is_used(p, 0x4000));

	/* Less than a whole frame: nothing. */
	frames_release(p, 0x5001, 0x1ffe);	/* ends at 0x6fff */
	frames_release(p, 0x7000, 0xfff);
	frames_release(p, 0x9000, 0);
	assert_int_equal(frames_free_count(p), 2);

	/* Overlapping an already free part counts each frame once. */
	frames_release(p, 0x3000, 0x2000);
	assert_int_equal(frames_free_count(p), 3);

	/* Frame 0 is never released. */
	frames_release(p, 0, 0x2000);
	assert_int_equal(frames_free_count(p), 4);
	assert_true(frames_is_used(p, 0));

	/* Clipped to max_pa, even when base + size wraps. */
	frames_release(p, 98 * 4096, 10 * 4096);
	assert_int_equal(frames_free_count(p), 6);
	frames_release(p, 97 * 4096, ~0ull);
	assert_int_equal(frames_free_count(p), 7);
	frames_release(p, 200 * 4096, 4096);
	assert_int_equal(frames_free_count(p), 7);
	pool_del(&fx);
}

static void test_reserve_outward(void **state)
{
	struct fixture fx;
	struct frame_pool *p = pool_new(&fx, 100 * 4096);

	frames_release(p, 0, 100 * 4096);
	assert_int_equal(frames_free_count(p), 99);

	/* [0x1800, 0x2800) grows outward to frames 1 and 2. */
	frames_reserve(p, 0x1800, 0x1000);
	assert_int_equal(frames_free_count(p), 97);
	assert_true(frames_is_used(p, 0x1000));
	assert_true(frames_is_used(p, 0x2000));
	assert_false(frames_is_used(p, 0x3000));

	/* One byte reserves a frame; reserving it again changes nothing. */
	frames_reserve(p, 0x5fff, 1);
	assert_int_equal(frames_free_count(p), 96);
	frames_reserve(p, 0x5000, 0x1000);
	assert_int_equal(frames_free_count(p), 96);
	frames_reserve(p, 0x6000, 0);
	assert_int_equal(frames_free_count(p), 96);

	/* Past the end is clipped, wrapping sizes saturate. */
	frames_reserve(p, 95 * 4096, ~0ull);
	assert_int_equal(frames_free_count(p), 91);
	frames_reserve(p, 1000 * 4096, 4096);
	assert_int_equal(frames_free_count(p), 91);
	pool_del(&fx);
}

static void test_alloc_2m_aligned(void **state)
{
	struct fixture fx;
	struct frame_pool *p = pool_new(&fx, 64 * MiB);
	u64 got[32], pa, i;
	int n = 0;

	frames_release(p, 0, 64 * MiB);
	/* Scatter a few used frames: their 2M chunks can't be handed out. */
	frames_reserve(p, 0x601000, 4096);
	frames_reserve(p, 0x9ff000, 4096);

	while ((pa = frames_alloc(p, 512, SZ_2M, 0)) != 0) {
		assert_true(n < 32);
		assert_true(IS_ALIGNED(pa, SZ_2M));
		for (i = 0; i < 512; i++)
			assert_true(frames_is_used(p, pa + i * 4096));
		got[n++] = pa;
	}
	/* 32 chunks minus chunk 0 (frame 0), chunk 3 and chunk 4. */
	assert_int_equal(n, 29);
	assert_int_equal(got[0], 0x200000);
	assert_int_equal(got[1], 0x400000);
	assert_int_equal(got[2], 0xa00000);
	assert_int_equal(got[28], 64 * MiB - SZ_2M);
	assert_int_equal(frames_free_count(p), 16383 - 2 - 29 * 512);

	/* 4K-aligned runs still fit in the holes of the skipped chunks. */
	pa = frames_alloc(p, 4, 16384, 0);
	assert_int_equal(pa, 0x4000);
	pool_del(&fx);
}

static void test_alloc_limits(void **state)
{
	struct fixture fx;
	struct frame_pool *p = pool_new(&fx, 8 * GiB);
	u64 pa, n = 0;

	/* Like a PC: low memory up to 640K, then RAM from 1 MiB. */
	frames_release(p, 0, 0xa0000);
	frames_release(p, MiB, 8 * GiB - MiB);

	while ((pa = frames_alloc(p, 1, 4096, MiB)) != 0) {
		assert_true(pa + 4096 <= 0xa0000);
		n++;
	}
	assert_int_equal(n, 0x9f);

	/* Below 4 GiB with a run ending exactly at the limit. */
	frames_reserve(p, MiB, 4 * GiB - MiB);
	frames_free(p, 4 * GiB - 0x10000, 16);
	assert_int_equal(frames_alloc(p, 17, 4096, 4 * GiB), 0);
	pa = frames_alloc(p, 16, 4096, 4 * GiB);
	assert_int_equal(pa, 4 * GiB - 0x10000);
	assert_int_equal(frames_alloc(p, 1, 4096, 4 * GiB), 0);
	/* Without the limit the next frame is above 4 GiB. */
	pa = frames_alloc(p, 1, 4096, 0);
	assert_int_equal(pa, 4 * GiB);
	/* A limit that is not page aligned rounds down. */
	frames_free(p, 4 * GiB, 1);
	assert_int_equal(frames_alloc(p, 1, 4096, 4 * GiB + 4095), 0);
	assert_int_equal(frames_alloc(p, 1, 4096, 4 * GiB + 4096), 4 * GiB);
	pool_del(&fx);
}

static void test_exhaustion(void **state)
{
	struct fixture fx;
	struct frame_pool *p = pool_new(&fx, MiB);
	static u64 got[256];
	u64 i, j;

	frames_release(p, 0, MiB);
	assert_int_equal(frames_free_count(p), 255);
	for (i = 0; i < 255; i++) {
		got[i] = frames_alloc(p, 1, 0, 0);
		assert_int_not_equal(got[i], 0);
		assert_true(got[i] < MiB);
		for (j = 0; j < i; j++)
			assert_int_not_equal(got[i], got[j]);
	}
	assert_int_equal(frames_free_count(p), 0);
	assert_int_equal(frames_alloc(p, 1, 0, 0), 0);
	assert_int_equal(frames_alloc(p, 2, 0, 0), 0);

	/* One freed frame in the middle is found again by next fit. */
	assert_int_equal(frames_free(p, got[100], 1), 0);
	assert_int_equal(frames_alloc(p, 1, 0, 0), got[100]);
	assert_int_equal(frames_alloc(p, 1, 0, 0), 0);
	pool_del(&fx);
}

/* Single frames come next-fit: a freed low frame is reused only on wrap. */
static void test_next_fit(void **state)
{
	struct fixture fx;
	struct frame_pool *p = pool_new(&fx, MiB);
	u64 i, pa;

	frames_release(p, 0, MiB);
	for (i = 1; i <= 100; i++)
		assert_int_equal(frames_alloc(p, 1, 0, 0), i * 4096);
	assert_int_equal(frames_free(p, 5 * 4096, 1), 0);
	assert_int_equal(frames_alloc(p, 1, 0, 0), 101 * 4096);
	/* Runs are lowest-fit and don't move the hint. */
	assert_int_equal(frames_free(p, 6 * 4096, 1), 0);
	assert_int_equal(frames_alloc(p, 2, 0, 0), 5 * 4096);
	assert_int_equal(frames_free(p, 5 * 4096, 1), 0);
	assert_int_equal(frames_alloc(p, 1, 0, 0), 102 * 4096);
	for (i = 103; i < 256; i++)
		assert_int_equal(frames_alloc(p, 1, 0, 0), i * 4096);
	/* Wrapped. */
	assert_int_equal(frames_alloc(p, 1, 0, 0), 5 * 4096);
	assert_int_equal(frames_alloc(p, 1, 0, 0), 0);
	/* A limit below the hint restarts the search from the bottom. */
	assert_int_equal(frames_free(p, 7 * 4096, 1), 0);
	pa = frames_alloc(p, 1, 0, 64 * 4096);
	assert_int_equal(pa, 7 * 4096);
	pool_del(&fx);
}

static void test_bad_args(void **state)
{
	struct fixture fx;
	struct frame_pool *p = pool_new(&fx, MiB);

	frames_release(p, 0, MiB);
	assert_int_equal(frames_alloc(p, 0, 0, 0), 0);
	assert_int_equal(frames_alloc(p, 1, 3 * 4096, 0), 0);
	assert_int_equal(frames_alloc(p, 256, 0, 0), 0);	/* > free */
	assert_int_equal(frames_alloc(p, 1, 0, 4095), 0);	/* limit < 1 page */
	assert_int_equal(frames_free_count(p), 255);
	pool_del(&fx);
}

static void test_double_free(void **state)
{
	struct fixture fx;
	struct frame_pool *p = pool_new(&fx, MiB);
	u64 pa;

	frames_release(p, 0, MiB);
	pa = frames_alloc(p, 4, 0, 0);
	assert_int_equal(pa, 0x1000);
	assert_int_equal(frames_free_count(p), 251);

	/* Free the middle frame, then the whole run: refused, untouched. */
	assert_int_equal(frames_free(p, pa + 0x2000, 1), 0);
	assert_int_equal(frames_free_count(p), 252);
	assert_int_equal(frames_free(p, pa, 4), -1);
	assert_int_equal(frames_free_count(p), 252);
	assert_true(frames_is_used(p, pa));
	assert_true(frames_is_used(p, pa + 0x1000));
	assert_false(frames_is_used(p, pa + 0x2000));
	assert_true(frames_is_used(p, pa + 0x3000));
	assert_int_equal(frames_free(p, pa + 0x2000, 1), -1);

	/* Bad arguments. */
	assert_int_equal(frames_free(p, pa + 1, 1), -1);
	assert_int_equal(frames_free(p, pa, 0), -1);
	assert_int_equal(frames_free(p, 0, 1), -1);	/* frame 0 */
	assert_int_equal(frames_free(p, MiB, 1), -1);	/* out of range */
	assert_int_equal(frames_free(p, MiB - 4096, 2), -1);
	assert_int_equal(frames_free(p, 0x1000, ~0ull), -1);
	assert_int_equal(frames_free_count(p), 252);

	assert_int_equal(frames_free(p, pa, 2), 0);
	assert_int_equal(frames_free(p, pa + 0x3000, 1), 0);
	assert_int_equal(frames_free_count(p), 255);
	pool_del(&fx);
}

static void test_free_restores_count(void **state)
{
	struct fixture fx;
	struct frame_pool *p = pool_new(&fx, 16 * MiB);
	u64 pa[64], before, i;

	frames_release(p, 0, 16 * MiB);
	frames_reserve(p, 0x123000, 0x45000);
	before = frames_free_count(p);
	for (i = 0; i < 64; i++) {
		pa[i] = frames_alloc(p, 1 + i % 5, 4096ull << (i % 4), 0);
		assert_int_not_equal(pa[i], 0);
		assert_true(IS_ALIGNED(pa[i], 4096ull << (i % 4)));
	}
	assert_int_equal(frames_free_count(p), before - (64 / 5 * 15 + 1 + 2 + 3 + 4));
	for (i = 0; i < 64; i++)
		assert_int_equal(frames_free(p, pa[i], 1 + i % 5), 0);
	assert_int_equal(frames_free_count(p), before);
	pool_del(&fx);
}

static void test_frame0_never(void **state)
{
	struct fixture fx;
	struct frame_pool *p = pool_new(&fx, 64 * 4096);
	u64 pa;

	frames_release(p, 0, 4096);
	assert_int_equal(frames_free_count(p), 0);
	frames_release(p, 0, 64 * 4096);
	while ((pa = frames_alloc(p, 1, 0, 0)) != 0)
		assert_int_not_equal(pa, 0);
	assert_true(frames_is_used(p, 0));
	assert_int_equal(frames_free_count(p), 0);
	/* Runs, too: the lowest 2-frame run can't start at 0. */
	frames_free(p, 0x1000, 3);
	assert_int_equal(frames_alloc(p, 2, 0, 0), 0x1000);
	pool_del(&fx);
}

/* ---- randomized comparison against a one-byte-per-frame model ---- */

#define RND_FRAMES 1000		/* deliberately not a multiple of 64 */
#define RND_OPS 20000

static u64 rng_state = 0x2545f4914f6cdd1dull;

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static u64 rnd_below(u64 n)
{
	return rnd() % n;
}

struct model {
	unsigned char used[RND_FRAMES];
	u64 free;
};

static void model_set(struct model *m, u64 from, u64 to, int used)
{
	u64 f;

	for (f = from; f < to && f < RND_FRAMES; f++) {
		if (f == 0 && !used)
			continue;
		if (m->used[f] != used)
			m->free += used ? -1 : 1;
		m->used[f] = used;
	}
}

static int model_run_free(const struct model *m, u64 f, u64 n)
{
	u64 i;

	for (i = 0; i < n; i++)
		if (m->used[f + i])
			return 0;
	return 1;
}

/* Lowest fitting run, 0 if none. */
static u64 model_fit(const struct model *m, u64 n, u64 align, u64 limit)
{
	u64 f;

	for (f = 0; f + n <= limit; f += align)
		if (model_run_free(m, f, n))
			return f;
	return 0;
}

static void model_check(const struct model *m, const struct frame_pool *p)
{
	u64 f;

	assert_int_equal(frames_free_count(p), m->free);
	for (f = 0; f < RND_FRAMES; f++)
		assert_int_equal(!!frames_is_used(p, f * 4096), m->used[f]);
}

static void test_random_vs_model(void **state)
{
	struct fixture fx;
	struct frame_pool *p = pool_new(&fx, RND_FRAMES * 4096ull);
	static struct model m;
	static u64 blk_pa[RND_FRAMES], blk_n[RND_FRAMES];
	u64 nblk = 0, op, i;
	u64 allocs = 0, fails = 0, frees = 0, bad_frees = 0;

	memset(&m, 1, sizeof(m.used));
	m.free = 0;
	for (op = 0; op < RND_OPS; op++) {
		u64 r = rnd_below(100);

		if (r < 3) {
			/* Release an unaligned range: inward, drop frame 0. */
			u64 base = rnd_below(RND_FRAMES * 4096ull + 8192);
			u64 size = rnd_below(64 * 4096);
			u64 from = (base + 4095) / 4096, to = (base + size) / 4096;

			frames_release(p, base, size);
			if (size && from < to)
				model_set(&m, from, to, 0);
		} else if (r < 5) {
			/* Reserve an unaligned range: outward. */
			u64 base = rnd_below(RND_FRAMES * 4096ull);
			u64 size = rnd_below(16 * 4096);

			frames_reserve(p, base, size);
			if (size)
				model_set(&m, base / 4096,
					  (base + size + 4095) / 4096, 1);
		} else if (r < 55) {
			u64 n = rnd_below(4) ? 1 : 1 + rnd_below(12);
			u64 align = 4096ull << (rnd_below(3) ? 0 : rnd_below(5));
			u64 limit = rnd_below(4) ? 0 : rnd_below(RND_FRAMES + 50) * 4096;
			u64 lim_f = limit ? MIN(limit / 4096, RND_FRAMES) : RND_FRAMES;
			u64 pa = frames_alloc(p, n, align, limit);
			u64 want = model_fit(&m, n, align / 4096, lim_f);

			if (!pa) {
				/* None may exist. */
				assert_int_equal(want, 0);
				fails++;
			} else {
				u64 f = pa / 4096;

				assert_true(IS_ALIGNED(pa, align));
				assert_true(f + n <= lim_f);
				assert_true(model_run_free(&m, f, n));
				/* Runs are lowest fit; single frames next fit. */
				if (n > 1 || align > 4096)
					assert_int_equal(f, want);
				model_set(&m, f, f + n, 1);
				if (nblk < RND_FRAMES) {
					blk_pa[nblk] = f;
					blk_n[nblk++] = n;
				}
				allocs++;
			}
		} else if (r < 95 && nblk) {
			u64 k = rnd_below(nblk);
			u64 f = blk_pa[k], n = blk_n[k];
			int expect = 0;

			/*
			 * A release or a random free may have freed part of
			 * the block since: then this is a double free.
			 */
			for (i = 0; i < n; i++)
				if (!m.used[f + i])
					expect = -1;
			assert_int_equal(frames_free(p, f * 4096, n), expect);
			if (!expect) {
				model_set(&m, f, f + n, 0);
				frees++;
			}
			blk_pa[k] = blk_pa[--nblk];
			blk_n[k] = blk_n[nblk];
		} else {
			/* Free a random range: must match the model exactly. */
			u64 f = rnd_below(RND_FRAMES + 4), n = 1 + rnd_below(3);
			int expect = 0;

			if (f == 0 || f + n > RND_FRAMES)
				expect = -1;
			else
				for (i = 0; i < n; i++)
					if (!m.used[f + i])
						expect = -1;
			assert_int_equal(frames_free(p, f * 4096, n), expect);
			if (!expect) {
				model_set(&m, f, f + n, 0);
			} else {
				bad_frees++;
			}
		}
		assert_int_equal(frames_free_count(p), m.free);
		if (op % 256 == 0)
			model_check(&m, p);
	}
	model_check(&m, p);
	/* The mix really exercised every path. */
	assert_true(allocs > 1000);
	assert_true(fails > 50);
	assert_true(frees > 1000);
	assert_true(bad_frees > 50);
	pool_del(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bitmap_bytes),
		cmocka_unit_test(test_init_all_used),
		cmocka_unit_test(test_release_unaligned),
		cmocka_unit_test(test_reserve_outward),
		cmocka_unit_test(test_alloc_2m_aligned),
		cmocka_unit_test(test_alloc_limits),
		cmocka_unit_test(test_exhaustion),
		cmocka_unit_test(test_next_fit),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_double_free),
		cmocka_unit_test(test_free_restores_count),
		cmocka_unit_test(test_frame0_never),
		cmocka_unit_test(test_random_vs_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
