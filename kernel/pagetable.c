// SPDX-License-Identifier: MIT
/*
 * Page-table builder; see pagetable.h for the contract.
 *
 * pt_map() and pt_unmap() are one recursive walk over [va, last] run twice:
 * count_tables() works out how many tables the change needs without
 * touching anything, reserve() allocates exactly that many up front, and
 * apply() then makes the change and cannot fail. This is what makes both
 * calls all-or-nothing without an undo log.
 *
 * Within one table, the request is cut into pieces, one per entry. For each
 * piece classify() decides:
 *   SET      write a leaf (map) or clear the entry (unmap) for the whole
 *            entry; any subtree under it is freed.
 *   KEEP     nothing to do (unmap of a hole; map over a large leaf that
 *            already gives exactly this translation).
 *   DESCEND  recurse into the next level, creating the table (empty, or the
 *            split of a large leaf) if there is none.
 */
#include "kernel/pagetable.h"

#define PT_ENTRIES 512u
#define PT_INDEX_BITS 9

/* ---- entry formats ----------------------------------------------------- */

/*
 * IA-32e paging entries, Intel SDM Vol. 3A 4.5, Tables 4-15 (PML4E), 4-16
 * (PDPTE, 1 GiB page), 4-17 (PDPTE -> PD), 4-18 (PDE, 2 MiB page), 4-19
 * (PDE -> PT) and 4-20 (PTE). AMD's long-mode tables, and its nested page
 * tables, use the same layout (AMD APM Vol. 2 chapter 5 and 15.25).
 */
#define X86_P		BIT(0)		/* present */
#define X86_RW		BIT(1)		/* writes allowed */
#define X86_US		BIT(2)		/* user-mode accesses allowed */
#define X86_PWT		BIT(3)		/* page-level write-through */
#define X86_PCD		BIT(4)		/* page-level cache disable */
#define X86_A		BIT(5)		/* accessed */
#define X86_D		BIT(6)		/* dirty (leaves) */
#define X86_PS		BIT(7)		/* PDPTE/PDE: maps a 1G/2M page */
#define X86_G		BIT(8)		/* global (leaves) */
#define X86_ADDR	GENMASK(51, 12)	/* M-1:12, zero above MAXPHYADDR */
#define X86_XD		BIT(63)		/* execute-disable (EFER.NXE=1) */

/*
 * PAT=0 PCD=1 PWT=1 selects PAT entry 3, which is UC in the power-on PAT
 * (SDM Vol. 3A, "Page Attribute Table"); the kernel never reprograms it.
 */
#define X86_CACHE_UC	(X86_PCD | X86_PWT)

/*
 * Every present x86 page is readable: there is no write-only or
 * execute-only encoding, so PT_R is required.
 */
static int x86_attr(u32 flags, u64 *bits)
{
	u64 b = X86_P;

	if (flags & ~PT_FLAGS_ALL)
		return PT_EINVAL;
	if (!(flags & PT_R))
		return PT_EPERM;
	if (flags & PT_W)
		b |= X86_RW;
	if (!(flags & PT_X))
		b |= X86_XD;
	if (flags & PT_USER)
		b |= X86_US;
	if (flags & PT_GLOBAL)
		b |= X86_G;
	if (flags & PT_UC)
		b |= X86_CACHE_UC;
	*bits = b;
	return 0;
}

/* The hypervisor's own tables: no page is both writable and executable. */
static int x86_64_make_leaf(u32 flags, unsigned level, u64 *bits)
{
	if ((flags & (PT_W | PT_X)) == (PT_W | PT_X))
		return PT_EPERM;
	return x86_attr(flags, bits);
}

static u32 x86_leaf_flags(u64 e)
{
	u32 flags = PT_R;

	if (e & X86_RW)
		flags |= PT_W;
	if (!(e & X86_XD))
		flags |= PT_X;
	if (e & X86_US)
		flags |= PT_USER;
	if (e & X86_G)
		flags |= PT_GLOBAL;
	if ((e & X86_CACHE_UC) == X86_CACHE_UC)
		flags |= PT_UC;
	return flags;
}

