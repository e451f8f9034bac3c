// SPDX-License-Identifier: MIT
/*
 * Interrupt remapping (VT-d spec 5.1, 9.10): one interrupt remapping table
 * of VTD_IRT_ENTRIES per unit. A device is programmed with a remappable
 * MSI address naming an entry (irte_msi); the entry says which vector on
 * which CPU, and carries the requester id that alone may use it (source-id
 * verification, SVT = 1), so a device cannot raise another's interrupts.
 * Compatibility-format interrupts are blocked (GCMD.CFI stays 0).
 *
 * x2APIC: with ECAP.EIM the table is put in extended mode (IRTA.EIME) and
 * entries take 32-bit destinations. A unit without EIM (QEMU eim=off) in a
 * machine running the local APIC in x2APIC mode gets xAPIC-format entries:
 * destinations 0-255 work (x2APIC ids equal xAPIC ids there), larger ones
 * are refused with IOMMU_EINVAL.
 *
 * Entries are updated with cmpxchg16b, so the unit never reads a half
 * written entry, then the entry's interrupt entry cache line is
 * invalidated (6.5.2.8).
 *
 * Handles are unit << 16 | index.
 */
#define LOG_SUBSYS "vtd"
#include "iommu/irte.h"
#include "iommu/dmar.h"
#include "iommu/vtd.h"
#include "kernel/apic.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/platform.h"

static struct vtd_u128 *irt(struct vtd_unit *u)
{
	return phys_to_virt(u->irt_pa);
}

static const struct vtd_inv iec_global = {
	.kind = VTD_INV_IEC, .gran = VTD_GRAN_GLOBAL,
};

int vtd_ir_enable(struct vtd_unit *u)
{
	bool x2 = apic_is_x2apic();
	int err;

	if (!u->qi) {
		pr_err("unit %u: interrupt remapping needs queued invalidation\n",
		       u->index);
		return IOMMU_ENODEV;
	}
	u->irt_pa = vtd_alloc_page();
	if (!u->irt_pa)
		return IOMMU_ENOMEM;
	u->eim = x2 && (u->ecap & VTD_ECAP_EIM);
	/* 11.4.10.1: S = log2(entries) - 1. */
	vtd_write64(u, VTD_IRTA_REG, u->irt_pa | VTD_IRTA_S(VTD_IRT_ORDER - 1) |
				     (u->eim ? VTD_IRTA_EIME : 0));
	err = vtd_gcmd(u, VTD_GCMD_SIRTP, true);
	if (err)
		return err;
	/* 6.5.2.8: the new table replaces whatever was cached. */
	err = vtd_invalidate(u, &iec_global, 1);
	if (err)
		return err;
	err = vtd_gcmd(u, VTD_GCMD_IRE, true);
	if (err)
		return err;
	u->ir = true;
	pr_info("unit %u: interrupt remapping enabled: %u entries at %#llx, %s destinations%s, compatibility format disallowed (CFI clear)\n",
		u->index, VTD_IRT_ENTRIES, u->irt_pa,
		u->eim ? "x2APIC (EIM)" : "8-bit xAPIC",
		x2 && !u->eim ? " (x2APIC mode without EIM: APIC ids 0-255 only)" : "");
	return 0;
}

static bool handle_decode(int handle, struct vtd_unit **u, u16 *idx)
{
	u32 ui = (u32)handle >> 16;

	if (handle < 0 || ui >= vtd_nunits || !vtd_units[ui].ir ||
	    (handle & 0xffff) >= (int)VTD_IRT_ENTRIES)
		return false;
	*u = &vtd_units[ui];
	*idx = (u16)(handle & 0xffff);
	return (*u)->irt_used[*idx / 8] & (1u << (*idx % 8));
}

/* An entry of unit u that only requester sid may use. */
static int irq_alloc_on(struct vtd_unit *u, u16 sid)
{
	u64 flags;
	u32 i;

	if (!u || !u->ir)
		return IOMMU_ENODEV;
	flags = spin_lock_irqsave(&u->lock);
	for (i = 0; i < VTD_IRT_ENTRIES; i++)
		if (!(u->irt_used[i / 8] & (1u << (i % 8)))) {
			u->irt_used[i / 8] |= (u8)(1u << (i % 8));
			u->irt_sid[i] = sid;
			break;
		}
	spin_unlock_irqrestore(&u->lock, flags);
	if (i == VTD_IRT_ENTRIES)
		return IOMMU_ENOSPC;
	return (int)(u->index << 16 | i);
}

