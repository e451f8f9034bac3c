/* SPDX-License-Identifier: MIT */
/*
 * Global descriptor table and TSS (SDM Vol. 3A §3.4.5, §8.7 "Task
 * management in 64-bit mode"). Every CPU has its own GDT and TSS because
 * the TSS holds that CPU's interrupt stacks.
 */
#ifndef KERNEL_GDT_H
#define KERNEL_GDT_H

#include "lib/types.h"

#define GDT_KERNEL_CS 0x08
#define GDT_KERNEL_DS 0x10
#define GDT_TSS 0x18

/* Interrupt stack table slots (1-based, as the IDT gate encodes them). */
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3
#define IST_COUNT 3

struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

struct gdt_set {
	u64 entries[5]; /* null, code64, data, TSS (two slots) */
	struct tss64 tss;
};

void gdt_load(struct gdt_set *g, const u64 ist_tops[IST_COUNT]);

#endif
