/* SPDX-License-Identifier: MIT */
/*
 * Physical frame allocator: one bit per 4 KiB frame of [0, max_pa), set bit
 * = frame in use. Pure logic with no locking and no knowledge of where the
 * bitmap lives; the kernel wraps it with a lock and the host tests drive it
 * directly.
 *
 * Lifecycle: frames_init() marks everything used, the boot code releases
 * the firmware's usable regions with frames_release() and then takes back
 * what it already occupies (image, boot info, the bitmap itself) with
 * frames_reserve().
 *
 * Physical address 0 doubles as "no frame": frame 0 is never released, so
 * frames_alloc() returning 0 always means failure.
 *
 * The pool has no placement preference beyond "lowest fit": a caller that
 * wants low memory (below 1 MiB, below 4 GiB) kept for later must ask with a
 * limit when it needs it, and should reserve what must never be handed out.
 */
#ifndef KERNEL_FRAMES_H
#define KERNEL_FRAMES_H

#include "lib/types.h"

struct frame_pool {
	u64 *bitmap;	/* nwords words; bit (f % 64) of word f / 64 */
	u64 nframes;	/* frames in [0, max_pa) */
	u64 nwords;
	u64 free;	/* clear bits, kept exact */
	u64 hint;	/* word where the next single-frame search starts */
};

/* Bytes of bitmap frames_init() needs for [0, max_pa); a multiple of 8. */
u64 frames_bitmap_bytes(u64 max_pa);

/*
 * bitmap must be 8-byte aligned and frames_bitmap_bytes(max_pa) long.
 * Frames only partly below max_pa are left out. Every frame starts used.
 */
void frames_init(struct frame_pool *p, void *bitmap, u64 max_pa);

/*
 * Mark [base, base + size) free, shrunk inward to whole frames and clipped
 * to max_pa. Frame 0 is never released. Releasing a free frame is harmless.
 */
void frames_release(struct frame_pool *p, u64 base, u64 size);

/* Mark [base, base + size) used, grown outward to whole frames. */
void frames_reserve(struct frame_pool *p, u64 base, u64 size);

/*
 * Allocate npages contiguous frames whose base is a multiple of align (a
 * power of two; values below 4096 mean 4096) and which end at or below
 * limit (0 = anywhere). Returns the base, or 0 if no such run is free or
 * the arguments are invalid. Single 4 KiB-aligned frames are found next-fit
 * from a rotating hint; anything else is the lowest fitting run.
 */
u64 frames_alloc(struct frame_pool *p, u64 npages, u64 align, u64 limit);

/*
 * Free npages frames at pa. Returns 0, or -1 with nothing changed when pa
 * is not page aligned, the range is empty, leaves the pool, includes frame
 * 0, or includes a frame that is already free (a double free).
 */
int frames_free(struct frame_pool *p, u64 pa, u64 npages);

u64 frames_free_count(const struct frame_pool *p);

/* True if the frame holding pa is used (or outside the pool). */
bool frames_is_used(const struct frame_pool *p, u64 pa);

#endif
