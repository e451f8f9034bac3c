// SPDX-License-Identifier: MIT
#include "kernel/gdt.h"
#include "lib/string.h"

/* Segment descriptor bits (SDM Vol. 3A §3.4.5, Figure 3-8). */
#define SEG_ACCESSED BIT(40)
#define SEG_RW BIT(41)
#define SEG_CODE BIT(43)
#define SEG_S BIT(44) /* code/data, not system */
#define SEG_PRESENT BIT(47)
#define SEG_LONG BIT(53)
#define SEG_GRAN_4K BIT(55)
#define SEG_LIMIT_MAX (0xffffull | (0xfull << 48))
#define TSS_TYPE_AVAILABLE (0x9ull << 40)

struct gdt_ptr {
	u16 limit;
	u64 base;
} __packed;

static u64 tss_low(u64 base, u32 limit)
{
	return (limit & 0xffff) | ((base & 0xffffff) << 16) | TSS_TYPE_AVAILABLE |
	       SEG_PRESENT | ((u64)(limit >> 16) << 48) |
	       ((base >> 24 & 0xff) << 56);
}

void gdt_load(struct gdt_set *g, const u64 ist_tops[IST_COUNT])
{
	struct gdt_ptr ptr = { sizeof(g->entries) - 1, (u64)g->entries };
	u64 tss = (u64)&g->tss;
	int i;

	memset(g, 0, sizeof(*g));
	g->entries[1] = SEG_ACCESSED | SEG_RW | SEG_CODE | SEG_S | SEG_PRESENT |
			SEG_LONG | SEG_GRAN_4K | SEG_LIMIT_MAX;
	g->entries[2] = SEG_ACCESSED | SEG_RW | SEG_S | SEG_PRESENT |
			SEG_GRAN_4K | SEG_LIMIT_MAX;
	g->entries[3] = tss_low(tss, sizeof(g->tss) - 1);
	g->entries[4] = tss >> 32;
	for (i = 0; i < IST_COUNT; i++)
		g->tss.ist[i] = ist_tops[i];
	g->tss.iomap_base = sizeof(g->tss); /* no I/O bitmap */

	/*
	 * Reload every segment register: CS through a far return, the data
	 * segments directly. GS is left alone: its base is the per-CPU
	 * pointer, set through the MSR.
	 */
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%ss\n\t"
			 "movw %%ax, %%fs\n\t"
			 "ltr %w3"
			 :
			 : "m"(ptr), "i"(GDT_KERNEL_CS), "r"(GDT_KERNEL_DS),
			   "r"(GDT_TSS)
			 : "rax", "memory");
}
