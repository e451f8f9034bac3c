/* SPDX-License-Identifier: MIT */
/*
 * Page-table builder, independent of where tables live and of the exact
 * entry layout.
 *
 * Tables are reached only through struct pt_env: the kernel passes callbacks
 * over its identity-mapped physical memory, the host tests pass malloc'd
 * pages behind a fake physical address space.
 *
 * The entry layout is a struct pt_format. The builder itself knows only the
 * radix-tree shape common to every Intel/AMD translation structure (512
 * 8-byte entries per 4 KiB table, 9 address bits per level, leaves at level
 * 1 (4 KiB), 2 (2 MiB) or 3 (1 GiB), a large-page bit at levels 2 and 3, the
 * next table's or the page's address in bits 51:12). A format supplies the
 * constants for those bits and two small functions translating abstract
 * PT_* permissions into leaf bits and back. Formats provided:
 *
 *   pt_format_x86_64   the CPU's own IA-32e 4/5-level paging (SDM Vol. 3A
 *                      4.5); linear addresses, canonical checks, W^X enforced.
 *   pt_format_npt      AMD nested paging (APM Vol. 2 15.25): same bits as
 *                      x86-64, but guest-physical input (no canonical form),
 *                      U/S set everywhere (nested walks are user accesses),
 *                      W+X allowed because guest RAM needs it.
 *   pt_format_ept      Intel EPT (SDM Vol. 3C 29.3.2): R/W/X in bits 2:0,
 *                      memory type in 5:3, large page bit 7.
 *
 *   pt_format_vtd_sl   Intel VT-d second-level tables (VT-d spec 9.8):
 *                      R bit 0, W bit 1, PS bit 7, 3 to 5 levels; PT_R
 *                      and PT_W only (write-only is legal), PT_X and
 *                      PT_UC are accepted and not encoded (DMA never
 *                      executes; memory type comes from the host).
 *                      An IOMMU that does not snoop its tables (ECAP.C=0)
 *                      sets pt_env.flush to write back every entry.
 *
 * Levels are numbered from the leaf: level 1 holds 4 KiB pages (PT), level
 * 2 the page directory, 3 the PDPT, 4 the PML4, 5 the PML5.
 *
 * Semantics:
 *   - pt_map() replaces whatever was mapped in the range: this is how
 *     permissions are tightened (identity-map RAM RW+NX with 1 GiB pages,
 *     then map the kernel's text RX). A large page only partly covered is
 *     split, and the rest of it keeps its address and permissions. A range
 *     that fully covers a subtree replaces it with a large leaf and frees
 *     the subtree's tables.
 *   - pt_map() and pt_unmap() are all-or-nothing: every table they may need
 *     is allocated before the first entry is written, so ENOMEM leaves the
 *     tables exactly as they were.
 *   - Nothing here flushes TLBs (INVLPG, CR3 reload, INVEPT, IOTLB): that is
 *     the caller's job after map/unmap of live tables. Tables handed to
 *     free_table() may still be in paging-structure caches until then, so
 *     the kernel must not reuse those frames before the flush.
 *   - Entries are written with single 64-bit stores, and a split table is
 *     complete before it is linked in, so a concurrent hardware walk sees
 *     either the old or the new translation.
 *   - Not thread safe; the owner serialises calls.
 */
#ifndef KERNEL_PAGETABLE_H
#define KERNEL_PAGETABLE_H

#include "lib/types.h"

/* Abstract permissions and attributes of a mapping. */
enum {
	PT_R = 1,
	PT_W = 2,
	PT_X = 4,
	PT_UC = 8,		/* uncached, for MMIO */
	PT_USER = 16,		/* x86-64 only: user-mode accessible */
	PT_GLOBAL = 32,		/* x86-64 only: survives CR3 reloads */
};
#define PT_FLAGS_ALL (PT_R | PT_W | PT_X | PT_UC | PT_USER | PT_GLOBAL)

/* Leaf sizes, as a mask of the levels that may hold leaves. */
#define PT_4K BIT(1)
#define PT_2M BIT(2)
#define PT_1G BIT(3)

