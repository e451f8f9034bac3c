// SPDX-License-Identifier: MIT
/*
 * Domains: one I/O address space each, with one domain id (DID) used on
 * every unit and one second-level page table (kernel/pagetable.c,
 * pt_format_vtd_sl) of the depth all units share. Map and unmap change the
 * table, then invalidate the domain's IOTLB entries on every unit: after
 * unmap always (page-selective when the unit can, else domain-selective),
 * after map only when a unit caches not-present entries (CAP.CM).
 *
 * Page-table frames freed by pt_unmap may still sit in a unit's paging
 * structure cache until the invalidation that follows; callers are
 * serialised by the domain lock and nothing allocates in between.
 */
#define LOG_SUBSYS "vtd"
#include "iommu/vtd.h"
#include "iommu/dmar.h"
#include "iommu/vtd_plan.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/platform.h"
#include "lib/string.h"

static struct iommu_domain domains[VTD_MAX_DOMAINS];
static bool domain_used[VTD_MAX_DOMAINS];
static spinlock_t domains_lock = SPINLOCK_INIT;

static u64 sl_alloc(void *ctx)
{
	return vtd_alloc_page();
}

static void sl_free(void *ctx, u64 pa)
{
	frame_free(pa, 1);
}

static void *sl_virt(void *ctx, u64 pa)
{
	return phys_to_virt(pa);
}

static void sl_flush(void *ctx, const void *va, u64 len)
{
	vtd_flush_cache(va, len);
}

static const struct pt_env sl_env = {
	.alloc_table = sl_alloc,
	.free_table = sl_free,
	.phys_to_virt = sl_virt,
	.ctx = NULL,
	.flush = sl_flush,
};

static const struct pt_env sl_env_coherent = {
	.alloc_table = sl_alloc,
	.free_table = sl_free,
	.phys_to_virt = sl_virt,
	.ctx = NULL,
};

/* Domain ids every unit supports: CAP.ND gives 2^(4 + 2 ND). DID 0 is
 * never used (with CAP.CM it tags cached not-present entries, 6.1). */
static u32 max_did(void)
{
	u32 i, n = VTD_MAX_DOMAINS;

	for (i = 0; i < vtd_nunits; i++)
		n = MIN(n, 1u << (4 + 2 * VTD_CAP_ND(vtd_units[i].cap)));
	return n;
}

static u64 max_iova(void)
{
	u64 mgaw = 64;
	u32 i;

	for (i = 0; i < vtd_nunits; i++)
		mgaw = MIN(mgaw, VTD_CAP_MGAW(vtd_units[i].cap));
	mgaw = MIN(mgaw, 12 + 9 * (u64)vtd_levels);
	return (1ull << mgaw) - 1;
}

static bool any_noncoherent(void)
{
	u32 i;

	for (i = 0; i < vtd_nunits; i++)
		if (!vtd_units[i].coherent)
			return true;
	return false;
}

struct iommu_domain *vtd_domain_create(const char *name)
{
	struct iommu_domain *d = NULL;
	u32 did, n = max_did();
	u64 flags;
	int err;

	flags = spin_lock_irqsave(&domains_lock);
	for (did = 1; did < n; did++)
		if (!domain_used[did]) {
			domain_used[did] = true;
			d = &domains[did];
			break;
		}
	spin_unlock_irqrestore(&domains_lock, flags);
	if (!d) {
		pr_err("domain %s: no free domain id (%u in use)\n", name, n - 1);
		return NULL;
	}
	memset(d, 0, sizeof(*d));
	strlcpy(d->name, name, sizeof(d->name));
	d->did = (u16)did;
	d->lock = (spinlock_t)SPINLOCK_INIT;
	d->max_iova = max_iova();
	err = pt_create(&d->pt, &pt_format_vtd_sl, vtd_levels, vtd_page_sizes,
			any_noncoherent() ? &sl_env : &sl_env_coherent);
	if (err) {
		pr_err("domain %s: %s\n", name, pt_strerror(err));
		domain_used[did] = false;
		return NULL;
	}
	pr_info("domain %u (%s): %u-level tables at %#llx, IOVA up to %#llx\n",
		d->did, d->name, vtd_levels, d->pt.root, d->max_iova);
	return d;
}

