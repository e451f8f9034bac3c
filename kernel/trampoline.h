/* SPDX-License-Identifier: MIT */
/*
 * Layout shared by kernel/trampoline.S and kernel/smp.c. The AP start code
 * uses two pages below 1 MiB: the code page (mapped read+execute once the
 * BSP has written it) and, right above it, a parameter page (read/write,
 * never executable) that the BSP fills for each AP in turn.
 */
#ifndef KERNEL_TRAMPOLINE_H
#define KERNEL_TRAMPOLINE_H

#define TRAMP_PAGES 2
#define TRAMP_PARAMS 0x1000 /* offset of the parameter page */
#define TRAMP_CR3 (TRAMP_PARAMS + 0x00)
#define TRAMP_STACK (TRAMP_PARAMS + 0x08)
#define TRAMP_PERCPU (TRAMP_PARAMS + 0x10)
#define TRAMP_ENTRY (TRAMP_PARAMS + 0x18)

#endif