const struct pt_format pt_format_x86_64 = {
	.name = "x86-64",
	.min_levels = 4,
	.max_levels = 5,
	.pa_bits = 52,
	.canonical = true,
	.leaf_levels = PT_4K | PT_2M | PT_1G,
	.addr_mask = X86_ADDR,
	.present_mask = X86_P,
	.large_bit = X86_PS,
	/* U/S too: the CPU ANDs U/S over the levels, so the leaf decides */
	.table_bits = X86_P | X86_RW | X86_US,
	.make_leaf = x86_64_make_leaf,
	.leaf_flags = x86_leaf_flags,
};

/*
 * AMD NPT: nested walks are treated as user accesses (APM Vol. 2 15.25),
 * so U/S must be set at every level; W+X is normal for guest RAM; G has no
 * meaning in a nested table.
 */
static int npt_make_leaf(u32 flags, unsigned level, u64 *bits)
{
	if (flags & PT_GLOBAL)
		return PT_EINVAL;
	return x86_attr(flags | PT_USER, bits);
}

static u32 npt_leaf_flags(u64 e)
{
	return x86_leaf_flags(e) & ~(u32)PT_USER;
}

const struct pt_format pt_format_npt = {
	.name = "amd-npt",
	.min_levels = 4,
	.max_levels = 5,
	.pa_bits = 52,
	.canonical = false,
	.leaf_levels = PT_4K | PT_2M | PT_1G,
	.addr_mask = X86_ADDR,
	.present_mask = X86_P,
	.large_bit = X86_PS,
	.table_bits = X86_P | X86_RW | X86_US,
	.make_leaf = npt_make_leaf,
	.leaf_flags = npt_leaf_flags,
};

/*
 * EPT paging-structure entries, Intel SDM Vol. 3C 29.3.2 (EPT translation
 * mechanism): bits 2:0 read/write/execute (an entry with all three clear
 * is not present), bits 5:3 the EPT memory type of a leaf (reserved in
 * non-leaf entries), bit 6 ignore PAT, bit 7 large page in PDPTE/PDE.
 * Memory types are encoded as for the MTRRs and PAT: 0 UC, 6 WB.
 */
#define EPT_R		BIT(0)
#define EPT_W		BIT(1)
#define EPT_X		BIT(2)	/* supervisor-mode execute if MBEC is on */
#define EPT_MT_SHIFT	3
#define EPT_MT_MASK	GENMASK(5, 3)
#define EPT_MT_UC	0ull
#define EPT_MT_WB	6ull
#define EPT_LARGE	BIT(7)
#define EPT_ADDR	GENMASK(51, 12)

static int ept_make_leaf(u32 flags, unsigned level, u64 *bits)
{
	u64 b = 0;

	if (flags & ~(PT_R | PT_W | PT_X | PT_UC))
		return PT_EINVAL;	/* PT_USER/PT_GLOBAL: no EPT meaning */
	if (!(flags & (PT_R | PT_W | PT_X)))
		return PT_EPERM;	/* would read as not present */
	if ((flags & (PT_R | PT_W)) == PT_W)
		return PT_EPERM;	/* write-only: EPT misconfiguration */
	if (flags & PT_R)
		b |= EPT_R;
	if (flags & PT_W)
		b |= EPT_W;
	if (flags & PT_X)
		b |= EPT_X;	/* X without R needs execute-only support */
	b |= (flags & PT_UC ? EPT_MT_UC : EPT_MT_WB) << EPT_MT_SHIFT;
	*bits = b;
	return 0;
}

static u32 ept_leaf_flags(u64 e)
{
	u32 flags = 0;

	if (e & EPT_R)
		flags |= PT_R;
	if (e & EPT_W)
		flags |= PT_W;
	if (e & EPT_X)
		flags |= PT_X;
	if (((e & EPT_MT_MASK) >> EPT_MT_SHIFT) == EPT_MT_UC)
		flags |= PT_UC;
	return flags;
}

const struct pt_format pt_format_ept = {
	.name = "intel-ept",
	.min_levels = 4,
	.max_levels = 5,
	.pa_bits = 52,
	.canonical = false,
	.leaf_levels = PT_4K | PT_2M | PT_1G,
	.addr_mask = EPT_ADDR,
	.present_mask = EPT_R | EPT_W | EPT_X,
	.large_bit = EPT_LARGE,
	.table_bits = EPT_R | EPT_W | EPT_X,
	.make_leaf = ept_make_leaf,
	.leaf_flags = ept_leaf_flags,
};

