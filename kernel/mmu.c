// SPDX-License-Identifier: MIT
/*
 * The hypervisor's own address space. Physical memory is identity-mapped
 * (a physical address is a pointer), which keeps the VMM, the IOMMU code
 * and the guests' memory management simple to read:
 *   - RAM and firmware regions from the memory map: read/write, never
 *     executable, with 1 GiB / 2 MiB pages where alignment allows;
 *   - the image: .text read+execute, .rodata read-only, .data read/write;
 *   - page 0 unmapped, so NULL dereferences fault;
 *   - device registers mapped uncached on demand (mmio_map);
 *   - a guard page under every stack (stack_alloc).
 * CR0.WP makes read-only pages binding for the kernel itself.
 */
#define LOG_SUBSYS "mm"
#include "kernel/cpu.h"
#include "kernel/image.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/pagetable.h"
#include "kernel/panic.h"
#include "kernel/spinlock.h"

static struct pagetable kernel_pt;
static spinlock_t pt_lock = SPINLOCK_INIT;
static bool mmu_live;

/* Page tables stay below 4 GiB: the AP start code loads CR3 in 32-bit mode. */
static u64 pt_alloc_table(void *ctx)
{
	return frame_alloc_below(1, PAGE_SIZE, LIMIT_4G);
}

static void pt_free_table(void *ctx, u64 pa)
{
	frame_free(pa, 1);
}

static void *pt_phys_to_virt(void *ctx, u64 pa)
{
	return phys_to_virt(pa);
}

static const struct pt_env kernel_pt_env = {
	.alloc_table = pt_alloc_table,
	.free_table = pt_free_table,
	.phys_to_virt = pt_phys_to_virt,
};

/*
 * Reserved ranges are left out: on real machines they hold MMIO (ECAM,
 * flash) that must not be mapped cacheable. Tables found there are mapped
 * on demand by phys_map_ro, devices by mmio_map.
 */
static bool mapped_as_memory(u32 type)
{
	return type != HV_MEM_MMIO && type != HV_MEM_UNUSABLE &&
	       type != HV_MEM_RESERVED;
}

static void map_or_panic(u64 va, u64 pa, u64 size, u32 flags, const char *what)
{
	int err = pt_map(&kernel_pt, va, pa, size, flags);

	if (err)
		panic("cannot map %s %#llx+%#llx: %s", what, pa, size,
		      pt_strerror(err));
}

static const struct hv_bootinfo *mem_bi;

/* Adjacent regions form one span so large pages can cover them. */
void mm_for_each_ram_region(void (*fn)(void *ctx, u64 base, u64 size),
			    void *ctx)
{
	const struct hv_bootinfo *bi = mem_bi;
	u64 start = 0, end = 0;
	u32 i;

	for (i = 0; bi && i <= bi->mem_count; i++) {
		const struct hv_mem_region *r = i < bi->mem_count ? &bi->mem[i] : NULL;

		if (r && !mapped_as_memory(r->type))
			continue;
		if (r && r->base == end) {
			end += r->pages * PAGE_SIZE;
			continue;
		}
		if (end > start) {
			/* Page 0 stays unmapped to catch NULL pointers. */
			u64 s = start ? start : PAGE_SIZE;

			if (end > s)
				fn(ctx, s, end - s);
		}
		if (r) {
			start = r->base;
			end = r->base + r->pages * PAGE_SIZE;
		}
	}
}

static void map_memory_span(void *ctx, u64 base, u64 size)
{
	map_or_panic(base, base, size, PT_R | PT_W, "memory");
}

static void map_memory_regions(const struct hv_bootinfo *bi)
{
	mem_bi = bi;
	mm_for_each_ram_region(map_memory_span, NULL);
}

static void map_image(void)
{
	u64 t0 = (u64)__text_start, t1 = (u64)__text_end;
	u64 r0 = (u64)__rodata_start, r1 = (u64)__rodata_end;
	u64 d0 = (u64)__data_start, d1 = (u64)__data_end;

	if (image_base() < t0)
		map_or_panic(image_base(), image_base(), t0 - image_base(),
			     PT_R, "image headers");
	map_or_panic(t0, t0, t1 - t0, PT_R | PT_X, "text");
	map_or_panic(r0, r0, r1 - r0, PT_R, "rodata");
	map_or_panic(d0, d0, d1 - d0, PT_R | PT_W, "data");
	pr_info("image %#llx-%#llx: text %llu KiB RX, rodata %llu KiB R, data %llu KiB RW\n",
		image_base(), d1, (t1 - t0) >> 10, (r1 - r0) >> 10,
		(d1 - d0) >> 10);
}

