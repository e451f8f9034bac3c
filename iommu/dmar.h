/* SPDX-License-Identifier: MIT */
/*
 * DMAR: the ACPI DMA Remapping Reporting table that describes Intel VT-d
 * remapping hardware. Intel Virtualization Technology for Directed I/O
 * Architecture Specification, revision 4.1 (March 2023), chapter 8.
 *
 * dmar_parse() validates the whole table (and logs what it found); the
 * iterators walk it without any fixed limit on the number of units, regions
 * or scopes, re-checking every length, so they are safe on any table that
 * passed acpi_table_check() even if dmar_parse() was not called. The VT-d
 * driver must not program any unit if dmar_parse() fails: a half-understood
 * table means devices we do not know about may DMA anywhere.
 */
#ifndef IOMMU_DMAR_H
#define IOMMU_DMAR_H

#include "lib/types.h"
#include "kernel/acpi.h"

/* Section 8.1: fields after the SDT header (the header and flags are in
 * kernel/acpi.h: the kernel reads X2APIC_OPT_OUT before any IOMMU code). */
#define DMAR_STRUCTS_OFF 48		/* 10 reserved bytes, then structures */

/* Section 8.2: remapping structure types (u16 type, u16 length). */
#define DMAR_TYPE_DRHD 0		/* 8.3 */
#define DMAR_TYPE_RMRR 1		/* 8.4 */
#define DMAR_TYPE_ATSR 2		/* 8.5 */
#define DMAR_TYPE_RHSA 3		/* 8.6 */
#define DMAR_TYPE_ANDD 4		/* 8.7 */
#define DMAR_TYPE_SATC 5		/* 8.8 */
#define DMAR_TYPE_SIDP 6		/* 8.9 */

/* Fixed part of each structure, i.e. where its device scopes begin. */
#define DMAR_DRHD_LEN 16	/* 8.3: flags, size, segment, register base */
#define DMAR_RMRR_LEN 24	/* 8.4: reserved, segment, base, limit */
#define DMAR_ATSR_LEN 8		/* 8.5: flags, reserved, segment */
#define DMAR_RHSA_LEN 20	/* 8.6: reserved, register base, domain */
#define DMAR_ANDD_LEN 8		/* 8.7: reserved[3], device number, name */
#define DMAR_SATC_LEN 8		/* 8.8: flags, reserved, segment */
#define DMAR_SIDP_LEN 8		/* 8.9: reserved, segment */

#define DMAR_DRHD_INCLUDE_PCI_ALL BIT(0)	/* 8.3 Flags bit 0 */
#define DMAR_ATSR_ALL_PORTS BIT(0)		/* 8.5 Flags bit 0 */
#define DMAR_SATC_ATC_REQUIRED BIT(0)		/* 8.8 Flags bit 0 */

/* Section 8.3.1: device scope structure. */
#define DMAR_SCOPE_HDR_LEN 6	/* type, length, flags, reserved, enum id, bus */
#define DMAR_SCOPE_PCI_ENDPOINT 1
#define DMAR_SCOPE_PCI_BRIDGE 2	/* PCI sub-hierarchy */
#define DMAR_SCOPE_IOAPIC 3
#define DMAR_SCOPE_HPET 4	/* MSI-capable HPET */
#define DMAR_SCOPE_ACPI_NAMESPACE 5

struct dmar_info {
	u8 haw;			/* host address width in bits (field + 1) */
	u8 flags;		/* DMAR_FLAG_* */
	u32 ndrhd, nrmrr, natsr, nrhsa, nandd, nsatc, nunknown;
	u32 nscopes;		/* device scopes in all structures */
};

/*
 * Validates the structure of a DMAR that passed acpi_table_check(): every
 * remapping structure at least 4 bytes, inside the table and long enough for
 * its type, every device scope inside its structure with a valid path, RMRR
 * base <= limit, at least one DRHD with a non-zero register base. Logs one
 * line per DRHD, per device scope and per RMRR, and one line per problem.
 * Returns 0, or ACPI_E_SHORT / ACPI_E_MALFORMED: the VT-d driver must then
 * not use VT-d at all.
 */
int dmar_parse(const struct acpi_sdt_header *dmar, struct dmar_info *info);

struct dmar_drhd {
	u32 offset;		/* of the structure in the table */
	u8 flags;		/* DMAR_DRHD_INCLUDE_PCI_ALL */
	u8 size;		/* bits 3:0: register set is 2^N 4 KiB pages */
	u16 segment;
	u64 base;		/* register base */
	const u8 *scopes;	/* device scope structures */
	u32 scopes_len;
};