/*
 * VT-d second-level paging entries, VT-d spec 9.8 (Tables 9-x, "Format of
 * Second-Level Paging Entries"): bit 0 read, bit 1 write (an entry with
 * both clear is not present), bit 7 page size in SL-PDPE/SL-PDE, bit 11
 * snoop (only with ECAP.SC; not used), address 51:12 (bits above the
 * unit's host address width must be 0: pagetable.pa_bits). Execute (bit 2)
 * exists only with ECAP.SLEE and is never set: DMA does not execute.
 */
#define VTD_SL_R	BIT(0)
#define VTD_SL_W	BIT(1)
#define VTD_SL_PS	BIT(7)
#define VTD_SL_ADDR	GENMASK(51, 12)

static int vtd_sl_make_leaf(u32 flags, unsigned level, u64 *bits)
{
	u64 b = 0;

	if (flags & ~(PT_R | PT_W | PT_X | PT_UC))
		return PT_EINVAL;	/* PT_USER/PT_GLOBAL: no VT-d meaning */
	if (!(flags & (PT_R | PT_W)))
		return PT_EPERM;	/* would read as not present */
	if (flags & PT_R)
		b |= VTD_SL_R;
	if (flags & PT_W)
		b |= VTD_SL_W;
	*bits = b;
	return 0;
}

static u32 vtd_sl_leaf_flags(u64 e)
{
	return (e & VTD_SL_R ? PT_R : 0) | (e & VTD_SL_W ? PT_W : 0);
}

const struct pt_format pt_format_vtd_sl = {
	.name = "vtd-sl",
	.min_levels = 3,
	.max_levels = 5,
	.pa_bits = 52,
	.canonical = false,
	.leaf_levels = PT_4K | PT_2M | PT_1G,
	.addr_mask = VTD_SL_ADDR,
	.present_mask = VTD_SL_R | VTD_SL_W,
	.large_bit = VTD_SL_PS,
	.table_bits = VTD_SL_R | VTD_SL_W,
	.make_leaf = vtd_sl_make_leaf,
	.leaf_flags = vtd_sl_leaf_flags,
};

/* ---- generic radix-tree helpers --------------------------------------- */

const char *pt_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case PT_ENOMEM:
		return "out of page-table memory";
	case PT_EINVAL:
		return "invalid argument";
	case PT_EALIGN:
		return "address or size not page aligned";
	case PT_ERANGE:
		return "address outside the translatable range";
	case PT_EPERM:
		return "permissions not allowed or not expressible";
	case PT_ENOENT:
		return "not mapped";
	default:
		return "unknown page-table error";
	}
}

static unsigned level_shift(unsigned level)
{
	return PAGE_SHIFT + PT_INDEX_BITS * (level - 1);
}

static u64 level_size(unsigned level)
{
	return 1ull << level_shift(level);
}

static unsigned level_index(u64 va, unsigned level)
{
	return (va >> level_shift(level)) & (PT_ENTRIES - 1);
}

static u64 *table_virt(const struct pagetable *pt, u64 pa)
{
	return pt->env->phys_to_virt(pt->env->ctx, pa);
}

/*
 * Entries of live tables are read and written with single 64-bit accesses
 * the compiler may not tear or merge: the MMU walks them concurrently.
 */
static u64 entry_read(const u64 *e)
{
	return *(const volatile u64 *)e;
}

static void entry_write(u64 *e, u64 v)
{
	*(volatile u64 *)e = v;
}

/* Write back what a non-snooping walker (pt_env.flush) must see. */
static void pt_sync(const struct pagetable *pt, const void *va, u64 len)
{
	if (pt->env->flush)
		pt->env->flush(pt->env->ctx, va, len);
}

static void entry_set(const struct pagetable *pt, u64 *e, u64 v)
{
	entry_write(e, v);
	pt_sync(pt, e, sizeof(*e));
}

static bool entry_present(const struct pagetable *pt, u64 e)
{
	return e & pt->fmt->present_mask;
}

/* Only called on present entries. */
static bool entry_is_leaf(const struct pagetable *pt, u64 e, unsigned level)
{
	return level == 1 || (level <= 3 && (e & pt->fmt->large_bit));
}

