/* SPDX-License-Identifier: MIT */
/*
 * ACPI static table discovery and the parsers for the few tables the
 * hypervisor needs before it has an AML interpreter (it never has one):
 * MADT (CPUs, IOAPICs, interrupt overrides), MCFG (ECAM windows), FADT (PM
 * timer, reset register), HPET. The DMAR parser lives in iommu/dmar.h.
 *
 * Everything here is pure: no global state, no direct physical memory
 * access. acpi_scan() reaches memory only through struct acpi_mem, so the
 * same code runs in the kernel (identity map) and in host unit tests and
 * fuzzers (a fake memory image built from captured tables).
 *
 * Trust model: firmware tables are input, not truth. acpi_scan() validates
 * signature, length and checksum of every table before handing it out, and
 * every parser bounds every read by the table's Length field, which the
 * caller guarantees is readable (that is what acpi_table_check() with the
 * mapped size as `avail` establishes). A bad table is reported in one log
 * line and skipped.
 *
 * Spec references: ACPI 6.5 (August 2022) section numbers; PCI Firmware
 * Specification 3.3 section 4.1.2 for MCFG; IA-PC HPET Specification 1.0a
 * section 3.2.4 for the HPET table.
 */
#ifndef KERNEL_ACPI_H
#define KERNEL_ACPI_H

#include "lib/types.h"

/* Error codes returned by every function here and in iommu/dmar.h. */
enum acpi_error {
	ACPI_OK = 0,
	ACPI_E_SIGNATURE = -1,	/* signature is not the one asked for */
	ACPI_E_SHORT = -2,	/* Length field smaller than the fixed part */
	ACPI_E_TRUNCATED = -3,	/* Length field larger than what is readable */
	ACPI_E_CHECKSUM = -4,	/* bytes do not sum to 0 */
	ACPI_E_UNMAPPED = -5,	/* address not in accessible memory */
	ACPI_E_MALFORMED = -6,	/* inner structure is inconsistent */
	ACPI_E_INVAL = -7,	/* bad argument from the caller */
	ACPI_E_NOT_FOUND = -8,	/* table or field not present */
	ACPI_E_OVERFLOW = -9,	/* caller's array too small */
};

const char *acpi_strerror(int err);

/* Root System Description Pointer, ACPI 6.5 section 5.2.5.3, Table 5.3. */
struct acpi_rsdp {
	char signature[8];	/* "RSD PTR " */
	u8 checksum;		/* over the first 20 bytes (ACPI 1.0 part) */
	char oem_id[6];
	u8 revision;		/* 0: ACPI 1.0 (20 bytes); 2: ACPI 2.0+ */
	u32 rsdt_address;
	/* ACPI 2.0+ only (revision >= 2): */
	u32 length;		/* of the whole RSDP, 36 today */
	u64 xsdt_address;
	u8 extended_checksum;	/* over `length` bytes */
	u8 reserved[3];
} __packed;
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP is 36 bytes");
#define ACPI_RSDP_V1_LEN 20

