// SPDX-License-Identifier: MIT
/*
 * Bitmap physical frame allocator; see frames.h for the contract.
 *
 * Everything below works on frame numbers (pa >> PAGE_SHIFT) and half-open
 * frame ranges [from, to). The bitmap is scanned a 64-bit word at a time so
 * that long runs of used memory (the firmware's reservations, the guests'
 * RAM) cost one compare per 256 KiB. Bits past nframes in the last word are
 * set at init and never cleared, so they read as used and need no special
 * case.
 */
#include "kernel/frames.h"

#define BITS_PER_WORD 64ull

/*
 * Written out rather than __builtin_popcountll: without -mpopcnt GCC turns
 * that into a call to libgcc's __popcountdi2, and the kernel links without
 * libgcc.
 */
static u64 popcount64(u64 x)
{
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (x * 0x0101010101010101ull) >> 56;
}

/* The bits of word w that lie inside [from, to); w must intersect it. */
static u64 range_mask(u64 w, u64 from, u64 to)
{
	u64 lo = w * BITS_PER_WORD;
	u64 mask = ~0ull;

	if (from > lo)
		mask &= ~0ull << (from - lo);
	if (to < lo + BITS_PER_WORD)
		mask &= ~(~0ull << (to - lo));
	return mask;
}

/* Set the bits of [from, to); returns how many were clear before. */
static u64 set_range(struct frame_pool *p, u64 from, u64 to)
{
	u64 changed = 0, w, m;

	for (w = from / BITS_PER_WORD; w * BITS_PER_WORD < to; w++) {
		m = range_mask(w, from, to);
		changed += popcount64(m & ~p->bitmap[w]);
		p->bitmap[w] |= m;
	}
	return changed;
}

/* Clear the bits of [from, to); returns how many were set before. */
static u64 clear_range(struct frame_pool *p, u64 from, u64 to)
{
	u64 changed = 0, w, m;

	for (w = from / BITS_PER_WORD; w * BITS_PER_WORD < to; w++) {
		m = range_mask(w, from, to);
		changed += popcount64(m & p->bitmap[w]);
		p->bitmap[w] &= ~m;
	}
	return changed;
}

/* First free frame in [from, to), or to if there is none. */
static u64 find_clear(const struct frame_pool *p, u64 from, u64 to)
{
	u64 w, m;

	for (w = from / BITS_PER_WORD; w * BITS_PER_WORD < to; w++) {
		m = ~p->bitmap[w] & range_mask(w, from, to);
		if (m)
			return w * BITS_PER_WORD + __builtin_ctzll(m);
	}
	return to;
}

/* First used frame in [from, to), or to if there is none. */
static u64 find_set(const struct frame_pool *p, u64 from, u64 to)
{
	u64 w, m;

	for (w = from / BITS_PER_WORD; w * BITS_PER_WORD < to; w++) {
		m = p->bitmap[w] & range_mask(w, from, to);
		if (m)
			return w * BITS_PER_WORD + __builtin_ctzll(m);
	}
	return to;
}

u64 frames_bitmap_bytes(u64 max_pa)
{
	u64 nframes = max_pa >> PAGE_SHIFT;

	return (nframes + BITS_PER_WORD - 1) / BITS_PER_WORD * sizeof(u64);
}

void frames_init(struct frame_pool *p, void *bitmap, u64 max_pa)
{
	u64 w;

	p->bitmap = bitmap;
	p->nframes = max_pa >> PAGE_SHIFT;
	p->nwords = frames_bitmap_bytes(max_pa) / sizeof(u64);
	p->free = 0;
	p->hint = 0;
	for (w = 0; w < p->nwords; w++)
		p->bitmap[w] = ~0ull;
}

/* End of [base, base + size), saturating instead of wrapping past 2^64. */
static u64 range_end(u64 base, u64 size)
{
	return base + size < base ? ~0ull : base + size;
}

void frames_release(struct frame_pool *p, u64 base, u64 size)
{
	u64 end = range_end(base, size);
	/* Inward: a partial frame may belong to someone else. */
	u64 from = (base >> PAGE_SHIFT) + !IS_ALIGNED(base, PAGE_SIZE);
	u64 to = end >> PAGE_SHIFT;

	if (!size)
		return;
	from = MAX(from, 1);	/* frame 0 means "no frame" */
	to = MIN(to, p->nframes);
	if (from >= to)
		return;
	p->free += clear_range(p, from, to);
}

void frames_reserve(struct frame_pool *p, u64 base, u64 size)
{
	u64 end = range_end(base, size);
	/* Outward: any partial frame is in use by what we are reserving. */
	u64 from = base >> PAGE_SHIFT;
	u64 to = (end >> PAGE_SHIFT) + !IS_ALIGNED(end, PAGE_SIZE);

	if (!size)
		return;
	to = MIN(to, p->nframes);
	if (from >= to)
		return;
	p->free -= set_range(p, from, to);
}

/*
 * Next-fit for the common case: start where the last single frame came
 * from, wrap once. Keeps repeated page-table and stack allocations O(1)
 * amortised instead of rescanning the full low words every time.
 */
static u64 alloc_one(struct frame_pool *p, u64 limit)
{
	u64 start = p->hint * BITS_PER_WORD;
	u64 f;

	if (start >= limit)
		start = 0;
	f = find_clear(p, start, limit);
	if (f >= limit) {
		f = find_clear(p, 0, start);
		if (f >= start)
			return 0;
	}
	p->bitmap[f / BITS_PER_WORD] |= 1ull << (f % BITS_PER_WORD);
	p->free--;
	p->hint = f / BITS_PER_WORD;
	return f << PAGE_SHIFT;
}

/* Lowest run of n free frames starting on an align-frame boundary. */
static u64 alloc_run(struct frame_pool *p, u64 n, u64 align, u64 limit)
{
	u64 f = 0, used;

	for (;;) {
		f = find_clear(p, f, limit);
		if (f >= limit)
			return 0;
		f = ALIGN_UP(f, align);
		if (f >= limit || limit - f < n)
			return 0;
		used = find_set(p, f, f + n);
		if (used == f + n)
			break;
		f = used + 1;
	}
	set_range(p, f, f + n);
	p->free -= n;
	return f << PAGE_SHIFT;
}

u64 frames_alloc(struct frame_pool *p, u64 npages, u64 align, u64 limit)
{
	u64 lim = p->nframes;

	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	if (!npages || (align & (align - 1)) || npages > p->free)
		return 0;
	if (limit)
		lim = MIN(lim, limit >> PAGE_SHIFT);
	if (npages == 1 && align == PAGE_SIZE)
		return alloc_one(p, lim);
	return alloc_run(p, npages, align >> PAGE_SHIFT, lim);
}

int frames_free(struct frame_pool *p, u64 pa, u64 npages)
{
	u64 f = pa >> PAGE_SHIFT;

	if (!IS_ALIGNED(pa, PAGE_SIZE) || !npages)
		return -1;
	if (f == 0 || f >= p->nframes || npages > p->nframes - f)
		return -1;
	/* All-or-nothing: check the whole range before touching a bit. */
	if (find_clear(p, f, f + npages) != f + npages)
		return -1;
	clear_range(p, f, f + npages);
	p->free += npages;
	return 0;
}

u64 frames_free_count(const struct frame_pool *p)
{
	return p->free;
}

bool frames_is_used(const struct frame_pool *p, u64 pa)
{
	u64 f = pa >> PAGE_SHIFT;

	if (f >= p->nframes)
		return true;
	return p->bitmap[f / BITS_PER_WORD] & (1ull << (f % BITS_PER_WORD));
}