static u64 entry_table(const struct pagetable *pt, u64 e)
{
	return e & pt->fmt->addr_mask;
}

static u64 *child_virt(const struct pagetable *pt, u64 e)
{
	return table_virt(pt, entry_table(pt, e));
}

/* PAT sits at bit 12 of large leaves: mask by the page size, not just 12. */
static u64 leaf_pa(const struct pagetable *pt, u64 e, unsigned level)
{
	return e & pt->fmt->addr_mask & ~(level_size(level) - 1);
}

static int make_leaf(const struct pagetable *pt, u64 pa, u32 flags,
		     unsigned level, u64 *entry)
{
	u64 bits;
	int err;

	err = pt->fmt->make_leaf(flags, level, &bits);
	if (err)
		return err;
	*entry = (pa & pt->fmt->addr_mask) | bits |
		 (level > 1 ? pt->fmt->large_bit : 0);
	return 0;
}

static void free_subtree(const struct pagetable *pt, u64 table_pa,
			 unsigned level)
{
	u64 *t = table_virt(pt, table_pa);
	unsigned i;
	u64 e;

	for (i = 0; level > 1 && i < PT_ENTRIES; i++) {
		e = entry_read(&t[i]);
		if (entry_present(pt, e) && !entry_is_leaf(pt, e, level))
			free_subtree(pt, entry_table(pt, e), level - 1);
	}
	pt->env->free_table(pt->env->ctx, table_pa);
}

static bool table_empty(const struct pagetable *pt, u64 table_pa)
{
	u64 *t = table_virt(pt, table_pa);
	unsigned i;

	for (i = 0; i < PT_ENTRIES; i++)
		if (entry_present(pt, entry_read(&t[i])))
			return false;
	return true;
}

/* Is [va, last] translatable at all by this table? */
static int check_va(const struct pagetable *pt, u64 va, u64 last)
{
	unsigned width = PAGE_SHIFT + PT_INDEX_BITS * pt->levels;
	unsigned sh = 64 - width;

	if (last < va)
		return PT_ERANGE;
	if (!pt->fmt->canonical)
		return (last >> width) ? PT_ERANGE : 0;
	/* Both ends sign-extended from bit width-1, and on the same side. */
	if ((u64)((s64)(va << sh) >> sh) != va ||
	    (u64)((s64)(last << sh) >> sh) != last ||
	    ((va ^ last) >> (width - 1)))
		return PT_ERANGE;
	return 0;
}

/* ---- the two-pass walk ------------------------------------------------ */

enum pt_op { PT_OP_MAP, PT_OP_UNMAP };
enum pt_action { PT_SET, PT_KEEP, PT_DESCEND };

struct pt_walk {
	struct pagetable *pt;
	enum pt_op op;
	u64 va;		/* start of the request, for pa_of() */
	u64 pa;
	u32 flags;	/* as leaf_flags() will read them back */
	u64 reserve;	/* preallocated tables, chained through word 0 */
};

static u64 pa_of(const struct pt_walk *w, u64 va)
{
	return w->pa + (va - w->va);
}

/*
 * Decide what piece [s, last] of the entry e at level needs. virt is true
 * when the table does not exist yet (count pass only): then it is either
 * empty (map) or the split of a large leaf (map or unmap), and in both
 * cases a partial piece needs a table below, since KEEP on a split child
 * would already have been KEEP on its parent.
 */
static enum pt_action classify(const struct pt_walk *w, unsigned level, u64 e,
			       bool virt, u64 s, u64 last)
{
	const struct pagetable *pt = w->pt;
	u64 span = level_size(level);
	bool full = IS_ALIGNED(s, span) && last - s == span - 1;
	u64 lpa;

	if (w->op == PT_OP_UNMAP) {
		if (full)
			return PT_SET;
		if (virt)
			return PT_DESCEND;
		return entry_present(pt, e) ? PT_DESCEND : PT_KEEP;
	}
	if (full && (pt->page_sizes & BIT(level)) &&
	    IS_ALIGNED(pa_of(w, s), span))
		return PT_SET;
	if (virt || !entry_present(pt, e) || !entry_is_leaf(pt, e, level))
		return PT_DESCEND;
	/* A large leaf that already says exactly this: don't split it. */
	lpa = leaf_pa(pt, e, level);
	if (pt->fmt->leaf_flags(e) == w->flags &&
	    lpa + (s & (span - 1)) == pa_of(w, s))
		return PT_KEEP;
	return PT_DESCEND;
}

