/* SPDX-License-Identifier: MIT */
/*
 * A guest's physical memory: ONE map from guest-physical to host-physical
 * ranges. It is the single source of truth that the nested page tables
 * (NPT or EPT, guest_mem_map_into) and the guest's IOMMU domain
 * (guest_mem_walk) are built from.
 *
 * Guest RAM is GPA [0, size). Frames come from the hypervisor's frame
 * allocator (zeroed, never the hypervisor's own or another guest's), in
 * 2 MiB-aligned runs where possible so NPT/EPT can use large pages.
 *
 * Pure: memory is reached through struct gm_ops, so the host tests run
 * it over a fake allocator (tests/unit/test_guest_mem.c).
 */
#ifndef VMM_GUEST_MEM_H
#define VMM_GUEST_MEM_H

#include "kernel/pagetable.h"
#include "lib/types.h"

#define GM_MAX_RANGES 64

struct gm_range {
	u64 gpa, hpa, size;
};

struct gm_ops {
	/* npages zeroed frames aligned to align bytes; 0 on failure */
	u64 (*alloc)(void *ctx, u64 npages, u64 align);
	void (*free)(void *ctx, u64 pa, u64 npages);
	void *(*phys_to_virt)(void *ctx, u64 pa);
	void *ctx;
};

struct guest_mem {
	u64 size;
	u32 nranges;
	u32 large_runs;		/* ranges that came 2 MiB-aligned */
	struct gm_range range[GM_MAX_RANGES];
	const struct gm_ops *ops;
};

/* size: multiple of 4 KiB. Returns 0 or -1 (nothing left allocated). */
int guest_mem_alloc(struct guest_mem *gm, u64 size, const struct gm_ops *ops);
void guest_mem_free(struct guest_mem *gm);

/*
 * Host pointer for gpa and how many bytes from there are contiguous
 * (<= want); NULL if gpa is not guest RAM.
 */
void *guest_mem_ptr(const struct guest_mem *gm, u64 gpa, u64 want,
		    u64 *avail);
/* Copies; -1 if any byte of [gpa, gpa+len) is not guest RAM. */
int guest_mem_write(const struct guest_mem *gm, u64 gpa, const void *src,
		    u64 len);
int guest_mem_read(const struct guest_mem *gm, u64 gpa, void *dst, u64 len);
bool guest_mem_contains(const struct guest_mem *gm, u64 gpa, u64 len);

/*
 * Calls fn for each range in GPA order; stops at and returns the first
 * non-zero result. This is how the IOMMU side builds the guest's DMA
 * domain from the same map (iommu_map per range).
 */
int guest_mem_walk(const struct guest_mem *gm,
		   int (*fn)(void *ctx, u64 gpa, u64 hpa, u64 size),
		   void *ctx);

/*
 * Map every range into pt (NPT or EPT, already created), RWX, write-back.
 * Returns 0 or a PT_E* error.
 */
int guest_mem_map_into(const struct guest_mem *gm, struct pagetable *pt);

#endif