static u32 allowed_page_sizes(void)
{
	u32 sizes = PT_4K | PT_2M;

	if (cpuid(0x80000001, 0).edx & CPUID81_EDX_PAGE1G)
		sizes |= PT_1G;
	return sizes;
}

void mmu_init(struct hv_bootinfo *bi)
{
	u32 sizes = allowed_page_sizes();
	int err;

	if (!(cpuid(0x80000001, 0).edx & CPUID81_EDX_NX))
		panic("CPU lacks NX (execute-disable): W^X cannot be enforced");
	err = pt_create(&kernel_pt, &pt_format_x86_64, 4, sizes, &kernel_pt_env);
	if (err)
		panic("cannot create kernel page tables: %s", pt_strerror(err));
	kernel_pt.pa_bits = cpuid(0x80000008, 0).eax & 0xff; /* MAXPHYADDR */
	map_memory_regions(bi);
	map_image();

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	write_cr3(kernel_pt.root);
	write_cr0(read_cr0() | CR0_WP);
	mmu_live = true;
	pr_info("kernel page tables live: root %#llx, pages 4K%s%s, W^X, NULL unmapped\n",
		kernel_pt.root, sizes & PT_2M ? "/2M" : "",
		sizes & PT_1G ? "/1G" : "");
}

/*
 * Changing a mapping that other CPUs may have cached would need a TLB
 * shootdown; the kernel only adds mappings and unmaps guard pages of
 * stacks no CPU has used yet, so a local flush is enough.
 */
static int kernel_map(u64 pa, u64 size, u32 flags)
{
	u64 start = ALIGN_DOWN(pa, PAGE_SIZE);
	u64 end = ALIGN_UP(pa + size, PAGE_SIZE);
	u64 lock, va;
	int err;

	lock = spin_lock_irqsave(&pt_lock);
	err = pt_map(&kernel_pt, start, start, end - start, flags);
	spin_unlock_irqrestore(&pt_lock, lock);
	for (va = start; va < end; va += PAGE_SIZE)
		invlpg(va);
	return err;
}

int mmu_protect(u64 pa, u64 size, u32 flags)
{
	return kernel_map(pa, size, flags);
}

void *mmio_map(u64 pa, u64 size)
{
	u64 mapped_pa;
	u32 flags;
	int err;

	if (!mmu_live)
		return phys_to_virt(pa); /* firmware identity map */
	if (!mmu_lookup(pa, &mapped_pa, &flags) && (flags & PT_UC) &&
	    !mmu_lookup(pa + size - 1, &mapped_pa, &flags) && (flags & PT_UC))
		return phys_to_virt(pa);
	err = kernel_map(pa, size, PT_R | PT_W | PT_UC);
	if (err) {
		pr_err("cannot map MMIO %#llx+%#llx: %s\n", pa, size,
		       pt_strerror(err));
		return NULL;
	}
	return phys_to_virt(pa);
}

const void *phys_map_ro(u64 pa, u64 size)
{
	u64 p, mapped_pa;
	u32 flags;

	if (!mmu_live || !size)
		return phys_to_virt(pa);
	for (p = ALIGN_DOWN(pa, PAGE_SIZE); p < pa + size; p += PAGE_SIZE)
		if (mmu_lookup(p, &mapped_pa, &flags) &&
		    kernel_map(p, PAGE_SIZE, PT_R))
			return NULL;
	return phys_to_virt(pa);
}

int mmu_lookup(u64 va, u64 *pa, u32 *flags)
{
	u64 page_size;

	return pt_lookup(&kernel_pt, va, pa, flags, &page_size);
}

int stack_alloc(u64 pages, struct stack *out)
{
	u64 base = frame_alloc(pages + 1);
	u64 lock;
	int err;

	if (!base)
		return -1;
	lock = spin_lock_irqsave(&pt_lock);
	err = pt_unmap(&kernel_pt, base, PAGE_SIZE);
	spin_unlock_irqrestore(&pt_lock, lock);
	if (err) {
		frame_free(base, pages + 1);
		return err;
	}
	invlpg(base);
	out->bottom = base + PAGE_SIZE;
	out->top = base + (pages + 1) * PAGE_SIZE;
	return 0;
}