struct dmar_rmrr {
	u32 offset;
	u16 segment;
	u64 base;		/* first byte, 4 KiB aligned */
	u64 limit;		/* last byte (4 KiB aligned - 1) */
	const u8 *scopes;	/* endpoints that need the region identity mapped */
	u32 scopes_len;
};

struct dmar_atsr {
	u32 offset;
	u8 flags;		/* DMAR_ATSR_ALL_PORTS */
	u16 segment;
	const u8 *scopes;	/* root ports that support ATS */
	u32 scopes_len;
};

/*
 * Iterators. *cursor starts at 0 and is advanced past each structure
 * returned. Return 1 and fill *out for the next structure of the type, 0 at
 * the end of the table, or ACPI_E_MALFORMED if a structure's length is < 4,
 * runs past the table or is too small for its type (then iteration must
 * stop). Silent: dmar_parse() is the one that reports.
 */
int dmar_next_drhd(const struct acpi_sdt_header *dmar, u32 *cursor,
		   struct dmar_drhd *out);
int dmar_next_rmrr(const struct acpi_sdt_header *dmar, u32 *cursor,
		   struct dmar_rmrr *out);
int dmar_next_atsr(const struct acpi_sdt_header *dmar, u32 *cursor,
		   struct dmar_atsr *out);

struct dmar_scope {
	u8 type;		/* DMAR_SCOPE_* */
	u8 flags;		/* rev 4.x Flags byte, reserved before */
	u8 enumeration_id;	/* IOAPIC ID, HPET number, ACPI device number */
	u8 start_bus;
	u8 path_len;		/* number of (device, function) pairs, >= 1 */
	const u8 *path;		/* path_len pairs: path[2i] dev, path[2i+1] fn */
};

/*
 * Next device scope in scopes[0..len). Returns 1 and fills *out, 0 at the
 * end, ACPI_E_MALFORMED if the scope's length is < 8 (no path) or odd, runs
 * past len, or a path entry has device >= 32 or function >= 8.
 */
int dmar_next_scope(const u8 *scopes, u32 len, u32 *cursor,
		    struct dmar_scope *out);

/*
 * Resolves a scope's path to the bus and devfn (device << 3 | function) of
 * the device it names. Section 8.3.1: every path element except the last is
 * a PCI-PCI bridge, and the next element is on that bridge's secondary bus,
 * which only the bridge's config space knows (the OS may have renumbered
 * it). With a one-element path no callback is needed (secondary_bus may be
 * NULL); otherwise secondary_bus(ctx, bus, dev, fn) must read the bridge's
 * Secondary Bus Number register (config offset 0x19) and return it, or 0 if
 * there is no bridge there. Returns 0, or ACPI_E_NOT_FOUND if a callback is
 * needed and missing or a bridge's secondary bus is not above its own bus,
 * ACPI_E_INVAL for an empty path.
 */
int dmar_scope_resolve(const struct dmar_scope *s,
		       u8 (*secondary_bus)(void *ctx, u8 bus, u8 dev, u8 fn),
		       void *ctx, u8 *bus, u8 *devfn);

/* Bridge bus numbers from config space, for dmar_drhd_for(). */
struct dmar_bridge_io {
	/* Secondary and subordinate bus of the PCI-PCI bridge at
	 * segment:bus:devfn; false if there is no bridge there. */
	bool (*buses)(void *ctx, u16 segment, u8 bus, u8 devfn, u8 *sec,
		      u8 *sub);
	void *ctx;
};

/*
 * Which DRHD covers the PCI function with requester id rid (bus << 8 |
 * devfn) in segment (8.3.1): the first unit with a device scope naming
 * the function itself, or a bridge scope whose secondary..subordinate bus
 * range holds it; else the segment's INCLUDE_PCI_ALL unit. For an SR-IOV
 * VF pass its PF's requester id (a VF is covered by its PF's scope; see
 * iommu_scope_rid()). Returns the DRHD's index in table order, -1 if none.
 */
int dmar_drhd_for(const struct acpi_sdt_header *dmar, u16 segment, u16 rid,
		  const struct dmar_bridge_io *io);

/* "PCI endpoint", "PCI bridge", "IOAPIC", "HPET", "ACPI namespace device",
 * "reserved". */
const char *dmar_scope_type_name(u8 type);
/* "DRHD", "RMRR", ..., "unknown". */
const char *dmar_struct_type_name(u16 type);

#endif