/* IOTLB entries of d for [iova, iova + size) on every unit. */
static int flush_iotlb(struct iommu_domain *d, u64 iova, u64 size)
{
	struct vtd_inv r = { .kind = VTD_INV_IOTLB, .gran = VTD_GRAN_DOMAIN,
			     .did = d->did };
	u64 base;
	u32 i;
	int am, err = 0;

	for (i = 0; i < vtd_nunits; i++) {
		struct vtd_unit *u = &vtd_units[i];

		r.gran = VTD_GRAN_DOMAIN;
		am = size ? vtd_psi_mask(iova, size,
					 (unsigned)VTD_CAP_MAMV(u->cap), &base)
			  : -1;
		if ((u->cap & VTD_CAP_PSI) && am >= 0) {
			r.gran = VTD_GRAN_PAGE;
			r.addr = base;
			r.am = (u8)am;
		}
		err = vtd_invalidate(u, &r, 1) ?: err;
	}
	return err;
}

int vtd_domain_destroy(struct iommu_domain *d)
{
	u64 flags;

	if (d->attached) {
		pr_err("domain %u (%s): not destroyed, %u device(s) attached\n",
		       d->did, d->name, d->attached);
		return IOMMU_EBUSY;
	}
	pt_destroy(&d->pt);
	(void)flush_iotlb(d, 0, 0);
	flags = spin_lock_irqsave(&domains_lock);
	domain_used[d->did] = false;
	spin_unlock_irqrestore(&domains_lock, flags);
	return IOMMU_OK;
}

static u32 perm_flags(u32 perm)
{
	return (perm & IOMMU_READ ? PT_R : 0) | (perm & IOMMU_WRITE ? PT_W : 0);
}

static int pt_to_iommu(int err)
{
	switch (err) {
	case 0:
		return IOMMU_OK;
	case PT_ENOMEM:
		return IOMMU_ENOMEM;
	default:
		return IOMMU_EINVAL;
	}
}

int vtd_map(struct iommu_domain *d, u64 iova, u64 pa, u64 size, u32 perm)
{
	u64 flags;
	u32 i;
	bool cm = false;
	int err;

	if (!size || iova + size - 1 < iova || iova + size - 1 > d->max_iova ||
	    !(perm & (IOMMU_READ | IOMMU_WRITE)) ||
	    (perm & ~(IOMMU_READ | IOMMU_WRITE))) {
		pr_err("domain %u: bad map %#llx+%#llx perm %#x\n", d->did,
		       iova, size, perm);
		return IOMMU_EINVAL;
	}
	flags = spin_lock_irqsave(&d->lock);
	err = pt_map(&d->pt, iova, pa, size, perm_flags(perm));
	spin_unlock_irqrestore(&d->lock, flags);
	if (err) {
		pr_err("domain %u: map %#llx+%#llx -> %#llx: %s\n", d->did,
		       iova, size, pa, pt_strerror(err));
		return pt_to_iommu(err);
	}
	for (i = 0; i < vtd_nunits; i++)
		cm |= vtd_units[i].cm;
	/*
	 * pt_map may replace a present mapping (tightened permissions), so
	 * flush whenever the domain is in use; with caching mode even new
	 * mappings must be flushed (6.1).
	 */
	if (cm || d->attached)
		return flush_iotlb(d, iova, size);
	for (i = 0; i < vtd_nunits; i++)
		vtd_write_buffer_flush(&vtd_units[i]);
	return 0;
}

int vtd_unmap(struct iommu_domain *d, u64 iova, u64 size)
{
	u64 flags;
	int err;

	if (!size || iova + size - 1 < iova || iova + size - 1 > d->max_iova)
		return IOMMU_EINVAL;
	flags = spin_lock_irqsave(&d->lock);
	err = pt_unmap(&d->pt, iova, size);
	spin_unlock_irqrestore(&d->lock, flags);
	if (err)
		return pt_to_iommu(err);
	return flush_iotlb(d, iova, size);
}

