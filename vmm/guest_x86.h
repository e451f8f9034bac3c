/* SPDX-License-Identifier: MIT */
/*
 * x86 structures the VMM builds inside guest memory or walks there: the
 * guest's page-table entries and its flat long-mode GDT descriptors. One
 * copy for the ELF guests' setup (vmm/vm_setup.c), the Linux loader
 * (vmm/linux_boot.c, host-tested) and the guest page walk (vmm/vm_insn.c).
 */
#ifndef VMM_GUEST_X86_H
#define VMM_GUEST_X86_H

#include "lib/types.h"

/* Paging-structure entry bits (Intel SDM Vol. 3A §4.5, Tables 4-15..4-19). */
#define GPTE_P BIT(0)
#define GPTE_RW BIT(1)
#define GPTE_PWT BIT(3)
#define GPTE_PCD BIT(4)
#define GPTE_PS BIT(7)
#define GPTE_ADDR GENMASK(51, 12)
#define GPTE_ENTRIES 512

/*
 * Flat 4 GiB descriptors (SDM Vol. 3A §3.4.5, §5.2.1): code L=1, P, DPL 0,
 * execute/read; data G, D/B, P, DPL 0, read/write.
 */
#define GUEST_GDT_CODE64 0x00af9a000000ffffull
#define GUEST_GDT_DATA 0x00cf92000000ffffull

#endif
