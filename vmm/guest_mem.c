// SPDX-License-Identifier: MIT
/*
 * Guest physical memory: allocation in 2 MiB-aligned runs, the GPA->HPA
 * range list, and the walkers that feed NPT/EPT and the IOMMU.
 */
#include "vmm/guest_mem.h"

#ifdef HV_HOST_TEST
#include <string.h>
#else
#include "lib/string.h"
#endif

/* Append [gpa, hpa, size), merging with the previous range if contiguous. */
static int add_range(struct guest_mem *gm, u64 gpa, u64 hpa, u64 size)
{
	struct gm_range *last = gm->nranges ? &gm->range[gm->nranges - 1] : NULL;

	if (last && last->gpa + last->size == gpa &&
	    last->hpa + last->size == hpa) {
		last->size += size;
		return 0;
	}
	if (gm->nranges == GM_MAX_RANGES)
		return -1;
	gm->range[gm->nranges++] = (struct gm_range){ gpa, hpa, size };
	return 0;
}

/*
 * One chunk of up to want bytes at gpa: as 2 MiB-aligned frames if the
 * chunk is a 2 MiB multiple, else (or if that fails) 4 KiB-aligned.
 */
static u64 alloc_chunk(struct guest_mem *gm, u64 want, u64 *hpa)
{
	const struct gm_ops *ops = gm->ops;

	if (IS_ALIGNED(want, SZ_2M)) {
		*hpa = ops->alloc(ops->ctx, want >> PAGE_SHIFT, SZ_2M);
		if (*hpa) {
			gm->large_runs++;
			return want;
		}
	}
	*hpa = ops->alloc(ops->ctx, want >> PAGE_SHIFT, PAGE_SIZE);
	return *hpa ? want : 0;
}

int guest_mem_alloc(struct guest_mem *gm, u64 size, const struct gm_ops *ops)
{
	u64 gpa = 0, chunk, hpa;

	memset(gm, 0, sizeof(*gm));
	gm->ops = ops;
	if (!size || !IS_ALIGNED(size, PAGE_SIZE))
		return -1;
	/* Try everything in one run first, then 2 MiB runs, then pages. */
	chunk = size;
	while (gpa < size) {
		u64 want = MIN(chunk, size - gpa);

		if (!alloc_chunk(gm, want, &hpa)) {
			if (chunk == PAGE_SIZE)
				goto fail;
			chunk = chunk > SZ_2M ? SZ_2M : PAGE_SIZE;
			continue;
		}
		if (add_range(gm, gpa, hpa, want)) {
			ops->free(ops->ctx, hpa, want >> PAGE_SHIFT);
			goto fail;
		}
		gpa += want;
	}
	gm->size = size;
	return 0;
fail:
	gm->size = gpa;
	guest_mem_free(gm);
	return -1;
}

/*
 * Ranges may have been merged from separate allocations, so free page
 * runs back in the same 2 MiB / 4 KiB pieces as they were allocated:
 * frees of adjacent runs are equivalent for a bitmap allocator.
 */
void guest_mem_free(struct guest_mem *gm)
{
	u32 i;

	for (i = 0; i < gm->nranges; i++)
		gm->ops->free(gm->ops->ctx, gm->range[i].hpa,
			      gm->range[i].size >> PAGE_SHIFT);
	gm->nranges = 0;
	gm->size = 0;
}

static const struct gm_range *find(const struct guest_mem *gm, u64 gpa)
{
	u32 i;

	for (i = 0; i < gm->nranges; i++)
		if (gpa >= gm->range[i].gpa &&
		    gpa - gm->range[i].gpa < gm->range[i].size)
			return &gm->range[i];
	return NULL;
}

void *guest_mem_ptr(const struct guest_mem *gm, u64 gpa, u64 want,
		    u64 *avail)
{
	const struct gm_range *r = find(gm, gpa);
	u64 off;

	if (!r)
		return NULL;
	off = gpa - r->gpa;
	if (avail)
		*avail = MIN(want, r->size - off);
	return (u8 *)gm->ops->phys_to_virt(gm->ops->ctx, r->hpa) + off;
}

bool guest_mem_contains(const struct guest_mem *gm, u64 gpa, u64 len)
{
	return len <= gm->size && gpa <= gm->size - len;
}

static int copy(const struct guest_mem *gm, u64 gpa, void *buf, u64 len,
		bool to_guest)
{
	u8 *p = buf;

	if (!guest_mem_contains(gm, gpa, len))
		return -1;
	while (len) {
		u64 n;
		u8 *g = guest_mem_ptr(gm, gpa, len, &n);

		if (!g)
			return -1;
		if (to_guest)
			memcpy(g, p, n);
		else
			memcpy(p, g, n);
		gpa += n;
		p += n;
		len -= n;
	}
	return 0;
}

int guest_mem_write(const struct guest_mem *gm, u64 gpa, const void *src,
		    u64 len)
{
	return copy(gm, gpa, (void *)src, len, true);
}

int guest_mem_read(const struct guest_mem *gm, u64 gpa, void *dst, u64 len)
{
	return copy(gm, gpa, dst, len, false);
}

int guest_mem_walk(const struct guest_mem *gm,
		   int (*fn)(void *ctx, u64 gpa, u64 hpa, u64 size),
		   void *ctx)
{
	u32 i;
	int err;

	for (i = 0; i < gm->nranges; i++) {
		err = fn(ctx, gm->range[i].gpa, gm->range[i].hpa,
			 gm->range[i].size);
		if (err)
			return err;
	}
	return 0;
}

static int map_one(void *ctx, u64 gpa, u64 hpa, u64 size)
{
	return pt_map(ctx, gpa, hpa, size, PT_R | PT_W | PT_X);
}

int guest_mem_map_into(const struct guest_mem *gm, struct pagetable *pt)
{
	return guest_mem_walk(gm, map_one, pt);
}
