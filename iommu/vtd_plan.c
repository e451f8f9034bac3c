// SPDX-License-Identifier: MIT
#include "iommu/vtd_plan.h"
#include "lib/format.h"

bool vtd_drhd_used(const struct dmar_drhd *d)
{
	struct dmar_scope s;
	u32 cursor = 0;

	return (d->flags & DMAR_DRHD_INCLUDE_PCI_ALL) ||
	       dmar_next_scope(d->scopes, d->scopes_len, &cursor, &s) == 1;
}

/* A disabled-VT-d firmware leaves a DRHD whose registers are at 0. */
static bool has_zero_base(const struct acpi_sdt_header *dmar)
{
	struct dmar_drhd d;
	u32 cursor = 0;

	while (dmar_next_drhd(dmar, &cursor, &d) == 1)
		if (!d.base)
			return true;
	return false;
}

void vtd_plan_table(const struct acpi_sdt_header *dmar, bool dmar_ok,
		    struct vtd_plan *p)
{
	struct dmar_drhd d;
	struct dmar_rmrr r;
	u32 cursor = 0;

	*p = (struct vtd_plan){ 0 };
	if (!dmar) {
		/* Absent (no VT-d, or firmware with VT-d off drops it) or
		 * rejected by the ACPI checks (the acpi lines say which). */
		fmt_snprintf(p->vtd_why, sizeof(p->vtd_why),
			     "no valid DMAR table");
		return;
	}
	while (dmar_next_drhd(dmar, &cursor, &d) == 1) {
		p->ndrhd++;
		p->nunits += vtd_drhd_used(&d);
	}
	for (cursor = 0; dmar_next_rmrr(dmar, &cursor, &r) == 1;)
		p->nrmrr++;
	if (has_zero_base(dmar))
		fmt_snprintf(p->vtd_why, sizeof(p->vtd_why),
			     "VT-d disabled in firmware (a DRHD at register base 0): enable VT-d in the firmware setup");
	else if (!dmar_ok)
		fmt_snprintf(p->vtd_why, sizeof(p->vtd_why),
			     "the DMAR table is malformed (see the dmar lines)");
	else if (!p->nunits)
		fmt_snprintf(p->vtd_why, sizeof(p->vtd_why),
			     "no DRHD covers any device");
	else
		p->vtd = true;
	if (!p->vtd)
		p->nunits = 0;
}

/* Whether a DMAR IOAPIC scope names this IOAPIC id (8.3.1.1). */
static bool ioapic_named(const struct acpi_sdt_header *dmar, u8 id)
{
	struct dmar_drhd d;
	struct dmar_scope s;
	u32 cursor = 0, sc;

	while (dmar_next_drhd(dmar, &cursor, &d) == 1)
		for (sc = 0; dmar_next_scope(d.scopes, d.scopes_len, &sc,
					     &s) == 1;)
			if (s.type == DMAR_SCOPE_IOAPIC &&
			    s.enumeration_id == id)
				return true;
	return false;
}

/* Why the units cannot remap, or NULL; *bad is the unit's index. */
static const char *caps_lack(const struct vtd_unit_caps *caps, u32 n,
			     u32 *bad)
{
	for (*bad = 0; *bad < n; (*bad)++) {
		if (!caps[*bad].ir)
			return "has no interrupt remapping (ECAP.IR clear)";
		if (!caps[*bad].qi)
			return "has interrupt remapping but no queued invalidation (ECAP.QI clear)";
	}
	return NULL;
}

void vtd_plan_ir(const struct acpi_sdt_header *dmar,
		 const struct madt_ioapic *ioapics, u32 nioapics,
		 const struct vtd_unit_caps *caps, u32 ncaps, bool x2apic,
		 struct vtd_plan *p)
{
	const char *lack;
	u32 i;

	p->ir = p->eim = false;
	if (!p->vtd) {
		fmt_snprintf(p->ir_why, sizeof(p->ir_why), "VT-d is off");
		return;
	}
	if (!(acpi_dmar_flags(dmar) & DMAR_FLAG_INTR_REMAP)) {
		fmt_snprintf(p->ir_why, sizeof(p->ir_why),
			     "the firmware does not report interrupt remapping (DMAR INTR_REMAP clear)");
		return;
	}
	if (ncaps < p->nunits) {
		fmt_snprintf(p->ir_why, sizeof(p->ir_why),
			     "%u units, capabilities known for %u", p->nunits,
			     ncaps);
		return;
	}
	lack = caps_lack(caps, p->nunits, &i);
	if (lack) {
		fmt_snprintf(p->ir_why, sizeof(p->ir_why), "unit %u %s", i,
			     lack);
		return;
	}
	for (i = 0; i < nioapics; i++)
		if (!ioapic_named(dmar, ioapics[i].id)) {
			fmt_snprintf(p->ir_why, sizeof(p->ir_why),
				     "IOAPIC id %u at %#x is named by no DMAR IOAPIC scope: its interrupts could not be remapped and would be blocked",
				     ioapics[i].id, ioapics[i].addr);
			return;
		}
	p->ir = true;
	p->eim = x2apic;
	for (i = 0; i < p->nunits; i++)
		p->eim = p->eim && caps[i].eim;
	fmt_snprintf(p->ir_why, sizeof(p->ir_why),
		     "DMAR INTR_REMAP set, every unit has IR and QI, every IOAPIC is under a unit; %s destinations",
		     p->eim ? "x2APIC (EIM)" : x2apic ?
		     "8-bit (a unit lacks EIM: APIC ids 0-255 only)" : "8-bit xAPIC");
}

bool vtd_rmrr_pages(const struct dmar_rmrr *r, u64 max_addr, u64 *base,
		    u64 *size)
{
	u64 first = ALIGN_DOWN(r->base, PAGE_SIZE);
	u64 last = r->limit | (PAGE_SIZE - 1);

	/* The last page of the 64-bit space would make size wrap to 0. */
	if (r->base > r->limit || last > max_addr || last == ~0ull)
		return false;
	*base = first;
	*size = last - first + 1;
	return true;
}

u32 vtd_plan_rmrrs(const struct acpi_sdt_header *dmar, u64 max_addr)
{
	struct dmar_rmrr r;
	u32 cursor = 0, n = 0;
	u64 base, size;

	while (dmar_next_rmrr(dmar, &cursor, &r) == 1)
		n += vtd_rmrr_pages(&r, max_addr, &base, &size);
	return n;
}