/*
 * The last address of the piece of [s, last] that falls into the entry
 * (of the given level) holding s.
 */
static u64 piece_end(u64 s, u64 last, unsigned level)
{
	u64 span_last = (s | (level_size(level) - 1));

	return MIN(span_last, last);
}

/* Tables the change needs below table (NULL: not allocated yet). */
static u64 count_tables(const struct pt_walk *w, u64 *table, unsigned level,
			u64 va, u64 last)
{
	const struct pagetable *pt = w->pt;
	u64 s, plast, e = 0, n = 0;

	for (s = va;; s = plast + 1) {
		plast = piece_end(s, last, level);
		if (table)
			e = entry_read(&table[level_index(s, level)]);
		if (classify(w, level, e, !table, s, plast) == PT_DESCEND) {
			if (table && entry_present(pt, e) &&
			    !entry_is_leaf(pt, e, level))
				n += count_tables(w, child_virt(pt, e),
						  level - 1, s, plast);
			else
				n += 1 + count_tables(w, NULL, level - 1, s,
						      plast);
		}
		if (plast == last)
			break;
	}
	return n;
}

static void reserve_release(struct pt_walk *w)
{
	const struct pt_env *env = w->pt->env;
	u64 pa;

	while (w->reserve) {
		pa = w->reserve;
		w->reserve = *(u64 *)table_virt(w->pt, pa);
		env->free_table(env->ctx, pa);
	}
}

static int reserve(struct pt_walk *w, u64 n)
{
	const struct pt_env *env = w->pt->env;
	u64 pa;

	for (; n; n--) {
		pa = env->alloc_table(env->ctx);
		if (!pa) {
			reserve_release(w);
			return PT_ENOMEM;
		}
		*(u64 *)table_virt(w->pt, pa) = w->reserve;
		w->reserve = pa;
	}
	return 0;
}

/* A zeroed table from the reserve; count_tables() guaranteed there is one. */
static u64 reserve_take(struct pt_walk *w)
{
	u64 pa = w->reserve;
	u64 *t = table_virt(w->pt, pa);

	w->reserve = t[0];
	t[0] = 0;
	pt_sync(w->pt, t, sizeof(*t));
	return pa;
}

/*
 * A table at level - 1 giving exactly the translation of the large leaf e:
 * same flags, consecutive addresses. Filled before anyone can see it.
 */
static u64 split_leaf(struct pt_walk *w, u64 e, unsigned level)
{
	const struct pagetable *pt = w->pt;
	u64 child = reserve_take(w);
	u64 *t = table_virt(pt, child);
	u64 base = leaf_pa(pt, e, level);
	u64 step = level_size(level - 1);
	u32 flags = pt->fmt->leaf_flags(e);
	unsigned i;

	/* Cannot fail: the flags were accepted when e was made. */
	for (i = 0; i < PT_ENTRIES; i++)
		(void)make_leaf(pt, base + i * step, flags, level - 1, &t[i]);
	pt_sync(pt, t, PAGE_SIZE);
	return child;
}

static void apply(struct pt_walk *w, u64 *table, unsigned level, u64 va,
		  u64 last)
{
	const struct pagetable *pt = w->pt;
	u64 s, plast, e, ne, child;
	u64 *ep;

	for (s = va;; s = plast + 1) {
		plast = piece_end(s, last, level);
		ep = &table[level_index(s, level)];
		e = entry_read(ep);
		switch (classify(w, level, e, false, s, plast)) {
		case PT_KEEP:
			break;
		case PT_SET:
			ne = 0;
			if (w->op == PT_OP_MAP)
				(void)make_leaf(pt, pa_of(w, s), w->flags,
						level, &ne);
			entry_set(pt, ep, ne);
			/* New entry in place: the old subtree is dead. */
			if (entry_present(pt, e) &&
			    !entry_is_leaf(pt, e, level))
				free_subtree(pt, entry_table(pt, e),
					     level - 1);
			break;
		case PT_DESCEND:
			if (!entry_present(pt, e)) {
				child = reserve_take(w);
				entry_set(pt, ep, child | pt->fmt->table_bits);
			} else if (entry_is_leaf(pt, e, level)) {
				child = split_leaf(w, e, level);
				entry_set(pt, ep, child | pt->fmt->table_bits);
			} else {
				child = entry_table(pt, e);
			}
			apply(w, table_virt(pt, child), level - 1, s, plast);
			if (w->op == PT_OP_UNMAP && table_empty(pt, child)) {
				entry_set(pt, ep, 0);
				pt->env->free_table(pt->env->ctx, child);
			}
			break;
		}
		if (plast == last)
			break;
	}
}

