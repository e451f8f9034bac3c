// SPDX-License-Identifier: MIT
/*
 * Root and context tables in legacy mode (VT-d spec 3.4.2, 9.1, 9.3): one
 * root table per unit, 256 root entries (one per bus) pointing to context
 * tables of 256 context entries (one per devfn), allocated when a device
 * on that bus is first attached. A context entry names the domain (DID)
 * and its second-level table root; a device without one is blocked
 * (fault reason 0x2 or 0x1).
 *
 * Entries are 128 bits and the unit may read them at any time, so the half
 * without the Present bit is written first when making one present, and
 * the Present half first when tearing one down.
 */
#define LOG_SUBSYS "vtd"
#include "iommu/vtd.h"
#include "kernel/log.h"
#include "kernel/mm.h"

static struct vtd_u128 *root_table(struct vtd_unit *u)
{
	return phys_to_virt(u->root_pa);
}

static void entry_write(struct vtd_unit *u, struct vtd_u128 *e,
			struct vtd_u128 v)
{
	WRITE_ONCE(e->hi, v.hi);
	barrier();
	WRITE_ONCE(e->lo, v.lo);
	vtd_sync(u, e, sizeof(*e));
}

static void entry_clear(struct vtd_unit *u, struct vtd_u128 *e)
{
	WRITE_ONCE(e->lo, 0);
	barrier();
	WRITE_ONCE(e->hi, 0);
	vtd_sync(u, e, sizeof(*e));
}

int vtd_context_init(struct vtd_unit *u)
{
	int err;

	u->root_pa = vtd_alloc_page();
	if (!u->root_pa)
		return IOMMU_ENOMEM;
	/* 11.4.5: legacy translation table mode; then latch it with SRTP. */
	vtd_write64(u, VTD_RTADDR_REG, u->root_pa | VTD_RTADDR_TTM_LEGACY);
	err = vtd_gcmd(u, VTD_GCMD_SRTP, true);
	if (err)
		return err;
	u->live = true;
	return 0;
}

/* The context entry of rid, creating its bus's table if asked; NULL if
 * there is none (or no memory). Called with u->lock held when creating. */
static struct vtd_u128 *context_entry(struct vtd_unit *u, u16 rid,
				      bool create)
{
	struct vtd_u128 *re = &root_table(u)[rid >> 8];
	struct vtd_u128 *ct;
	u64 ct_pa;

	if (!(READ_ONCE(re->lo) & VTD_RE_P)) {
		if (!create)
			return NULL;
		ct_pa = vtd_alloc_page();
		if (!ct_pa)
			return NULL;
		u->context_pages++;
		entry_write(u, re, vtd_root_entry(ct_pa));
	}
	ct = phys_to_virt(READ_ONCE(re->lo) & VTD_RE_CTP);
	return &ct[rid & 0xff];
}

int vtd_context_set(struct vtd_unit *u, u16 rid, struct iommu_domain *d)
{
	struct vtd_inv inv[2] = {
		/* 6.1: with caching mode, not-present entries are cached
		 * under domain 0; flush them so the new entry is seen. */
		{ .kind = VTD_INV_CC, .gran = VTD_GRAN_DEVICE, .did = 0,
		  .sid = rid },
		{ .kind = VTD_INV_IOTLB, .gran = VTD_GRAN_DOMAIN,
		  .did = d->did },
	};
	struct vtd_u128 *ce;
	u64 flags, lo;
	u8 aw = vtd_levels_to_aw(vtd_levels);

	flags = spin_lock_irqsave(&u->lock);
	ce = context_entry(u, rid, true);
	if (!ce) {
		spin_unlock_irqrestore(&u->lock, flags);
		return IOMMU_ENOMEM;
	}
	lo = READ_ONCE(ce->lo);
	if (lo & VTD_CE_LO_P) {
		u16 did = VTD_CE_HI_DID_GET(READ_ONCE(ce->hi));

		spin_unlock_irqrestore(&u->lock, flags);
		return did == d->did ? VTD_CTX_UNCHANGED : IOMMU_EBUSY;
	}
	entry_write(u, ce, vtd_context_entry(d->pt.root, aw, d->did));
	spin_unlock_irqrestore(&u->lock, flags);

	if (u->cm)
		return vtd_invalidate(u, inv, 2);
	vtd_write_buffer_flush(u);
	return 0;
}

int vtd_context_clear(struct vtd_unit *u, u16 rid, struct iommu_domain *d)
{
	struct vtd_inv inv[2] = {
		{ .kind = VTD_INV_CC, .gran = VTD_GRAN_DEVICE, .did = d->did,
		  .sid = rid },
		{ .kind = VTD_INV_IOTLB, .gran = VTD_GRAN_DOMAIN,
		  .did = d->did },
	};
	struct vtd_u128 *ce;
	u64 flags;

	flags = spin_lock_irqsave(&u->lock);
	ce = context_entry(u, rid, false);
	if (!ce || !(READ_ONCE(ce->lo) & VTD_CE_LO_P) ||
	    VTD_CE_HI_DID_GET(READ_ONCE(ce->hi)) != d->did) {
		spin_unlock_irqrestore(&u->lock, flags);
		return IOMMU_EINVAL;
	}
	entry_clear(u, ce);
	spin_unlock_irqrestore(&u->lock, flags);
	/* 6.5.3.3: present-to-not-present needs both caches flushed. */
	return vtd_invalidate(u, inv, 2);
}

/* Lock-free: also called from the fault interrupt. */
u16 vtd_context_did(struct vtd_unit *u, u16 rid)
{
	struct vtd_u128 *ce;

	if (!u->root_pa)
		return 0;
	ce = context_entry(u, rid, false);
	if (!ce || !(READ_ONCE(ce->lo) & VTD_CE_LO_P))
		return 0;
	return VTD_CE_HI_DID_GET(READ_ONCE(ce->hi));
}