/* System Description Table Header, ACPI 6.5 section 5.2.6, Table 5.4. */
struct acpi_sdt_header {
	char signature[4];
	u32 length;		/* of the whole table, header included */
	u8 revision;
	u8 checksum;		/* whole table sums to 0 */
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __packed;
_Static_assert(sizeof(struct acpi_sdt_header) == 36, "SDT header is 36 bytes");

/* Generic Address Structure, ACPI 6.5 section 5.2.3.2, Table 5.1. */
struct acpi_gas {
	u8 space_id;		/* ACPI_GAS_* */
	u8 bit_width;
	u8 bit_offset;
	u8 access_size;		/* 0 undefined, 1 byte, 2 word, 3 dword, 4 qword */
	u64 address;
} __packed;
_Static_assert(sizeof(struct acpi_gas) == 12, "GAS is 12 bytes");
#define ACPI_GAS_MEMORY 0
#define ACPI_GAS_IO 1
#define ACPI_GAS_PCI_CONFIG 2

/* True if the len bytes at p sum to 0 modulo 256 (ACPI 6.5 section 5.2.6). */
int acpi_checksum_ok(const void *p, u64 len);
/* The modulo-256 sum itself, for error messages. */
u8 acpi_checksum_sum(const void *p, u64 len);

/*
 * Validates a table whose first `avail` bytes starting at h are readable:
 * signature (when sig is non-NULL, 4 characters), header.length >= 36,
 * header.length <= avail, checksum. Returns 0 or ACPI_E_SIGNATURE /
 * ACPI_E_SHORT / ACPI_E_TRUNCATED / ACPI_E_CHECKSUM. Does not log. After
 * success, the parsers below may read h->length bytes.
 */
int acpi_table_check(const struct acpi_sdt_header *h, u64 avail,
		     const char *sig);

/*
 * Access to physical memory. map returns a pointer through which the bytes
 * [pa, pa + len) can be read, or NULL if that range is not accessible.
 */
struct acpi_mem {
	const void *(*map)(void *ctx, u64 pa, u64 len);
	void *ctx;
};

/*
 * Maps and validates the table at pa (acpi_table_check with sig, avail =
 * what map grants). On failure logs one line "SIG at 0xPA: what is wrong --
 * table skipped" (using `what` as the name when the header itself cannot be
 * read) and returns the error; on success *out points at the table.
 */
int acpi_map_table(const struct acpi_mem *mem, u64 pa, const char *sig,
		   const struct acpi_sdt_header **out);

/* Result of acpi_scan(). Pointers stay valid as long as the mapping does. */
struct acpi_tables {
	u64 rsdp_pa;
	u8 revision;		/* RSDP revision */
	char oem_id[7];		/* RSDP OEM ID, printable, NUL-terminated */
	u64 root_pa;		/* XSDT or RSDT actually used */
	bool xsdt;		/* root_pa is an XSDT (64-bit entries) */
	const struct acpi_sdt_header *root;
	const struct acpi_sdt_header *madt, *mcfg, *dmar, *fadt, *hpet;
	u64 madt_pa, mcfg_pa, dmar_pa, fadt_pa, hpet_pa;
	u32 nentries;		/* entries in the root table */
	u32 ntables;		/* entries that validated */
	u32 nbad;		/* entries skipped as bad (reported) */
};

/*
 * Walks RSDP -> XSDT (revision >= 2 and valid; else RSDT) -> every table,
 * validating each (signature, length, checksum) and logging one line per
 * table. Bad tables are reported, counted in nbad and skipped; the first
 * valid MADT, MCFG, DMAR, FADT and HPET are recorded (a second one of the
 * same signature is reported and ignored). Returns 0 if a root table was
 * found (even if some tables were bad), else an error (RSDP or both root
 * tables unusable).
 */
int acpi_scan(const struct acpi_mem *mem, u64 rsdp_pa, struct acpi_tables *out);

/*
 * Finds the n-th (0-based) valid table with signature sig through the root
 * table acpi_scan() chose, for tables without a dedicated slot (SRAT, SSDT,
 * ...). Returns 0 and sets *out (and *pa if non-NULL), or ACPI_E_NOT_FOUND.
 * Invalid tables are skipped (and logged again).
 */
int acpi_find_table(const struct acpi_mem *mem, const struct acpi_tables *t,
		    const char *sig, u32 n, const struct acpi_sdt_header **out,
		    u64 *pa);

/*
 * Prints a table as "ACPIDUMP SIG PA OFF: HEX" lines (32 bytes a line) at
 * info level: tools/acpi-extract.py turns a serial log of these back into
 * table files. acpi_dump_all() dumps the RSDP, the root table, every table
 * it lists, and the DSDT and FACS the FADT points to.
 */
void acpi_dump_table(const char *sig, u64 pa, const void *p, u64 len);
void acpi_dump_all(const struct acpi_mem *mem, const struct acpi_tables *t);

/* ---- MADT: Multiple APIC Description Table, ACPI 6.5 section 5.2.12 ---- */

/* Table 5.20: fields after the SDT header. */
#define MADT_LAPIC_ADDR_OFF 36		/* u32 local APIC physical address */
#define MADT_FLAGS_OFF 40		/* u32, bit 0 PCAT_COMPAT (8259s present) */
#define MADT_ENTRIES_OFF 44		/* first interrupt controller structure */
#define MADT_FLAG_PCAT_COMPAT BIT(0)

/* Table 5.21: interrupt controller structure types handled here. */
#define MADT_TYPE_LAPIC 0		/* 5.2.12.2, 8 bytes */
#define MADT_TYPE_IOAPIC 1		/* 5.2.12.3, 12 bytes */
#define MADT_TYPE_ISO 2			/* 5.2.12.5, 10 bytes */
#define MADT_TYPE_NMI_SOURCE 3		/* 5.2.12.6, 8 bytes (not used) */
#define MADT_TYPE_LAPIC_NMI 4		/* 5.2.12.7, 6 bytes */
#define MADT_TYPE_LAPIC_OVERRIDE 5	/* 5.2.12.8, 12 bytes */
#define MADT_TYPE_X2APIC 9		/* 5.2.12.12, 16 bytes */
#define MADT_TYPE_X2APIC_NMI 0xa	/* 5.2.12.13, 12 bytes */

/* Local APIC flags, Table 5.23 (also used by x2APIC entries). */
#define MADT_LAPIC_ENABLED BIT(0)
#define MADT_LAPIC_ONLINE_CAPABLE BIT(1)

/* MPS INTI flags, Table 5.26: polarity bits 1:0, trigger mode bits 3:2. */
#define MPS_INTI_POLARITY_MASK 0x3
#define MPS_INTI_POLARITY_CONFORMS 0x0
#define MPS_INTI_POLARITY_HIGH 0x1
#define MPS_INTI_POLARITY_LOW 0x3
#define MPS_INTI_TRIGGER_MASK 0xc
#define MPS_INTI_TRIGGER_CONFORMS 0x0
#define MPS_INTI_TRIGGER_EDGE 0x4
#define MPS_INTI_TRIGGER_LEVEL 0xc

/* "All processors" processor UIDs in NMI structures (5.2.12.7, 5.2.12.13). */
#define MADT_UID_ALL_LAPIC 0xff
#define MADT_UID_ALL_X2APIC 0xffffffffu
/* APIC ids that name no CPU: disabled placeholder entries carry them. */
#define MADT_LAPIC_ID_NONE 0xffu
#define MADT_X2APIC_ID_NONE 0xffffffffu

struct madt_cpu {
	u32 apic_id;		/* local APIC or x2APIC ID */
	u32 acpi_uid;		/* ACPI processor UID (matches NMI entries) */
	bool enabled;		/* usable now */
	bool online_capable;	/* disabled but can be brought online later */
	bool x2apic;		/* came from an x2APIC (type 9) entry */
	bool has_nmi;		/* an NMI structure names this CPU (or all) */
	u8 nmi_lint;		/* LINT pin (0/1) wired to NMI */
	u16 nmi_flags;		/* MPS INTI flags of that pin */
};

struct madt_ioapic {
	u8 id;
	u32 addr;
	u32 gsi_base;
};

/* The 16 ISA IRQs: interrupt source overrides (5.2.12.5) only ever remap
 * these (bus 0 = ISA), so a fixed table indexed by ISA IRQ cannot overflow. */
#define MADT_ISA_IRQS 16
struct madt_isa_irq {
	u32 gsi;		/* identity (== ISA IRQ) unless overridden */
	u16 flags;		/* MPS INTI flags; 0 = conforms to ISA (edge, high) */
	bool overridden;
};

struct madt_info {
	u64 lapic_addr;		/* 32-bit field, or the type 5 override */
	u32 flags;		/* MADT_FLAG_* */
	u32 ncpus;		/* enabled CPUs listed, even beyond max_cpus */
	u32 ncpus_listed;	/* all CPU entries, enabled or not */
	u32 ncpus_stored;	/* entries written to cpus[] */
	u32 nioapics;		/* IOAPICs listed, even beyond max_ioapics */
	u32 nioapics_stored;
	u32 niso;		/* interrupt source overrides applied */
	u32 nnmi;		/* LAPIC / x2APIC NMI structures */
	u32 nskipped;		/* entries reported and skipped */
	u32 nplaceholders;	/* disabled, all-ones or repeated id */
	u32 nnmi_orphan;	/* NMI entries naming no stored CPU */
	struct madt_isa_irq isa[MADT_ISA_IRQS];
};

/*
 * Parses a MADT that passed acpi_table_check(). Enabled CPUs are stored
 * first (in table order), then disabled ones while room remains, so a table
 * listing hundreds of hot-plug slots cannot push real CPUs out; an x2APIC
 * entry repeating an APIC ID already stored is ignored. If the arrays are
 * too small, the excess is counted (ncpus, nioapics), reported in one log
 * line naming how many were not stored, and the return value is still 0:
 * compare ncpus_stored / nioapics_stored with the counts. An array of size
 * 0 (pointer may be NULL) only counts, silently.
 *
 * Entry types other than those listed above are skipped; an entry too short
 * for its type is reported and skipped. An entry whose length is < 2 or runs
 * past the table end ends parsing: returns ACPI_E_MALFORMED with what was
 * parsed before it left in *info.
 */
int madt_parse(const struct acpi_sdt_header *madt, struct madt_info *info,
	       struct madt_cpu *cpus, u32 max_cpus,
	       struct madt_ioapic *ioapics, u32 max_ioapics);

/* ---- DMAR header: Intel VT-d specification 4.1 section 8.1 ----
 * The structures behind it are iommu/dmar.h's; the flags live here because
 * the kernel chooses the local APIC mode (X2APIC_OPT_OUT) before iommu/ runs. */
#define DMAR_HAW_OFF 36			/* u8 host address width - 1 */
#define DMAR_FLAGS_OFF 37		/* u8 */
#define DMAR_FLAG_INTR_REMAP BIT(0)
#define DMAR_FLAG_X2APIC_OPT_OUT BIT(1)
#define DMAR_FLAG_DMA_CTRL_PLATFORM_OPT_IN BIT(2)

/* The DMAR's flags byte, 0 without a (long enough) DMAR. */
u8 acpi_dmar_flags(const struct acpi_sdt_header *dmar);

/* ---- MCFG: PCI Firmware Specification 3.3 section 4.1.2 ---- */

#define MCFG_ENTRIES_OFF 44		/* header + 8 reserved bytes */
#define MCFG_ENTRY_LEN 16		/* Table 4-3 */

struct mcfg_entry {
	u64 base;		/* ECAM address of bus 0 of the segment */
	u16 segment;
	u8 start_bus;
	u8 end_bus;
};

/*
 * Parses an MCFG that passed acpi_table_check(). A length that is not
 * 44 + n*16 rejects the table (ACPI_E_MALFORMED). Entries with base 0,
 * start_bus > end_bus or a window that wraps the address space are reported
 * and skipped. *count is the number of entries stored in out (at most
 * max, so it is always safe to loop over); valid entries beyond max are
 * reported in one log line naming how many were ignored.
 */
int mcfg_parse(const struct acpi_sdt_header *mcfg, struct mcfg_entry *out,
	       u32 max, u32 *count);

/* ---- FADT: Fixed ACPI Description Table, ACPI 6.5 section 5.2.9 ---- */

/* Field offsets, Table 5.9. A FADT only has the fields below its length. */
#define FADT_FIRMWARE_CTRL_OFF 36	/* u32 FACS address */
#define FADT_DSDT_OFF 40		/* u32 */
#define FADT_SCI_INT_OFF 46		/* u16 */
#define FADT_PM_TMR_BLK_OFF 76		/* u32 I/O port */
#define FADT_PM_TMR_LEN_OFF 91		/* u8, 4 if the timer exists */
#define FADT_IAPC_BOOT_ARCH_OFF 109	/* u16, ACPI 2.0+ */
#define FADT_FLAGS_OFF 112		/* u32 */
#define FADT_RESET_REG_OFF 116		/* GAS, ACPI 2.0+ */
#define FADT_RESET_VALUE_OFF 128	/* u8 */
#define FADT_MINOR_VERSION_OFF 131	/* u8 */
#define FADT_X_FIRMWARE_CTRL_OFF 132	/* u64 */
#define FADT_X_DSDT_OFF 140		/* u64 */
#define FADT_X_PM_TMR_BLK_OFF 208	/* GAS */

/* Fixed feature flags, Table 5.10. */
#define FADT_F_TMR_VAL_EXT BIT(8)	/* PM timer is 32 bits, else 24 */
#define FADT_F_RESET_REG_SUP BIT(10)
#define FADT_F_HW_REDUCED_ACPI BIT(20)

/* IA-PC boot architecture flags, Table 5.11. */
#define FADT_BOOT_LEGACY_DEVICES BIT(0)
#define FADT_BOOT_8042 BIT(1)
#define FADT_BOOT_VGA_NOT_PRESENT BIT(2)
#define FADT_BOOT_MSI_NOT_SUPPORTED BIT(3)
#define FADT_BOOT_PCIE_ASPM_CONTROLS BIT(4)
#define FADT_BOOT_CMOS_RTC_NOT_PRESENT BIT(5)

struct fadt_info {
	u8 revision;
	u8 minor_version;
	u32 flags;		/* FADT_F_*; 0 if the table is too short */
	u16 sci_int;
	u64 dsdt_pa;		/* X_DSDT if present and non-zero, else DSDT */
	u64 facs_pa;		/* likewise X_FIRMWARE_CTRL / FIRMWARE_CTRL */
	bool has_pm_tmr;
	u32 pm_tmr_port;	/* I/O port, 0 if none or memory-mapped */
	u64 pm_tmr_mmio;	/* memory address, 0 if none or I/O */
	bool pm_tmr_32bit;	/* TMR_VAL_EXT: 32-bit counter, else 24-bit */
	u8 pm_tmr_len;
	struct acpi_gas reset_reg;
	u8 reset_value;
	bool has_reset;		/* RESET_REG_SUP and a non-zero register */
	u16 iapc_boot_arch;	/* FADT_BOOT_*; 0 if not present */
};

/*
 * Parses a FADT that passed acpi_table_check(). Prefers X_PM_TMR_BLK (GAS)
 * when present and non-zero, else PM_TMR_BLK. Old (short) FADTs are handled
 * by reading only the fields inside the length. Returns ACPI_E_SHORT if not
 * even the ACPI 1.0 fields up to Flags are there.
 */
int fadt_parse(const struct acpi_sdt_header *fadt, struct fadt_info *info);

/* ---- HPET: IA-PC HPET Specification 1.0a section 3.2.4, Table 3 ---- */

#define HPET_TABLE_LEN 56
#define HPET_BLOCK_ID_OFF 36		/* u32 event timer block ID */
#define HPET_BASE_OFF 40		/* GAS */
#define HPET_NUMBER_OFF 52		/* u8 */
#define HPET_MIN_TICK_OFF 53		/* u16 */
#define HPET_PAGE_PROT_OFF 55		/* u8 */

struct hpet_info {
	u64 base;
	u8 hpet_number;
	u16 min_tick;
	u32 event_timer_block_id;	/* bits 12:8 = comparators - 1 */
	u8 page_protection;
};

/*
 * Parses an HPET table that passed acpi_table_check(). The base must be in
 * system memory space (GAS space 0) and non-zero: ACPI_E_MALFORMED if not.
 */
int hpet_parse(const struct acpi_sdt_header *hpet, struct hpet_info *info);

#endif
