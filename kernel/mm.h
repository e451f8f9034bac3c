/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's physical memory: a locked frame allocator over the
 * UEFI memory map (kernel/frames.c does the bookkeeping), the kernel's own
 * page tables (identity map of RAM, W^X image, MMIO mapped on demand
 * uncached) and stacks with guard pages.
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include "boot/bootinfo.h"
#include "lib/types.h"

#define LIMIT_4G (1ull << 32)

void mm_init(struct hv_bootinfo *bi);
void mm_reclaim_boot_services(struct hv_bootinfo *bi);
void mmu_init(struct hv_bootinfo *bi);

/* Contiguous zeroed frames; 0 if none (frame 0 is never handed out). */
u64 frame_alloc(u64 npages);
u64 frame_alloc_below(u64 npages, u64 align, u64 limit);
void frame_free(u64 pa, u64 npages);
u64 frames_free_pages(void);

/* Physical memory is identity-mapped: a physical address is a pointer. */
static inline void *phys_to_virt(u64 pa)
{
	return (void *)pa;
}

static inline u64 virt_to_phys(const void *p)
{
	return (u64)p;
}

/* Map device registers uncached (idempotent); NULL if out of tables. */
void *mmio_map(u64 pa, u64 size);

/* Make sure [pa, pa+size) is mapped (read-only) for reading firmware
 * tables; returns the pointer or NULL if it cannot be mapped. */
const void *phys_map_ro(u64 pa, u64 size);

struct stack {
	u64 bottom; /* lowest usable byte; the page below is unmapped */
	u64 top;    /* initial stack pointer */
};

int stack_alloc(u64 pages, struct stack *out);

/* Changes the permissions (PT_* flags) of an identity-mapped range. */
int mmu_protect(u64 pa, u64 size, u32 flags);

/*
 * Calls fn for every span of memory the kernel maps as RAM (usable, boot
 * services, loaded, ACPI, runtime, persistent; adjacent regions merged;
 * page 0 left out), e.g. for the IOMMU's identity domain.
 */
void mm_for_each_ram_region(void (*fn)(void *ctx, u64 base, u64 size),
			    void *ctx);

/* Look up how the kernel maps va; 0 if mapped. */
int mmu_lookup(u64 va, u64 *pa, u32 *flags);

#endif