/* Error codes: all negative, 0 is success. */
enum {
	PT_ENOMEM = -1,		/* alloc_table failed */
	PT_EINVAL = -2,		/* bad argument: size 0, unknown flag, levels */
	PT_EALIGN = -3,		/* va, pa or size not 4 KiB aligned */
	PT_ERANGE = -4,		/* va not canonical / too wide, pa too wide */
	PT_EPERM = -5,		/* permissions not allowed or not expressible */
	PT_ENOENT = -6,		/* pt_lookup: not mapped */
};
const char *pt_strerror(int err);

struct pt_env {
	/* pa of a zeroed 4 KiB page, 0 on failure */
	u64 (*alloc_table)(void *ctx);
	void (*free_table)(void *ctx, u64 pa);
	void *(*phys_to_virt)(void *ctx, u64 pa);
	void *ctx;
	/*
	 * Optional (NULL for the CPU's tables; last, so positional
	 * initialisers stay valid): called after the builder wrote
	 * [va, va + len) of a table, so a walker that does not snoop the
	 * CPU caches (VT-d with ECAP.C=0) sees it. Newly allocated tables
	 * must be flushed by alloc_table itself.
	 */
	void (*flush)(void *ctx, const void *va, u64 len);
};

/*
 * Everything the builder needs to know about one entry layout. The shared
 * shape (see above) is fixed; these say which bits mean what.
 */
struct pt_format {
	const char *name;
	u8 min_levels, max_levels;
	u8 pa_bits;		/* architectural maximum physical width */
	bool canonical;		/* inputs are linear addresses: sign-extended
				 * above bit 12 + 9 * levels - 1 */
	u32 leaf_levels;	/* PT_4K | PT_2M | PT_1G it can express */
	u64 addr_mask;		/* where table and page addresses go */
	u64 present_mask;	/* entry present iff any of these is set */
	u64 large_bit;		/* at levels 2/3: entry maps a page */
	u64 table_bits;		/* ORed into an entry pointing at a table:
				 * fully permissive, so the leaves decide */
	/*
	 * Attribute bits of a leaf at level (excluding the address and
	 * large_bit), or a PT_E* error if the flags are not acceptable.
	 */
	int (*make_leaf)(u32 flags, unsigned level, u64 *bits);
	/* The PT_* flags a leaf made by make_leaf carries. */
	u32 (*leaf_flags)(u64 entry);
};

extern const struct pt_format pt_format_x86_64;
extern const struct pt_format pt_format_npt;
extern const struct pt_format pt_format_ept;
extern const struct pt_format pt_format_vtd_sl;

struct pagetable {
	u64 root;		/* pa of the top table: CR3, nCR3, EPTP base */
	unsigned levels;
	const struct pt_format *fmt;
	const struct pt_env *env;
	u32 page_sizes;		/* allowed leaf sizes: PT_4K | PT_2M | PT_1G */
	u8 pa_bits;		/* fmt->pa_bits; lower it to the CPU's
				 * MAXPHYADDR after pt_create */
};

/*
 * Allocate an empty root. page_sizes must include PT_4K, be a subset of
 * what the format can express, and include PT_2M if it includes PT_1G (a
 * 1 GiB page is split into 2 MiB ones). Enable PT_1G only if the CPU has
 * it (CPUID.80000001H:EDX.Page1GB, or the EPT/VT-d capability bits).
 */
int pt_create(struct pagetable *pt, const struct pt_format *fmt,
	      unsigned levels, u32 page_sizes, const struct pt_env *env);

/*
 * Map [va, va + size) to [pa, pa + size) with flags, using the largest
 * allowed page that the alignment of va and pa and the remaining size
 * permit. Replaces existing mappings (see above). va, pa, size must be
 * 4 KiB aligned.
 */
int pt_map(struct pagetable *pt, u64 va, u64 pa, u64 size, u32 flags);

/*
 * Remove [va, va + size), splitting large pages that are only partly
 * covered (guard pages). Unmapped holes are fine. Tables left empty are
 * freed.
 */
int pt_unmap(struct pagetable *pt, u64 va, u64 size);

/*
 * 0 and the translation of va (pa includes va's offset in the page) if it
 * is mapped, PT_ENOENT if not. Output pointers may be NULL.
 */
int pt_lookup(const struct pagetable *pt, u64 va, u64 *pa, u32 *flags,
	      u64 *page_size);

/* Free every table, the root included. */
void pt_destroy(struct pagetable *pt);

#endif
