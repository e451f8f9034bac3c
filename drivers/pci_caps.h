/* SPDX-License-Identifier: MIT */
/*
 * Pure configuration-space logic: capability list walks and BAR sizing.
 * Reaches one function's config space only through struct pci_cfg_io, so
 * the same code runs on ECAM in the hypervisor and on captured config
 * space dumps in the host unit tests (tests/unit/test_pci_caps.c).
 */
#ifndef DRIVERS_PCI_CAPS_H
#define DRIVERS_PCI_CAPS_H

#include "lib/types.h"

struct pci_cfg_io {
	u32 (*read32)(void *ctx, u16 off);
	void (*write32)(void *ctx, u16 off, u32 v);
	void *ctx;
};

/* Bounds on the walks: a list longer than this is corrupt or a loop. */
#define PCI_MAX_CAPS 48		/* (256 - 64) / 4 */
#define PCI_MAX_ECAPS 960	/* (4096 - 256) / 4 */

#define PCI_CAPS_E_LOOP (-1)	/* a pointer went back or the walk ran long */
#define PCI_CAPS_E_RANGE (-2)	/* a pointer outside its region / unaligned */

/*
 * Calls fn(ctx, id, offset) for each standard capability, in list order.
 * Returns the number visited (>= 0), or PCI_CAPS_E_* after visiting the
 * good prefix: a pointer below 0x40, unaligned, or one already visited
 * (cycle) stops the walk.
 */
int pci_walk_caps(const struct pci_cfg_io *io,
		  void (*fn)(void *ctx, u8 id, u16 off), void *ctx);
/* Same for the extended list at 0x100 (id is the 16-bit extended ID). */
int pci_walk_ecaps(const struct pci_cfg_io *io,
		   void (*fn)(void *ctx, u16 id, u16 off), void *ctx);

/* Offset of the first capability id, or 0. */
u16 pci_find_cap(const struct pci_cfg_io *io, u8 id);
u16 pci_find_ecap(const struct pci_cfg_io *io, u16 id);

/* "PM", "MSI", "MSI-X", "PCIe", ... or NULL if not named. */
const char *pci_cap_name(u8 id);
const char *pci_ecap_name(u16 id);

enum pci_bar_type {
	PCI_BAR_NONE = 0,
	PCI_BAR_IO,
	PCI_BAR_MEM32,
	PCI_BAR_MEM64,
};

/* Six BARs in a type 0 header (PCIe 6.0 §7.5.1.2.1), six VF BARs in the
 * SR-IOV capability (§9.3.3.14); a type 1 header has the first two. */
#define PCI_NUM_BARS 6
#define PCI_BRIDGE_NUM_BARS 2
/* Config offset of the last BAR of a block of n starting at first. */
#define PCI_LAST_BAR(first, n) ((u16)((first) + 4 * ((n) - 1)))

struct pci_bar {
	u64 base;
	u64 size;		/* 0: not implemented */
	u8 type;		/* enum pci_bar_type */
	bool prefetch;
};

/*
 * Sizes the BAR at config offset reg (PCI_BAR0 + 4 * i, or a VF BAR in
 * the SR-IOV capability) the standard way: write all ones, read back the
 * writable mask, restore. The caller must have turned decoding off (for a
 * VF BAR: VF MSE) so that the all-ones address is never decoded. A 64-bit
 * BAR consumes reg + 4 too. Returns the number of registers used (1 or 2),
 * or 0 if the upper half of a 64-bit BAR would be past max_reg.
 */
int pci_bar_size(const struct pci_cfg_io *io, u16 reg, u16 max_reg,
		 struct pci_bar *out);

/* "mem32", "mem64", "io", "none". */
const char *pci_bar_type_name(u8 type);

/* "Ethernet", "PCI bridge", ... from the base class and subclass. */
const char *pci_class_name(u32 class_code);

#endif
