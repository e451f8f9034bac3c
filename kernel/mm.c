// SPDX-License-Identifier: MIT
/*
 * Physical frames for the hypervisor. Two phases, because the firmware's
 * boot-services memory holds the stack and page tables we are still
 * running on at entry:
 *   1. mm_init: only conventional memory is handed out;
 *   2. mm_reclaim_boot_services: once the kernel runs on its own stack and
 *      page tables, the boot-services regions join the pool.
 * Firmware-reserved, ACPI, runtime and MMIO ranges are never released.
 */
#define LOG_SUBSYS "mm"
#include "kernel/frames.h"
#include "kernel/image.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/spinlock.h"
#include "kernel/memmap.h"
#include "lib/string.h"

static struct frame_pool pool;
static spinlock_t pool_lock = SPINLOCK_INIT;

/* One line per run of adjacent regions of one kind (firmware splits
 * boot-services memory into dozens of code/data pieces). */
static void log_memory_map(const struct hv_bootinfo *bi)
{
	u32 i, first;

	pr_info("memory map: %u regions\n", bi->mem_count);
	for (first = 0; first < bi->mem_count; first = i) {
		const struct hv_mem_region *r = &bi->mem[first];
		u64 end = r->base + r->pages * PAGE_SIZE;

		for (i = first + 1; i < bi->mem_count &&
				    bi->mem[i].type == r->type &&
				    bi->mem[i].base == end;
		     i++)
			end += bi->mem[i].pages * PAGE_SIZE;
		pr_info("  %#014llx-%#014llx %8llu KiB %s\n", r->base, end - 1,
			(end - r->base) >> 10, hv_mem_type_name(r->type));
	}
}

/* The bitmap goes into the first conventional region that holds it. */
static u64 place_bitmap(const struct hv_bootinfo *bi, u64 bytes)
{
	u32 i;

	for (i = 0; i < bi->mem_count; i++) {
		const struct hv_mem_region *r = &bi->mem[i];

		if (r->type == HV_MEM_USABLE && r->base &&
		    r->pages * PAGE_SIZE >= bytes)
			return r->base;
	}
	panic("no conventional memory region can hold the %llu-byte frame bitmap",
	      bytes);
}

void mm_init(struct hv_bootinfo *bi)
{
	u64 top = memmap_usable_top(bi->mem, bi->mem_count);
	u64 bytes = frames_bitmap_bytes(top);
	u64 bitmap = place_bitmap(bi, bytes);
	u32 i;

	log_memory_map(bi);
	frames_init(&pool, (void *)bitmap, top);
	for (i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == HV_MEM_USABLE)
			frames_release(&pool, bi->mem[i].base,
				       bi->mem[i].pages * PAGE_SIZE);
	frames_reserve(&pool, bitmap, bytes);
	/* Our image and the boot info are LOADED, never released: no
	 * reserve needed. The AP trampoline page is LOADED too. */
	pr_info("frames: %llu MiB free of %llu MiB below %#llx (bitmap %llu KiB at %#llx)\n",
		frames_free_count(&pool) >> 8, top >> 20, top, bytes >> 10,
		bitmap);
}

void mm_reclaim_boot_services(struct hv_bootinfo *bi)
{
	u64 before, flags;
	u32 i;

	flags = spin_lock_irqsave(&pool_lock);
	before = frames_free_count(&pool);
	for (i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == HV_MEM_BOOT_SERVICES)
			frames_release(&pool, bi->mem[i].base,
				       bi->mem[i].pages * PAGE_SIZE);
	spin_unlock_irqrestore(&pool_lock, flags);
	pr_info("reclaimed %llu KiB of boot-services memory; %llu MiB free\n",
		(frames_free_count(&pool) - before) * 4,
		frames_free_count(&pool) >> 8);
}

u64 frame_alloc_below(u64 npages, u64 align, u64 limit)
{
	u64 flags, pa;

	flags = spin_lock_irqsave(&pool_lock);
	pa = frames_alloc(&pool, npages, align, limit);
	spin_unlock_irqrestore(&pool_lock, flags);
	if (pa)
		memset(phys_to_virt(pa), 0, npages * PAGE_SIZE);
	return pa;
}

u64 frame_alloc(u64 npages)
{
	return frame_alloc_below(npages, PAGE_SIZE, 0);
}

void frame_free(u64 pa, u64 npages)
{
	u64 flags;
	int err;

	flags = spin_lock_irqsave(&pool_lock);
	err = frames_free(&pool, pa, npages);
	spin_unlock_irqrestore(&pool_lock, flags);
	if (err)
		panic("frame_free(%#llx, %llu): double free or bad range", pa,
		      npages);
}

u64 frames_free_pages(void)
{
	return frames_free_count(&pool);
}
