// SPDX-License-Identifier: MIT
/*
 * Generic IOMMU front end: forwards to the implementation iommu_init()
 * chose. Without an IOMMU every call fails with IOMMU_ENODEV, so callers
 * can tell "no isolation" from success and say so.
 */
#define LOG_SUBSYS "iommu"
#include "iommu/iommu.h"
#include "kernel/log.h"

static const struct iommu_ops *ops;
static struct iommu_domain *hv_domain;

/*
 * Implementations, tried in order. Weak, so an image built without one
 * links and runs without an IOMMU.
 */
int vtd_probe(const struct iommu_ops **out, struct iommu_domain **hv_domain)
	__attribute__((weak));

const char *iommu_strerror(int err)
{
	switch (err) {
	case IOMMU_OK:
		return "ok";
	case IOMMU_ENODEV:
		return "no IOMMU for this device";
	case IOMMU_ENOMEM:
		return "out of memory";
	case IOMMU_EINVAL:
		return "invalid argument";
	case IOMMU_EBUSY:
		return "device already attached";
	case IOMMU_ETIMEOUT:
		return "invalidation timed out";
	case IOMMU_ENOSPC:
		return "no free domain id or interrupt entry";
	default:
		return "unknown error";
	}
}

int iommu_init(void)
{
	int err = vtd_probe ? vtd_probe(&ops, &hv_domain) : IOMMU_ENODEV;

	if (err) {
		ops = NULL;
		pr_warn("running without an IOMMU: %s; devices cannot be assigned\n",
			iommu_strerror(err));
		return err;
	}
	pr_info("%s enabled\n", ops->name);
	return 0;
}

bool iommu_present(void)
{
	return ops != NULL;
}

u64 iommu_unit_pages(void)
{
	return ops && ops->unit_pages ? ops->unit_pages() : 0;
}

struct iommu_domain *iommu_hv_domain(void)
{
	return hv_domain;
}

struct iommu_domain *iommu_domain_create(const char *name)
{
	return ops ? ops->domain_create(name) : NULL;
}

int iommu_domain_destroy(struct iommu_domain *d)
{
	if (!ops)
		return IOMMU_ENODEV;
	return d ? ops->domain_destroy(d) : IOMMU_EINVAL;
}

int iommu_map(struct iommu_domain *d, u64 iova, u64 pa, u64 size, u32 perm)
{
	if (!ops)
		return IOMMU_ENODEV;
	return d ? ops->map(d, iova, pa, size, perm) : IOMMU_EINVAL;
}

int iommu_unmap(struct iommu_domain *d, u64 iova, u64 size)
{
	if (!ops)
		return IOMMU_ENODEV;
	return d ? ops->unmap(d, iova, size) : IOMMU_EINVAL;
}

int iommu_attach(struct iommu_domain *d, u16 segment, u16 rid)
{
	if (!ops)
		return IOMMU_ENODEV;
	return d ? ops->attach(d, segment, rid) : IOMMU_EINVAL;
}

int iommu_detach(struct iommu_domain *d, u16 segment, u16 rid)
{
	if (!ops)
		return IOMMU_ENODEV;
	return d ? ops->detach(d, segment, rid) : IOMMU_EINVAL;
}

void iommu_set_fault_handler(struct iommu_domain *d, iommu_fault_fn fn,
			     void *ctx)
{
	if (ops && d)
		ops->set_fault_handler(d, fn, ctx);
}

int iommu_unit_of(u16 segment, u16 rid)
{
	return ops && ops->unit_of ? ops->unit_of(segment, rid) : -1;
}

/* VF -> PF requester ids, one entry per VF the SR-IOV code enabled. */
static struct {
	u16 segment, vf, pf;
} vfs[IOMMU_MAX_VFS];
static u32 nvfs;

int iommu_add_vf(u16 segment, u16 vf_rid, u16 pf_rid)
{
	u32 i;

	for (i = 0; i < nvfs; i++)
		if (vfs[i].segment == segment && vfs[i].vf == vf_rid) {
			vfs[i].pf = pf_rid;
			return IOMMU_OK;
		}
	if (nvfs == IOMMU_MAX_VFS)
		return IOMMU_ENOSPC;
	vfs[nvfs].segment = segment;
	vfs[nvfs].vf = vf_rid;
	vfs[nvfs++].pf = pf_rid;
	return IOMMU_OK;
}

u16 iommu_scope_rid(u16 segment, u16 rid)
{
	u32 i;

	for (i = 0; i < nvfs; i++)
		if (vfs[i].segment == segment && vfs[i].vf == rid)
			return vfs[i].pf;
	return rid;
}

int iommu_irq_alloc(u16 segment, u16 rid)
{
	return ops ? ops->irq_alloc(segment, rid) : IOMMU_ENODEV;
}

int iommu_irq_program(int handle, const struct iommu_irq_target *t,
		      struct iommu_msi *msi)
{
	return ops ? ops->irq_program(handle, t, msi) : IOMMU_ENODEV;
}

void iommu_irq_free(int handle)
{
	if (ops)
		ops->irq_free(handle);
}

int iommu_irq_alloc_ioapic(u8 ioapic_id)
{
	if (!ops || !ops->irq_alloc_ioapic)
		return IOMMU_ENODEV;
	return ops->irq_alloc_ioapic(ioapic_id);
}

int iommu_ioapic_rte(int handle, u64 *rte)
{
	return ops && ops->ioapic_rte ? ops->ioapic_rte(handle, rte) :
					IOMMU_ENODEV;
}