int vtd_attach(struct iommu_domain *d, u16 segment, u16 rid)
{
	struct vtd_unit *u = vtd_unit_for(segment, rid);
	int err;

	if (!u) {
		pr_err("%04x:%02x:%02x.%u is outside every remapping unit\n",
		       segment, rid >> 8, (rid >> 3) & 31, rid & 7);
		return IOMMU_ENODEV;
	}
	err = vtd_context_set(u, rid, d);
	if (err == VTD_CTX_UNCHANGED)
		return IOMMU_OK;	/* already attached here: counted once */
	if (err) {
		pr_err("attach %02x:%02x.%u to domain %u: %s\n", rid >> 8,
		       (rid >> 3) & 31, rid & 7, d->did, iommu_strerror(err));
		return err;
	}
	__atomic_add_fetch(&d->attached, 1, __ATOMIC_RELAXED);
	pr_info("%02x:%02x.%u attached to domain %u (%s) on unit %u\n",
		rid >> 8, (rid >> 3) & 31, rid & 7, d->did, d->name, u->index);
	return 0;
}

int vtd_detach(struct iommu_domain *d, u16 segment, u16 rid)
{
	struct vtd_unit *u = vtd_unit_for(segment, rid);
	int err;

	if (!u)
		return IOMMU_ENODEV;
	err = vtd_context_clear(u, rid, d);
	if (err)
		return err;
	__atomic_sub_fetch(&d->attached, 1, __ATOMIC_RELAXED);
	pr_info("%02x:%02x.%u detached from domain %u (%s)\n", rid >> 8,
		(rid >> 3) & 31, rid & 7, d->did, d->name);
	return 0;
}

void vtd_set_fault_handler(struct iommu_domain *d, iommu_fault_fn fn,
			   void *ctx)
{
	d->fault_ctx = ctx;
	WRITE_ONCE(d->fault_fn, fn);
}

struct iommu_domain *vtd_domain_by_did(u16 did)
{
	if (!did || did >= VTD_MAX_DOMAINS || !domain_used[did])
		return NULL;
	return &domains[did];
}

/* ---- the hypervisor's own domain ---------------------------------------- */

struct hv_map_ctx {
	struct iommu_domain *d;
	u64 bytes;
	u32 spans;
	int err;
};

static void hv_map_span(void *ctx, u64 base, u64 size)
{
	struct hv_map_ctx *c = ctx;
	int err;

	if (c->err)
		return;
	if (base + size - 1 > c->d->max_iova) {
		pr_warn("RAM %#llx+%#llx above the IOVA width: not DMA-mapped\n",
			base, size);
		return;
	}
	err = vtd_map(c->d, base, base, size, IOMMU_READ | IOMMU_WRITE);
	c->err = err;
	c->bytes += size;
	c->spans++;
}

/*
 * 8.4: RMRR ranges must stay reachable by their devices, rounded out to
 * whole pages (vtd_rmrr_pages). One odd RMRR (beyond the IOVA width, or
 * refused by the page tables) is reported and skipped: it costs its
 * device that range, never VT-d. Only running out of memory fails.
 */
static u32 map_rmrrs(struct hv_map_ctx *c)
{
	struct dmar_rmrr rm;
	u32 cursor = 0, n = 0;
	u64 base, size;
	int err;

	while (!c->err &&
	       dmar_next_rmrr(platform.acpi.dmar, &cursor, &rm) == 1) {
		if (!vtd_rmrr_pages(&rm, c->d->max_iova, &base, &size)) {
			pr_warn("RMRR %#llx-%#llx: beyond the %#llx IOVA width, not mapped\n",
				rm.base, rm.limit, c->d->max_iova);
			continue;
		}
		err = vtd_map(c->d, base, base, size, IOMMU_READ | IOMMU_WRITE);
		if (err == IOMMU_ENOMEM) {
			c->err = err;
		} else if (err) {
			pr_warn("RMRR %#llx-%#llx: not mapped (%s)\n", rm.base,
				rm.limit, iommu_strerror(err));
		} else {
			n++;
		}
	}
	return n;
}

struct iommu_domain *vtd_hv_domain_build(void)
{
	struct hv_map_ctx c = { .d = vtd_domain_create("hypervisor") };
	u32 rmrrs;

	if (!c.d)
		return NULL;
	mm_for_each_ram_region(hv_map_span, &c);
	rmrrs = map_rmrrs(&c);
	if (c.err) {
		pr_err("hypervisor domain: %s\n", iommu_strerror(c.err));
		pt_destroy(&c.d->pt);
		domain_used[c.d->did] = false;
		return NULL;
	}
	pr_info("hypervisor domain %u: %u RAM spans, %llu MiB identity-mapped, %u RMRR range(s)\n",
		c.d->did, c.spans, c.bytes >> 20, rmrrs);
	return c.d;
}