int vtd_irq_alloc(u16 segment, u16 rid)
{
	return irq_alloc_on(vtd_unit_for(segment, rid), rid);
}

/*
 * An IOAPIC's interrupts carry the source id its DMAR scope names (8.3.1,
 * enumeration id = IOAPIC id), and the unit whose scope lists it remaps
 * them.
 */
int vtd_irq_alloc_ioapic(u8 ioapic_id)
{
	struct dmar_scope s;
	u8 bus, devfn;
	u32 i, cursor;

	for (i = 0; i < vtd_nunits; i++) {
		struct vtd_unit *u = &vtd_units[i];

		cursor = 0;
		while (dmar_next_scope(u->scopes, u->scopes_len, &cursor, &s) == 1)
			if (s.type == DMAR_SCOPE_IOAPIC &&
			    s.enumeration_id == ioapic_id &&
			    !dmar_scope_resolve(&s, NULL, NULL, &bus, &devfn))
				return irq_alloc_on(u, (u16)(bus << 8 | devfn));
	}
	pr_err("IOAPIC id %u: no DMAR scope names it, its pins stay masked\n",
	       ioapic_id);
	return IOMMU_ENODEV;
}

int vtd_ioapic_rte(int handle, u64 *rte)
{
	struct vtd_unit *u;
	u16 idx;

	if (!handle_decode(handle, &u, &idx))
		return IOMMU_EINVAL;
	*rte = irte_ioapic_rte(idx);
	return 0;
}

/* One atomic 16-byte store (cmpxchg16b needs 16-byte alignment). */
static void irte_store(struct vtd_u128 *e, struct vtd_u128 v)
{
	u64 old_lo = e->lo, old_hi = e->hi;
	bool ok;

	do {
		__asm__ volatile("lock cmpxchg16b %1\n\tsete %0"
				 : "=q"(ok), "+m"(*e), "+a"(old_lo),
				   "+d"(old_hi)
				 : "b"(v.lo), "c"(v.hi)
				 : "memory", "cc");
	} while (!ok);
}

static int irte_update(struct vtd_unit *u, u16 idx, struct vtd_u128 v)
{
	struct vtd_inv r = { .kind = VTD_INV_IEC, .gran = VTD_GRAN_DEVICE,
			     .iidx = idx, .im = 0 };
	struct vtd_u128 *e = &irt(u)[idx];

	irte_store(e, v);
	vtd_sync(u, e, sizeof(*e));
	return vtd_invalidate(u, &r, 1);
}

int vtd_irq_program(int handle, const struct iommu_irq_target *t,
		    struct iommu_msi *msi)
{
	struct vtd_unit *u;
	struct vtd_u128 e;
	bool posted;
	u16 idx;
	int err;

	if (!handle_decode(handle, &u, &idx) || !t || !msi)
		return IOMMU_EINVAL;
	posted = t->pi_desc_pa && (u->cap & VTD_CAP_PI);
	if (posted) {
		struct irte_posted p = { .pd_pa = t->pi_desc_pa,
					 .vvector = t->guest_vector,
					 .sid = u->irt_sid[idx] };

		if (!irte_encode_posted(&p, &e))
			return IOMMU_EINVAL;
	} else {
		/* Without CAP.PI a posted request is delivered remapped to
		 * t->vector (the host vector that stands in for it). */
		struct irte_remapped r = { .dest = t->dest_apic_id,
					   .vector = t->vector,
					   .level = t->level,
					   .x2apic = u->eim,
					   .sid = u->irt_sid[idx] };

		if (t->vector < 0x10 || !irte_encode_remapped(&r, &e)) {
			pr_err("IRTE %u: cannot deliver vector %#x to APIC id %u\n",
			       idx, t->vector, t->dest_apic_id);
			return IOMMU_EINVAL;
		}
	}
	err = irte_update(u, idx, e);
	if (err)
		return err;
	irte_msi(idx, &msi->address, &msi->data);
	msi->posted = posted;
	return 0;
}

void vtd_irq_free(int handle)
{
	struct vtd_u128 zero = { 0, 0 };
	struct vtd_unit *u;
	u64 flags;
	u16 idx;

	if (!handle_decode(handle, &u, &idx))
		return;
	(void)irte_update(u, idx, zero);
	flags = spin_lock_irqsave(&u->lock);
	u->irt_used[idx / 8] &= (u8)~(1u << (idx % 8));
	spin_unlock_irqrestore(&u->lock, flags);
}
