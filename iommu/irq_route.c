// SPDX-License-Identifier: MIT
/*
 * Routing an IOAPIC pin (a GSI) to a CPU, through interrupt remapping when
 * the IOMMU offers it. Generic: the remapping-specific bits (which entry,
 * how a redirection entry names it) come from the iommu_ops table.
 */
#define LOG_SUBSYS "iommu"
#include "iommu/iommu.h"
#include "kernel/ioapic.h"
#include "kernel/log.h"

static int ioapic_remap(u32 index, const struct iommu_irq_target *t, u64 *rte)
{
	struct iommu_msi unused;
	int h, err;

	h = iommu_irq_alloc_ioapic(ioapic_id(index));
	if (h < 0)
		return h;
	err = iommu_irq_program(h, t, &unused);
	if (!err)
		err = iommu_ioapic_rte(h, rte);
	if (err) {
		iommu_irq_free(h);
		return err;
	}
	return h;
}

int iommu_route_gsi(u32 gsi, const struct iommu_irq_target *t,
		    bool active_low, u64 *rte)
{
	u32 index, pin;
	int h;

	if (ioapic_find_gsi(gsi, &index, &pin)) {
		pr_err("GSI %u: no IOAPIC has it\n", gsi);
		return IOMMU_EINVAL;
	}
	*rte = 0;
	h = ioapic_remap(index, t, rte);
	if (h < 0 && h != IOMMU_ENODEV)
		return h;	/* remapping is on but failed: stay masked */
	if (h == IOMMU_ENODEV) {
		/* No remapping: the old format, 8-bit physical destination. */
		if (t->dest_apic_id > 0xff) {
			pr_err("GSI %u: APIC id %u needs interrupt remapping\n",
			       gsi, t->dest_apic_id);
			return IOMMU_EINVAL;
		}
		*rte = IOAPIC_RTE_DEST(t->dest_apic_id);
	}
	/* Remappable entries keep the vector: level EOIs match on it. */
	*rte |= IOAPIC_RTE_VECTOR(t->vector) |
		(t->level ? IOAPIC_RTE_LEVEL : 0) |
		(active_low ? IOAPIC_RTE_ACTIVE_LOW : 0);
	ioapic_write_rte(index, pin, *rte);
	return h;
}
