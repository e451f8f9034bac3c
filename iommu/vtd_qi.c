// SPDX-License-Identifier: MIT
/*
 * Every invalidation goes through vtd_invalidate(): with queued
 * invalidation (6.5.2) the requests become descriptors followed by a wait
 * descriptor whose status write tells us they are done; without QI (older
 * units) context-cache and IOTLB requests go through CCMD_REG and
 * IOTLB_REG (6.5.1, 11.4.6, 11.4.8). Completion is awaited with a bound:
 * a unit that does not answer is reported and the call fails with
 * IOMMU_ETIMEOUT; it never hangs the hypervisor.
 */
#define LOG_SUBSYS "vtd"
#include "iommu/vtd.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/timer.h"

#define INV_TIMEOUT_NS 100000000ull	/* 100 ms: hardware needs microseconds */

static struct vtd_u128 *queue(struct vtd_unit *u)
{
	return phys_to_virt(u->iq_pa);
}

int vtd_qi_enable(struct vtd_unit *u)
{
	int err;

	u->iq_pa = vtd_alloc_page();
	if (!u->iq_pa)
		return IOMMU_ENOMEM;
	u->iq_tail = 0;
	/* 11.4.9: tail first, then the queue address; QS 0 = one page. */
	vtd_write64(u, VTD_IQT_REG, 0);
	vtd_write64(u, VTD_IQA_REG, u->iq_pa | VTD_IQA_QS(0));
	err = vtd_gcmd(u, VTD_GCMD_QIE, true);
	if (err)
		return err;
	u->qi = true;
	return 0;
}

/* 6.5.2.10: an invalid descriptor stops the queue with IQE set. */
static int qi_error(struct vtd_unit *u, u32 fsts)
{
	u64 head = vtd_read64(u, VTD_IQH_REG) >> VTD_IQ_SHIFT;

	pr_err("unit %u: invalidation queue error (FSTS %#x) at descriptor %llu: %#llx %#llx\n",
	       u->index, fsts, head, queue(u)[head].lo, queue(u)[head].hi);
	/* Skip what is left: move the tail to the head, then restart. */
	u->iq_tail = (u32)head;
	vtd_write64(u, VTD_IQT_REG, head << VTD_IQ_SHIFT);
	vtd_write32(u, VTD_FSTS_REG, fsts & (VTD_FSTS_IQE | VTD_FSTS_ITE |
					    VTD_FSTS_ICE));
	return IOMMU_EINVAL;
}

static void qi_put(struct vtd_unit *u, struct vtd_u128 d)
{
	struct vtd_u128 *slot = &queue(u)[u->iq_tail];

	slot->lo = d.lo;
	slot->hi = d.hi;
	vtd_sync(u, slot, sizeof(*slot));
	u->iq_tail = (u->iq_tail + 1) % VTD_QI_ENTRIES;
}

static int qi_submit(struct vtd_unit *u, const struct vtd_inv *reqs, u32 n)
{
	u64 deadline;
	u32 i, seq, fsts;

	if (n + 1 >= VTD_QI_ENTRIES)
		return IOMMU_EINVAL;
	seq = ++u->wait_seq;
	u->wait_status = 0;
	for (i = 0; i < n; i++)
		qi_put(u, vtd_qi_desc(&reqs[i]));
	qi_put(u, vtd_qi_wait_desc(virt_to_phys((const void *)&u->wait_status),
				   seq));
	vtd_write64(u, VTD_IQT_REG, (u64)u->iq_tail << VTD_IQ_SHIFT);
	deadline = time_ns() + INV_TIMEOUT_NS;
	while (u->wait_status != seq) {
		fsts = vtd_read32(u, VTD_FSTS_REG);
		if (fsts & VTD_FSTS_IQE)
			return qi_error(u, fsts);
		if (time_ns() > deadline) {
			pr_err("unit %u: invalidation wait %u timed out after %llu ms (IQH %#llx IQT %#llx)\n",
			       u->index, seq, INV_TIMEOUT_NS / 1000000,
			       vtd_read64(u, VTD_IQH_REG),
			       vtd_read64(u, VTD_IQT_REG));
			return IOMMU_ETIMEOUT;
		}
		cpu_relax();
	}
	return 0;
}

static int reg_wait(struct vtd_unit *u, u32 off, u64 busy)
{
	u64 deadline = time_ns() + INV_TIMEOUT_NS;

	while (vtd_read64(u, off) & busy) {
		if (time_ns() > deadline) {
			pr_err("unit %u: register invalidation at %#x timed out\n",
			       u->index, off);
			return IOMMU_ETIMEOUT;
		}
		cpu_relax();
	}
	return 0;
}

static int reg_submit(struct vtd_unit *u, const struct vtd_inv *r)
{
	u32 iotlb = (u32)VTD_ECAP_IRO(u->ecap) * 16;
	u64 v, iva;

	switch (r->kind) {
	case VTD_INV_CC:
		vtd_write64(u, VTD_CCMD_REG, vtd_ccmd_value(r));
		return reg_wait(u, VTD_CCMD_REG, VTD_CCMD_ICC);
	case VTD_INV_IOTLB:
		v = vtd_iotlb_value(r, &iva);
		if (r->gran == VTD_GRAN_PAGE)
			vtd_write64(u, iotlb + VTD_IVA_OFF, iva);
		vtd_write64(u, iotlb + VTD_IOTLB_OFF, v);
		return reg_wait(u, iotlb + VTD_IOTLB_OFF, VTD_IOTLB_IVT);
	case VTD_INV_IEC:
		break;
	}
	return IOMMU_EINVAL;	/* IEC needs the queue (IR implies QI) */
}

int vtd_invalidate(struct vtd_unit *u, const struct vtd_inv *reqs, u32 n)
{
	u64 flags;
	u32 i;
	int err = 0;

	if (!u->live || !n)
		return 0;	/* caches are flushed globally at bring-up */
	flags = spin_lock_irqsave(&u->lock);
	if (u->qi) {
		err = qi_submit(u, reqs, n);
	} else {
		for (i = 0; i < n && !err; i++)
			err = reg_submit(u, &reqs[i]);
	}
	spin_unlock_irqrestore(&u->lock, flags);
	if (err)
		pr_err("unit %u: invalidation of %u request(s) failed: %s\n",
		       u->index, n, iommu_strerror(err));
	return err;
}

int vtd_flush_all(struct vtd_unit *u)
{
	struct vtd_inv r[3] = {
		{ .kind = VTD_INV_CC, .gran = VTD_GRAN_GLOBAL },
		{ .kind = VTD_INV_IOTLB, .gran = VTD_GRAN_GLOBAL },
		{ .kind = VTD_INV_IEC, .gran = VTD_GRAN_GLOBAL },
	};

	return vtd_invalidate(u, r, u->qi ? 3 : 2);
}

/* 6.8: units with CAP.RWBF need their write buffer flushed after
 * not-present-to-present changes when caching mode is off. */
void vtd_write_buffer_flush(struct vtd_unit *u)
{
	u64 flags;

	if (!(u->cap & VTD_CAP_RWBF))
		return;
	flags = spin_lock_irqsave(&u->lock);
	(void)vtd_gcmd(u, VTD_GCMD_WBF, true);
	spin_unlock_irqrestore(&u->lock, flags);
}