static int walk(struct pt_walk *w, u64 last)
{
	struct pagetable *pt = w->pt;
	u64 *root = table_virt(pt, pt->root);
	int err;

	err = reserve(w, count_tables(w, root, pt->levels, w->va, last));
	if (err)
		return err;
	apply(w, root, pt->levels, w->va, last);
	/* Empty unless count_tables() and apply() disagree. */
	reserve_release(w);
	return 0;
}

/* ---- public interface ------------------------------------------------ */

int pt_create(struct pagetable *pt, const struct pt_format *fmt,
	      unsigned levels, u32 page_sizes, const struct pt_env *env)
{
	pt->root = 0;
	if (levels < fmt->min_levels || levels > fmt->max_levels)
		return PT_EINVAL;
	/* 1G pages split into 2M ones, so they come together. */
	if (!(page_sizes & PT_4K) || (page_sizes & ~fmt->leaf_levels) ||
	    ((page_sizes & PT_1G) && !(page_sizes & PT_2M)))
		return PT_EINVAL;
	pt->levels = levels;
	pt->fmt = fmt;
	pt->env = env;
	pt->page_sizes = page_sizes;
	pt->pa_bits = fmt->pa_bits;
	pt->root = env->alloc_table(env->ctx);
	return pt->root ? 0 : PT_ENOMEM;
}

int pt_map(struct pagetable *pt, u64 va, u64 pa, u64 size, u32 flags)
{
	struct pt_walk w = {
		.pt = pt, .op = PT_OP_MAP, .va = va, .pa = pa,
	};
	u64 bits;
	int err;

	if (!size)
		return PT_EINVAL;
	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE))
		return PT_EALIGN;
	err = check_va(pt, va, va + size - 1);
	if (err)
		return err;
	if (pa + size - 1 < pa || ((pa + size - 1) >> pt->pa_bits))
		return PT_ERANGE;
	err = pt->fmt->make_leaf(flags, 1, &bits);
	if (err)
		return err;
	/* classify() compares with leaf_flags(): normalise the same way. */
	w.flags = pt->fmt->leaf_flags(bits);
	return walk(&w, va + size - 1);
}

int pt_unmap(struct pagetable *pt, u64 va, u64 size)
{
	struct pt_walk w = { .pt = pt, .op = PT_OP_UNMAP, .va = va };
	int err;

	if (!size)
		return PT_EINVAL;
	if (!IS_ALIGNED(va | size, PAGE_SIZE))
		return PT_EALIGN;
	err = check_va(pt, va, va + size - 1);
	if (err)
		return err;
	return walk(&w, va + size - 1);
}

int pt_lookup(const struct pagetable *pt, u64 va, u64 *pa, u32 *flags,
	      u64 *page_size)
{
	u64 *t = table_virt(pt, pt->root);
	unsigned level;
	u64 e;

	if (check_va(pt, va, va))
		return PT_ERANGE;
	/* Ends at level 1 at the latest: every level-1 entry is a leaf. */
	for (level = pt->levels;; level--) {
		e = entry_read(&t[level_index(va, level)]);
		if (!entry_present(pt, e))
			return PT_ENOENT;
		if (entry_is_leaf(pt, e, level))
			break;
		t = child_virt(pt, e);
	}
	if (pa)
		*pa = leaf_pa(pt, e, level) + (va & (level_size(level) - 1));
	if (flags)
		*flags = pt->fmt->leaf_flags(e);
	if (page_size)
		*page_size = level_size(level);
	return 0;
}

void pt_destroy(struct pagetable *pt)
{
	if (!pt->root)
		return;
	free_subtree(pt, pt->root, pt->levels);
	pt->root = 0;
}
