/* SPDX-License-Identifier: MIT */
/*
 * What the VT-d driver decides before it programs anything: which DMAR
 * units it uses, whether interrupt remapping goes on (and why not), which
 * RMRRs it identity-maps. Pure functions over the DMAR, the MADT's IOAPICs
 * and the units' capability bits: iommu/vtd.c calls them with the bits it
 * read from the registers, tools/hwcheck with assumed bits on saved tables,
 * so both decide with the same code. docs/vtd.md explains each rule.
 */
#ifndef IOMMU_VTD_PLAN_H
#define IOMMU_VTD_PLAN_H

#include "iommu/dmar.h"
#include "kernel/acpi.h"

/* What one unit's ECAP says (11.4.3), as far as the plan needs it. */
struct vtd_unit_caps {
	bool qi;		/* queued invalidation */
	bool ir;		/* interrupt remapping */
	bool eim;		/* extended (32-bit) interrupt destinations */
};

struct vtd_plan {
	bool vtd;		/* the DMAR is usable and names a unit */
	char vtd_why[160];	/* why not, in words */
	u32 ndrhd;		/* DRHD structures in the table */
	u32 nunits;		/* of them used: scoped or INCLUDE_PCI_ALL */
	bool ir;		/* interrupt remapping on every used unit */
	char ir_why[160];	/* why (not) */
	bool eim;		/* IRTEs with x2APIC destinations */
	u32 nrmrr, rmrr_mapped;	/* RMRRs listed / identity-mapped */
};

/*
 * A DRHD with no device scope and without INCLUDE_PCI_ALL translates for
 * no device and remaps no interrupt (8.3): it is left alone, as Linux
 * ignores it, and must not make the other units fail.
 */
bool vtd_drhd_used(const struct dmar_drhd *d);

/*
 * Step 1: the table. dmar_ok is dmar_parse()'s verdict. Fills vtd,
 * vtd_why, ndrhd, nunits and nrmrr; a DRHD at register base 0 is reported
 * as "VT-d disabled in firmware" (firmware with VT-d off in its setup
 * leaves such a placeholder).
 */
void vtd_plan_table(const struct acpi_sdt_header *dmar, bool dmar_ok,
		    struct vtd_plan *p);

/*
 * Step 2: interrupt remapping, as Linux decides it (intel_irq_remapping.c):
 * off unless the DMAR sets INTR_REMAP, every used unit has IR and QI, and
 * every IOAPIC of the MADT is named by a DMAR IOAPIC scope (an unnamed one
 * could only send compatibility-format interrupts, which a unit with IR on
 * and CFI clear blocks: all its interrupts would be lost). caps[i] belongs
 * to the i-th used unit; fewer than nunits caps: off. EIM when x2apic and
 * every unit has it.
 */
void vtd_plan_ir(const struct acpi_sdt_header *dmar,
		 const struct madt_ioapic *ioapics, u32 nioapics,
		 const struct vtd_unit_caps *caps, u32 ncaps, bool x2apic,
		 struct vtd_plan *p);

/*
 * The pages an RMRR needs identity-mapped: [base, limit] rounded out to
 * whole 4 KiB pages (8.4 asks for page granularity; firmware does not
 * always comply: base 0 limit 0 becomes the first page). False if the
 * range reaches beyond max_addr (the last address the domains translate):
 * the region is then not mapped, and reported.
 */
bool vtd_rmrr_pages(const struct dmar_rmrr *r, u64 max_addr, u64 *base,
		    u64 *size);

/* How many RMRRs vtd_rmrr_pages() accepts under max_addr. */
u32 vtd_plan_rmrrs(const struct acpi_sdt_header *dmar, u64 max_addr);

#endif
