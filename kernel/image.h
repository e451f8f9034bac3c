/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own image in memory: where UEFI loaded it and where its
 * sections lie (symbols from linker.ld). Position-independent code makes
 * these runtime addresses.
 */
#ifndef KERNEL_IMAGE_H
#define KERNEL_IMAGE_H

#include "lib/types.h"

extern char __image_start[], __image_end[];
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[];

static inline u64 image_base(void)
{
	return (u64)__image_start;
}

static inline bool image_contains(u64 addr)
{
	return addr >= (u64)__image_start && addr < (u64)__image_end;
}

static inline bool image_text_contains(u64 addr)
{
	return addr >= (u64)__text_start && addr < (u64)__text_end;
}

#endif
