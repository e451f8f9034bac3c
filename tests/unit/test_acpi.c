// SPDX-License-Identifier: MIT
/*
 * Unit tests for kernel/acpi.c on ACPI tables captured from QEMU (q35 +
 * intel-iommu; tables.txt in each fixture directory records the command
 * line)
 * and on corrupted copies of them.
 *
 * The fixture tables are placed in a fake physical memory at the addresses
 * they had in the guest, each in its own exact-size heap buffer, so
 * acpi_scan() walks RSDP -> XSDT -> tables for real and AddressSanitizer
 * catches any read past a table's end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/acpi.h"
#include "kernel/cpu_plan.h"
#include "tests/unit/fixture.h"
#include "tests/unit/log_stub.h"

#define FIX_SMP2 "tests/fixtures/acpi/qemu-q35-iommu"
#define FIX_SMP4 "tests/fixtures/acpi/qemu-q35-smp4-aw39"

#define RSDP_PA 0x3f77d014ull
#define RSDT_PA 0x3f77c074ull
#define XSDT_PA 0x3f77c0e8ull
#define FACP_PA 0x3f778000ull
#define APIC_PA 0x3f777000ull
#define HPET_PA 0x3f776000ull
#define MCFG_PA 0x3f775000ull
#define DMAR_PA 0x3f774000ull

/* ---- fake physical memory ---------------------------------------------- */

struct region {
	char sig[5];
	u64 pa;
	u8 *buf;
	u64 len;
};

struct fakemem {
	struct region r[64];
	int n;
	struct acpi_mem mem;
};

static const void *fake_map(void *ctx, u64 pa, u64 len)
{
	struct fakemem *m = ctx;
	int i;

	for (i = 0; i < m->n; i++) {
		struct region *r = &m->r[i];

		if (pa >= r->pa && len <= r->len && pa - r->pa <= r->len - len)
			return r->buf + (pa - r->pa);
	}
	return NULL;
}

static struct region *add_region(struct fakemem *m, const char *sig, u64 pa,
				 const void *data, u64 len)
{
	struct region *r;

	assert_true(m->n < (int)ARRAY_SIZE(m->r));
	r = &m->r[m->n++];
	snprintf(r->sig, sizeof(r->sig), "%.4s", sig);
	r->pa = pa;
	r->len = len;
	r->buf = malloc(len ? len : 1);
	assert_non_null(r->buf);
	memcpy(r->buf, data, len);
	return r;
}

/* Loads DIR/tables.txt ("SIG pa len file" lines) into a fresh fake memory. */
static struct fakemem *load_fixture(const char *dir)
{
	struct fakemem *m = calloc(1, sizeof(*m));
	char path[512], line[512], sig[8], file[64];
	unsigned long long pa;
	unsigned long len;
	u64 flen;
	FILE *f;
	u8 *buf;

	assert_non_null(m);
	snprintf(path, sizeof(path), "%s/tables.txt", dir);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run from the repo root)", path);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		if (sscanf(line, "%4s %llx %lu %63s", sig, &pa, &len, file) != 4)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		buf = fixture_read(path, &flen);
		assert_int_equal(flen, len);
		add_region(m, sig, pa, buf, flen);
		free(buf);
	}
	fclose(f);
	m->mem.map = fake_map;
	m->mem.ctx = m;
	return m;
}

static void free_fixture(struct fakemem *m)
{
	int i;

	for (i = 0; i < m->n; i++)
		free(m->r[i].buf);
	free(m);
}

static struct region *region_of(struct fakemem *m, const char *sig)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->r[i].sig, sig))
			return &m->r[i];
	fail_msg("no %s in fixture", sig);
	return NULL;
}

/* Replaces a region's bytes by a resized copy (for length corruption). */
static void resize_region(struct region *r, u64 len)
{
	u8 *b = calloc(1, len);

	memcpy(b, r->buf, MIN(len, r->len));
	free(r->buf);
	r->buf = b;
	r->len = len;
}

static void fix_checksum(void *table)
{
	struct acpi_sdt_header *h = table;

	h->checksum = 0;
	h->checksum = (u8)(0x100 - acpi_checksum_sum(h, h->length));
}

static void put32(u8 *p, u32 v)
{
	memcpy(p, &v, 4);
}

static void put64(u8 *p, u64 v)
{
	memcpy(p, &v, 8);
}

static struct acpi_sdt_header *table_copy(const char *dir, const char *sig,
					  u64 *len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s.bin", dir, sig);
	return (struct acpi_sdt_header *)fixture_read(path, len);
}

static void expect_log(const char *needle)
{
	if (!log_stub_contains(needle))
		fail_msg("log has no line containing \"%s\"", needle);
}

static int setup(void **state)
{
	log_stub_reset();
	return 0;
}

/* ---- the real tables --------------------------------------------------- */

static void test_scan_q35(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP2);
	struct acpi_tables t;

	assert_int_equal(acpi_scan(&m->mem, RSDP_PA, &t), 0);
	assert_int_equal(t.revision, 2);
	assert_string_equal(t.oem_id, "BOCHS");
	assert_true(t.xsdt);
	assert_int_equal(t.root_pa, XSDT_PA);
	/* OVMF's XSDT: FACP APIC HPET MCFG DMAR WAET BGRT */
	assert_int_equal(t.nentries, 7);
	assert_int_equal(t.ntables, 7);
	assert_int_equal(t.nbad, 0);
	assert_int_equal(t.madt_pa, APIC_PA);
	assert_int_equal(t.mcfg_pa, MCFG_PA);
	assert_int_equal(t.dmar_pa, DMAR_PA);
	assert_int_equal(t.fadt_pa, FACP_PA);
	assert_int_equal(t.hpet_pa, HPET_PA);
	assert_ptr_equal(t.madt, fake_map(m, APIC_PA, 128));
	assert_memory_equal(t.dmar->signature, "DMAR", 4);
	expect_log("[acpi] APIC 0x3f777000 len 128 rev 3 OEM BOCHS BXPC");
	expect_log("[acpi] XSDT 0x3f77c0e8 len 92 rev 1 OEM BOCHS BXPC");
	expect_log("[acpi] 7 tables, 0 bad");
	free_fixture(m);
}

static void test_madt_q35_smp2(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP2);
	struct madt_cpu cpus[8];
	struct madt_ioapic io[4];
	struct madt_info mi;
	struct acpi_tables t;
	int i;

	assert_int_equal(acpi_scan(&m->mem, RSDP_PA, &t), 0);
	assert_int_equal(madt_parse(t.madt, &mi, cpus, 8, io, 4), 0);
	assert_int_equal(mi.lapic_addr, 0xfee00000);
	assert_true(mi.flags & MADT_FLAG_PCAT_COMPAT);
	assert_int_equal(mi.ncpus, 2);
	assert_int_equal(mi.ncpus_listed, 2);
	assert_int_equal(mi.ncpus_stored, 2);
	for (i = 0; i < 2; i++) {
		assert_int_equal(cpus[i].apic_id, i);
		assert_int_equal(cpus[i].acpi_uid, i);
		assert_true(cpus[i].enabled);
		assert_false(cpus[i].x2apic);
		/* "all processors" LAPIC NMI on LINT1 */
		assert_true(cpus[i].has_nmi);
		assert_int_equal(cpus[i].nmi_lint, 1);
	}
	assert_int_equal(mi.nioapics, 1);
	assert_int_equal(io[0].id, 0);
	assert_int_equal(io[0].addr, 0xfec00000);
	assert_int_equal(io[0].gsi_base, 0);
	/* QEMU: IRQ0 -> GSI2; 5, 9, 10, 11 level, active high (PCI links) */
	assert_int_equal(mi.niso, 5);
	assert_true(mi.isa[0].overridden);
	assert_int_equal(mi.isa[0].gsi, 2);
	assert_int_equal(mi.isa[0].flags, 0);
	assert_int_equal(mi.isa[9].gsi, 9);
	assert_int_equal(mi.isa[9].flags,
			 MPS_INTI_TRIGGER_LEVEL | MPS_INTI_POLARITY_HIGH);
	assert_false(mi.isa[1].overridden);
	assert_int_equal(mi.isa[1].gsi, 1);
	assert_int_equal(mi.nnmi, 1);
	assert_int_equal(mi.nskipped, 0);
	free_fixture(m);
}

static void test_madt_q35_smp4(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP4);
	struct madt_cpu cpus[8];
	struct madt_ioapic io[4];
	struct madt_info mi;
	struct acpi_tables t;
	int i;

	assert_int_equal(acpi_scan(&m->mem, RSDP_PA, &t), 0);
	assert_int_equal(madt_parse(t.madt, &mi, cpus, 8, io, 4), 0);
	assert_int_equal(mi.ncpus, 4);
	assert_int_equal(mi.ncpus_stored, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(cpus[i].apic_id, i);
		assert_true(cpus[i].enabled);
	}
	assert_int_equal(mi.nioapics, 1);
	assert_int_equal(io[0].addr, 0xfec00000);
	expect_log("[acpi] APIC: LAPIC 0xfee00000, 4 CPUs enabled (4 listed), 1 IOAPICs, 5 overrides");
	free_fixture(m);
}

static void test_mcfg_q35(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP2);
	struct mcfg_entry e[4];
	struct acpi_tables t;
	u32 n;

	assert_int_equal(acpi_scan(&m->mem, RSDP_PA, &t), 0);
	assert_int_equal(mcfg_parse(t.mcfg, e, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(e[0].base, 0xb0000000);
	assert_int_equal(e[0].segment, 0);
	assert_int_equal(e[0].start_bus, 0);
	assert_int_equal(e[0].end_bus, 0xff);
	/* no room: nothing stored, and said so */
	assert_int_equal(mcfg_parse(t.mcfg, NULL, 0, &n), 0);
	assert_int_equal(n, 0);
	expect_log("MCFG: 1 ECAM windows, room for 0: 1 ignored");
	free_fixture(m);
}

static void test_fadt_q35(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP2);
	struct acpi_tables t;
	struct fadt_info fi;

	assert_int_equal(acpi_scan(&m->mem, RSDP_PA, &t), 0);
	assert_int_equal(fadt_parse(t.fadt, &fi), 0);
	assert_int_equal(fi.revision, 3);
	assert_true(fi.has_pm_tmr);
	assert_int_equal(fi.pm_tmr_port, 0x608);
	assert_int_equal(fi.pm_tmr_mmio, 0);
	assert_int_equal(fi.pm_tmr_len, 4);
	/* QEMU's PM timer is 24 bits: TMR_VAL_EXT clear. */
	assert_false(fi.pm_tmr_32bit);
	assert_true(fi.has_reset);
	assert_int_equal(fi.reset_reg.space_id, ACPI_GAS_IO);
	assert_int_equal(fi.reset_reg.address, 0xcf9);
	assert_int_equal(fi.reset_value, 0x0f);
	assert_int_equal(fi.iapc_boot_arch, FADT_BOOT_8042);
	assert_int_equal(fi.sci_int, 9);
	assert_int_equal(fi.dsdt_pa, 0x3f779000);
	assert_int_equal(fi.facs_pa, 0x3f7dc000);
	assert_int_equal(fi.flags, 0x84a5);
	free_fixture(m);
}

static void test_hpet_q35(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP2);
	struct acpi_tables t;
	struct hpet_info hi;

	assert_int_equal(acpi_scan(&m->mem, RSDP_PA, &t), 0);
	assert_int_equal(hpet_parse(t.hpet, &hi), 0);
	assert_int_equal(hi.base, 0xfed00000);
	assert_int_equal(hi.hpet_number, 0);
	assert_int_equal(hi.event_timer_block_id, 0x8086a201);
	/* bits 12:8: number of comparators - 1 = 2 (3 timers) */
	assert_int_equal((hi.event_timer_block_id >> 8) & 0x1f, 2);
	free_fixture(m);
}

static void test_find_table(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP2);
	const struct acpi_sdt_header *h;
	struct acpi_tables t;
	u64 pa = 0;

	assert_int_equal(acpi_scan(&m->mem, RSDP_PA, &t), 0);
	assert_int_equal(acpi_find_table(&m->mem, &t, "BGRT", 0, &h, &pa), 0);
	assert_int_equal(pa, 0x3f772000);
	assert_int_equal(h->length, 56);
	assert_int_equal(acpi_find_table(&m->mem, &t, "BGRT", 1, &h, &pa),
			 ACPI_E_NOT_FOUND);
	assert_int_equal(acpi_find_table(&m->mem, &t, "SRAT", 0, &h, NULL),
			 ACPI_E_NOT_FOUND);
	assert_null(h);
	free_fixture(m);
}

/* The dump format must be what tools/acpi-extract.py parses. */
static void test_dump_format(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP2);
	struct acpi_tables t;

	assert_int_equal(acpi_scan(&m->mem, RSDP_PA, &t), 0);
	log_stub_reset();
	acpi_dump_table("MCFG", MCFG_PA, t.mcfg, t.mcfg->length);
	assert_int_equal(log_stub_count(), 2);	/* 60 bytes: 32 + 28 */
	expect_log("[acpi] ACPIDUMP MCFG 3f775000 0: 4d4346473c000000018c424f4348532042585043202020200100000042585043");
	expect_log("[acpi] ACPIDUMP MCFG 3f775000 20: 010000000000000000000000000000b000000000000000ff00000000");
	/* Without the DSDT's 304 lines everything fits in the log stub. */
	region_of(m, "DSDT")->pa = 0xf0000000;
	log_stub_reset();
	acpi_dump_all(&m->mem, &t);
	assert_int_equal(log_stub_count(), 34);
	expect_log("ACPIDUMP RSDP 3f77d014 0: 525344205054522066424f434853200274c0773f24000000e8c0773f00000000");
	expect_log("ACPIDUMP RSDP 3f77d014 20: 7e000000");
	expect_log("ACPIDUMP XSDT 3f77c0e8 40: 000000000040773f000000000030773f000000000020773f00000000");
	expect_log("ACPIDUMP RSDT 3f77c074 20: 130000010080773f0070773f0060773f0050773f0040773f0030773f0020773f");
	expect_log("DSDT at 0x3f779000: header not in accessible memory");
	expect_log("ACPIDUMP FACS 3f7dc000 0: 46414353400000");
	expect_log("ACPIDUMP BGRT 3f772000 0: ");
	free_fixture(m);
}

/* ---- acpi_table_check on its own --------------------------------------- */

static void test_table_check(void **state)
{
	u64 len;
	struct acpi_sdt_header *h = table_copy(FIX_SMP2, "HPET", &len);

	assert_int_equal(acpi_table_check(h, len, "HPET"), ACPI_OK);
	assert_int_equal(acpi_table_check(h, len, NULL), ACPI_OK);
	assert_int_equal(acpi_table_check(h, len, "APIC"), ACPI_E_SIGNATURE);
	assert_int_equal(acpi_table_check(h, len - 1, "HPET"),
			 ACPI_E_TRUNCATED);
	assert_int_equal(acpi_table_check(h, 20, "HPET"), ACPI_E_TRUNCATED);
	h->length = 35;
	assert_int_equal(acpi_table_check(h, len, "HPET"), ACPI_E_SHORT);
	h->length = (u32)len;
	((u8 *)h)[50] ^= 0x40;
	assert_int_equal(acpi_table_check(h, len, "HPET"), ACPI_E_CHECKSUM);
	assert_false(acpi_checksum_ok(h, len));
	assert_int_equal(acpi_checksum_sum(h, len), 0x40);
	assert_int_equal(acpi_table_check(NULL, 100, NULL), ACPI_E_TRUNCATED);
	free(h);
}

static void test_strerror(void **state)
{
	int e;

	assert_string_equal(acpi_strerror(ACPI_OK), "ok");
	assert_string_equal(acpi_strerror(ACPI_E_CHECKSUM), "bad checksum");
	for (e = ACPI_E_SIGNATURE; e >= ACPI_E_OVERFLOW; e--)
		assert_string_not_equal(acpi_strerror(e), "unknown error");
	assert_string_equal(acpi_strerror(-1000), "unknown error");
}

/* ---- corrupted tables in the walk -------------------------------------- */

static void test_scan_bad_checksum(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP2);
	struct region *r = region_of(m, "APIC");
	struct acpi_tables t;

	r->buf[60] ^= 0x3c;
	assert_int_equal(acpi_scan(&m->mem, RSDP_PA, &t), 0);
	assert_null(t.madt);
	assert_int_equal(t.madt_pa, 0);
	assert_int_equal(t.nbad, 1);
	assert_int_equal(t.ntables, 6);
	assert_non_null(t.dmar);
	expect_log("0 [acpi] APIC at 0x3f777000: checksum 0x75, bytes sum to 0x3c, expected sum 0 -- table skipped");
	free_fixture(m);
}

static void test_scan_length_beyond_memory(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP2);
	struct region *r = region_of(m, "MCFG");
	struct acpi_tables t;

	/* Claims 4 KiB, only 60 bytes exist: must not be read. */
	((struct acpi_sdt_header *)r->buf)->length = 4096;
	assert_int_equal(acpi_scan(&m->mem, RSDP_PA, &t), 0);
	assert_null(t.mcfg);
	assert_int_equal(t.nbad, 1);
	expect_log("MCFG at 0x3f775000: length 4096 runs into inaccessible memory -- table skipped");
	free_fixture(m);
}

static void test_scan_length_below_header(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP2);
	struct region *r = region_of(m, "HPET");
	struct acpi_tables t;

	((struct acpi_sdt_header *)r->buf)->length = 20;
	assert_int_equal(acpi_scan(&m->mem, RSDP_PA, &t), 0);
	assert_null(t.hpet);
	assert_int_equal(t.nbad, 1);
	expect_log("HPET at 0x3f776000: length 20 smaller than the 36-byte header -- table skipped");
	free_fixture(m);
}

static void test_scan_rsdp_bad_checksum(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP2);
	struct region *r = region_of(m, "RSDP");
	struct acpi_tables t;

	r->buf[9] ^= 1;		/* inside the OEM ID, covered by both sums */
	assert_int_equal(acpi_scan(&m->mem, RSDP_PA, &t), ACPI_E_CHECKSUM);
	assert_null(t.root);
	assert_null(t.madt);
	expect_log("RSDP at 0x3f77d014: checksum 0x66, first 20 bytes sum to 0x01, expected sum 0");
	free_fixture(m);
}

static void test_scan_rsdp_bad_signature(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP2);
	struct acpi_tables t;

	/* 20 bytes from +20 run past the 36-byte RSDP */
	assert_int_equal(acpi_scan(&m->mem, RSDP_PA + 20, &t),
			 ACPI_E_UNMAPPED);
	assert_int_equal(acpi_scan(&m->mem, XSDT_PA, &t), ACPI_E_SIGNATURE);
	expect_log("RSDP at 0x3f77c0e8: bad signature");
	assert_int_equal(acpi_scan(&m->mem, 0x1000, &t), ACPI_E_UNMAPPED);
	expect_log("RSDP at 0x1000: not in accessible memory");
	free_fixture(m);
}

/* Extended checksum broken: the v1 part is still good, so the RSDT is used. */
static void test_scan_rsdp_bad_extended_checksum(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP2);
	struct region *r = region_of(m, "RSDP");
	struct acpi_tables t;

	r->buf[33] ^= 0x10;	/* reserved byte: only the extended sum */
	assert_int_equal(acpi_scan(&m->mem, RSDP_PA, &t), 0);
	assert_false(t.xsdt);
	assert_int_equal(t.root_pa, RSDT_PA);
	assert_int_equal(t.ntables, 7);
	assert_int_equal(t.madt_pa, APIC_PA);
	expect_log("RSDP at 0x3f77d014: extended checksum");
	expect_log("using RSDT");
	free_fixture(m);
}

static void test_scan_bad_xsdt_falls_back(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP2);
	struct region *r = region_of(m, "XSDT");
	struct acpi_tables t;

	r->buf[40] ^= 0xff;
	assert_int_equal(acpi_scan(&m->mem, RSDP_PA, &t), 0);
	assert_false(t.xsdt);
	assert_int_equal(t.root_pa, RSDT_PA);
	assert_int_equal(t.dmar_pa, DMAR_PA);
	expect_log("XSDT at 0x3f77c0e8: checksum");
	expect_log("XSDT unusable, falling back to the RSDT");
	free_fixture(m);
}

static void test_scan_no_root(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP2);
	struct acpi_tables t;

	region_of(m, "XSDT")->buf[40] ^= 0xff;
	region_of(m, "RSDT")->buf[40] ^= 0xff;
	assert_int_equal(acpi_scan(&m->mem, RSDP_PA, &t), ACPI_E_MALFORMED);
	assert_null(t.root);
	expect_log("no usable root table -- no ACPI tables");
	free_fixture(m);
}

static void test_scan_xsdt_entry_unmapped(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP2);
	struct region *r = region_of(m, "XSDT");
	struct acpi_tables t;

	/* Entry 4 is the DMAR; point it into nowhere. */
	put64(r->buf + 36 + 4 * 8, 0xdead0000ull);
	fix_checksum(r->buf);
	assert_int_equal(acpi_scan(&m->mem, RSDP_PA, &t), 0);
	assert_true(t.xsdt);
	assert_null(t.dmar);
	assert_int_equal(t.nbad, 1);
	assert_int_equal(t.ntables, 6);
	assert_non_null(t.madt);
	expect_log("at 0xdead0000: header not in accessible memory -- table skipped");
	free_fixture(m);
}

static void test_scan_null_entry_and_trailing_bytes(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP2);
	struct region *r = region_of(m, "XSDT");
	struct acpi_tables t;

	put64(r->buf + 36 + 6 * 8, 0);		/* BGRT slot */
	resize_region(r, 92 + 4);		/* half an entry more */
	((struct acpi_sdt_header *)r->buf)->length = 96;
	fix_checksum(r->buf);
	assert_int_equal(acpi_scan(&m->mem, RSDP_PA, &t), 0);
	assert_true(t.xsdt);
	assert_int_equal(t.nentries, 7);
	assert_int_equal(t.ntables, 6);
	assert_int_equal(t.nbad, 1);
	expect_log("XSDT entry 6 is null -- skipped");
	expect_log("XSDT at 0x3f77c0e8: 4 trailing bytes after the last entry ignored");
	free_fixture(m);
}

static void test_scan_duplicate_signature(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP2);
	struct region *x = region_of(m, "XSDT");
	struct region *a = region_of(m, "APIC");
	struct acpi_tables t;

	/* A second, valid MADT replaces the WAET (entry 5). */
	add_region(m, "APIC", 0x50000000, a->buf, a->len);
	put64(x->buf + 36 + 5 * 8, 0x50000000);
	fix_checksum(x->buf);
	assert_int_equal(acpi_scan(&m->mem, RSDP_PA, &t), 0);
	assert_int_equal(t.madt_pa, APIC_PA);
	assert_int_equal(t.ntables, 7);
	expect_log("APIC at 0x50000000: second APIC table ignored, using the one at 0x3f777000");
	free_fixture(m);
}

static void test_scan_rsdp_v1(void **state)
{
	struct fakemem *m = load_fixture(FIX_SMP2);
	struct region *r = region_of(m, "RSDP");
	struct acpi_tables t;

	/* An ACPI 1.0 RSDP: revision 0, 20 bytes, no XSDT. */
	resize_region(r, 20);
	r->buf[15] = 0;
	r->buf[8] = 0;
	r->buf[8] = (u8)(0x100 - acpi_checksum_sum(r->buf, 20));
	assert_int_equal(acpi_scan(&m->mem, RSDP_PA, &t), 0);
	assert_int_equal(t.revision, 0);
	assert_false(t.xsdt);
	assert_int_equal(t.root_pa, RSDT_PA);
	assert_int_equal(t.fadt_pa, FACP_PA);
	free_fixture(m);
}

/* ---- MADT -------------------------------------------------------------- */

/* Builds a MADT: header + lapic addr + flags, then raw entries. */
struct madt_builder {
	u8 buf[8192];
	u32 len;
};

static void mb_init(struct madt_builder *b)
{
	memset(b, 0, sizeof(*b));
	memcpy(b->buf, "APIC", 4);
	b->buf[8] = 5;
	memcpy(b->buf + 10, "TESTOE", 6);
	put32(b->buf + 36, 0xfee00000);
	put32(b->buf + 40, 1);
	b->len = 44;
}

static void mb_add(struct madt_builder *b, const u8 *e, u32 n)
{
	assert_true(b->len + n <= sizeof(b->buf));
	memcpy(b->buf + b->len, e, n);
	b->len += n;
}

static void mb_lapic(struct madt_builder *b, u8 uid, u8 id, u32 flags)
{
	u8 e[8] = { MADT_TYPE_LAPIC, 8, uid, id };

	put32(e + 4, flags);
	mb_add(b, e, 8);
}

static void mb_x2apic(struct madt_builder *b, u32 id, u32 uid, u32 flags)
{
	u8 e[16] = { MADT_TYPE_X2APIC, 16 };

	put32(e + 4, id);
	put32(e + 8, flags);
	put32(e + 12, uid);
	mb_add(b, e, 16);
}

/* Finishes the table into an exact-size heap copy (ASan sees overreads). */
static struct acpi_sdt_header *mb_done(struct madt_builder *b)
{
	struct acpi_sdt_header *h;

	put32(b->buf + 4, b->len);
	fix_checksum(b->buf);
	h = malloc(b->len);
	memcpy(h, b->buf, b->len);
	assert_int_equal(acpi_table_check(h, b->len, "APIC"), 0);
	return h;
}

static void test_madt_entry_length_zero(void **state)
{
	struct madt_builder b;
	struct acpi_sdt_header *h;
	struct madt_cpu cpus[4];
	struct madt_info mi;
	u8 zero_len[4] = { MADT_TYPE_IOAPIC, 0, 0, 0 };

	mb_init(&b);
	mb_lapic(&b, 0, 0, 1);
	mb_add(&b, zero_len, 4);
	mb_lapic(&b, 1, 1, 1);
	h = mb_done(&b);
	assert_int_equal(madt_parse(h, &mi, cpus, 4, NULL, 0),
			 ACPI_E_MALFORMED);
	/* What came before the bad entry is kept; nothing after it. */
	assert_int_equal(mi.ncpus, 1);
	assert_int_equal(cpus[0].apic_id, 0);
	expect_log("APIC: lying entry length 0 (type 1 at offset 52, table length 64) -- rest of table ignored");
	free(h);
}

static void test_madt_entry_past_end(void **state)
{
	struct madt_builder b;
	struct acpi_sdt_header *h;
	struct madt_cpu cpus[4];
	struct madt_ioapic io[2];
	struct madt_info mi;
	u8 e[12] = { MADT_TYPE_IOAPIC, 12, 7 };

	mb_init(&b);
	mb_lapic(&b, 0, 0, 1);
	mb_add(&b, e, 6);	/* claims 12, table ends after 6 */
	h = mb_done(&b);
	assert_int_equal(madt_parse(h, &mi, cpus, 4, io, 2), ACPI_E_MALFORMED);
	assert_int_equal(mi.nioapics, 0);
	assert_int_equal(mi.ncpus, 1);
	expect_log("APIC: lying entry length 12 (type 1 at offset 52, table length 58)");
	free(h);

	/* A single stray byte after the last entry. */
	mb_init(&b);
	mb_lapic(&b, 0, 0, 1);
	mb_add(&b, e, 1);
	h = mb_done(&b);
	log_stub_reset();
	assert_int_equal(madt_parse(h, &mi, cpus, 4, io, 2), ACPI_E_MALFORMED);
	expect_log("APIC: lying entry length: 1 stray bytes at offset 52");
	free(h);
}

static void test_madt_lapic_wrong_size(void **state)
{
	struct madt_builder b;
	struct acpi_sdt_header *h;
	struct madt_cpu cpus[4];
	struct madt_info mi;
	u8 short_lapic[6] = { MADT_TYPE_LAPIC, 6, 5, 5, 1, 0 };
	u8 long_lapic[10] = { MADT_TYPE_LAPIC, 10, 7, 7, 1, 0, 0, 0, 0xaa, 0xbb };

	mb_init(&b);
	mb_lapic(&b, 0, 0, 1);
	mb_add(&b, short_lapic, 6);
	mb_add(&b, long_lapic, 10);	/* longer than 8: known prefix used */
	h = mb_done(&b);
	assert_int_equal(madt_parse(h, &mi, cpus, 4, NULL, 0), 0);
	assert_int_equal(mi.ncpus, 2);
	assert_int_equal(cpus[0].apic_id, 0);
	assert_int_equal(cpus[1].apic_id, 7);
	assert_int_equal(mi.nskipped, 1);
	expect_log("APIC: local APIC entry at offset 52 has length 6, needs 8 -- entry skipped");
	free(h);
}

static void test_madt_cpu_overflow(void **state)
{
	struct madt_builder b;
	struct acpi_sdt_header *h;
	struct madt_cpu cpus[4];
	struct madt_info mi;
	int i;

	mb_init(&b);
	for (i = 0; i < 10; i++)
		mb_lapic(&b, i, i, MADT_LAPIC_ENABLED);
	h = mb_done(&b);
	assert_int_equal(madt_parse(h, &mi, cpus, 4, NULL, 0), 0);
	assert_int_equal(mi.ncpus, 10);
	assert_int_equal(mi.ncpus_listed, 10);
	assert_int_equal(mi.ncpus_stored, 4);
	assert_int_equal(cpus[3].apic_id, 3);
	expect_log("0 [acpi] APIC: 10 CPUs listed (10 enabled), room for 4: 6 ignored (6 of them enabled)");
	free(h);
}

/* Firmware (VMware, many servers) lists hot-plug slots as disabled CPUs,
 * possibly before the real ones: enabled CPUs get the array first. */
static void test_madt_disabled_cpus(void **state)
{
	struct madt_builder b;
	struct acpi_sdt_header *h;
	struct madt_cpu cpus[3];
	struct madt_info mi;

	mb_init(&b);
	mb_lapic(&b, 10, 10, MADT_LAPIC_ONLINE_CAPABLE);
	mb_lapic(&b, 11, 11, 0);
	mb_lapic(&b, 0, 0, MADT_LAPIC_ENABLED);
	mb_lapic(&b, 1, 2, MADT_LAPIC_ENABLED);
	h = mb_done(&b);
	assert_int_equal(madt_parse(h, &mi, cpus, 3, NULL, 0), 0);
	assert_int_equal(mi.ncpus, 2);
	assert_int_equal(mi.ncpus_listed, 4);
	assert_int_equal(mi.ncpus_stored, 3);
	assert_int_equal(cpus[0].apic_id, 0);
	assert_true(cpus[0].enabled);
	assert_int_equal(cpus[1].apic_id, 2);
	assert_int_equal(cpus[1].acpi_uid, 1);
	assert_int_equal(cpus[2].apic_id, 10);
	assert_false(cpus[2].enabled);
	assert_true(cpus[2].online_capable);
	expect_log("APIC: 4 CPUs listed (2 enabled), room for 3: 1 ignored (0 of them enabled)");
	free(h);
}

static void test_madt_x2apic_and_overrides(void **state)
{
	struct madt_builder b;
	struct acpi_sdt_header *h;
	struct madt_cpu cpus[8];
	struct madt_ioapic io[1];
	struct madt_info mi;
	u8 ovr[12] = { MADT_TYPE_LAPIC_OVERRIDE, 12 };
	u8 x2nmi[12] = { MADT_TYPE_X2APIC_NMI, 12, 0x05, 0x00 };
	u8 nmi_one[6] = { MADT_TYPE_LAPIC_NMI, 6, 0, 0x0d, 0x00, 0 };
	u8 iso_pci[10] = { MADT_TYPE_ISO, 10, 1, 3, 20, 0, 0, 0, 0, 0 };
	u8 iso_dup[10] = { MADT_TYPE_ISO, 10, 0, 0, 9, 0, 0, 0, 0, 0 };
	u8 iso0[10] = { MADT_TYPE_ISO, 10, 0, 0, 2, 0, 0, 0, 0, 0 };
	u8 ioapic[12] = { MADT_TYPE_IOAPIC, 12, 3, 0 };
	u8 ioapic2[12] = { MADT_TYPE_IOAPIC, 12, 4, 0 };
	u8 unknown[20] = { 0x7f, 20 };

	put64(ovr + 4, 0xfee00000ull | (1ull << 40));
	put32(x2nmi + 4, MADT_UID_ALL_X2APIC);
	x2nmi[8] = 1;
	put32(ioapic + 4, 0xfec00000);
	put32(ioapic2 + 4, 0xfec01000);
	put32(ioapic2 + 8, 24);

	mb_init(&b);
	mb_add(&b, x2nmi, 12);		/* NMIs before the CPUs they name */
	mb_add(&b, nmi_one, 6);
	mb_lapic(&b, 0, 0, 1);
	mb_x2apic(&b, 0x100, 1, 1);
	mb_x2apic(&b, 0, 9, 1);		/* repeats APIC ID 0 */
	mb_add(&b, ovr, 12);
	mb_add(&b, iso0, 10);
	mb_add(&b, iso_dup, 10);
	mb_add(&b, iso_pci, 10);
	mb_add(&b, ioapic, 12);
	mb_add(&b, ioapic2, 12);
	mb_add(&b, unknown, 20);
	h = mb_done(&b);

	assert_int_equal(madt_parse(h, &mi, cpus, 8, io, 1), 0);
	assert_int_equal(mi.lapic_addr, 0x100fee00000ull);
	assert_int_equal(mi.ncpus, 2);
	assert_int_equal(cpus[1].apic_id, 0x100);
	assert_true(cpus[1].x2apic);
	assert_int_equal(cpus[1].acpi_uid, 1);
	/* all-CPU x2APIC NMI on LINT1, then UID 0 overridden to LINT0 */
	assert_true(cpus[1].has_nmi);
	assert_int_equal(cpus[1].nmi_lint, 1);
	assert_int_equal(cpus[1].nmi_flags, 5);
	assert_int_equal(cpus[0].nmi_lint, 0);
	assert_int_equal(cpus[0].nmi_flags, 0x0d);
	assert_int_equal(mi.nnmi, 2);
	assert_int_equal(mi.isa[0].gsi, 2);
	assert_int_equal(mi.niso, 1);
	assert_int_equal(mi.nioapics, 2);
	assert_int_equal(mi.nioapics_stored, 1);
	assert_int_equal(io[0].id, 3);
	expect_log("APIC: CPU with APIC ID 0 (UID 9) listed twice -- duplicate ignored");
	expect_log("APIC: second override for ISA IRQ 0 (GSI 9) -- ignored, keeping GSI 2");
	expect_log("APIC: interrupt override for bus 1 IRQ 3 (not ISA 0-15) -- ignored");
	expect_log("APIC: 2 IOAPICs listed, room for 1: 1 ignored");
	free(h);
}

static void test_madt_short_table(void **state)
{
	struct madt_builder b;
	struct acpi_sdt_header *h;
	struct madt_info mi;

	mb_init(&b);
	b.len = 40;		/* no room for the flags field */
	h = mb_done(&b);
	assert_int_equal(madt_parse(h, &mi, NULL, 0, NULL, 0), ACPI_E_SHORT);
	expect_log("APIC: length 40, needs at least 44 -- table skipped");
	assert_int_equal(madt_parse(h, &mi, NULL, 4, NULL, 0), ACPI_E_INVAL);
	free(h);
}

/* ---- MCFG -------------------------------------------------------------- */

static struct acpi_sdt_header *mcfg_make(u32 nent, u32 extra)
{
	u32 len = MCFG_ENTRIES_OFF + nent * MCFG_ENTRY_LEN + extra;
	u8 *b = calloc(1, len);
	u32 i;

	memcpy(b, "MCFG", 4);
	put32(b + 4, len);
	b[8] = 1;
	for (i = 0; i < nent; i++) {
		u8 *e = b + MCFG_ENTRIES_OFF + i * MCFG_ENTRY_LEN;

		put64(e, 0xe0000000ull + ((u64)i << 28));
		e[8] = (u8)i;		/* segment */
		e[10] = 0;
		e[11] = 0x3f;
	}
	fix_checksum(b);
	return (struct acpi_sdt_header *)b;
}

static void test_mcfg_partial_entry(void **state)
{
	struct acpi_sdt_header *h = mcfg_make(1, 8);
	struct mcfg_entry e[4];
	u32 n = 99;

	assert_int_equal(acpi_table_check(h, h->length, "MCFG"), 0);
	assert_int_equal(mcfg_parse(h, e, 4, &n), ACPI_E_MALFORMED);
	assert_int_equal(n, 0);
	expect_log("MCFG: length 68 is not 44 + n*16 -- table skipped");
	free(h);
}

static void test_mcfg_bad_entries_and_overflow(void **state)
{
	struct acpi_sdt_header *h = mcfg_make(5, 0);
	u8 *b = (u8 *)h;
	struct mcfg_entry e[2];
	u32 n;

	put64(b + MCFG_ENTRIES_OFF + 1 * 16, 0);	/* base 0 */
	b[MCFG_ENTRIES_OFF + 2 * 16 + 10] = 0x40;	/* start > end */
	fix_checksum(b);
	assert_int_equal(mcfg_parse(h, e, 2, &n), 0);
	assert_int_equal(n, 2);	/* stored; the third valid one is reported */
	assert_int_equal(e[0].segment, 0);
	assert_int_equal(e[1].segment, 3);
	assert_int_equal(e[1].base, 0xe0000000ull + (3ull << 28));
	assert_int_equal(e[1].end_bus, 0x3f);
	expect_log("MCFG: entry 1: base 0x0 segment 1 buses 00-3f invalid -- entry skipped");
	expect_log("MCFG: entry 2: base 0x100000000 segment 2 buses 40-3f invalid -- entry skipped");
	expect_log("MCFG: 3 ECAM windows, room for 2: 1 ignored");
	free(h);
}

/* ---- FADT -------------------------------------------------------------- */

static void test_fadt_v1_short(void **state)
{
	u64 len;
	struct acpi_sdt_header *full = table_copy(FIX_SMP2, "FACP", &len);
	struct acpi_sdt_header *h = malloc(116);
	struct fadt_info fi;

	/* An ACPI 1.0 FADT: revision 1, 116 bytes, 32-bit timer. */
	memcpy(h, full, 116);
	h->length = 116;
	h->revision = 1;
	put32((u8 *)h + FADT_FLAGS_OFF, FADT_F_TMR_VAL_EXT);
	fix_checksum(h);
	assert_int_equal(fadt_parse(h, &fi), 0);
	assert_int_equal(fi.pm_tmr_port, 0x608);
	assert_true(fi.pm_tmr_32bit);
	assert_false(fi.has_reset);
	assert_int_equal(fi.iapc_boot_arch, 0);
	assert_int_equal(fi.dsdt_pa, 0x3f779000);
	free(h);

	h = malloc(100);
	memcpy(h, full, 100);
	h->length = 100;
	fix_checksum(h);
	assert_int_equal(fadt_parse(h, &fi), ACPI_E_SHORT);
	expect_log("FACP: length 100, needs at least 116 -- table skipped");
	free(h);
	free(full);
}

static void test_fadt_x_pm_tmr(void **state)
{
	u64 len;
	struct acpi_sdt_header *h = table_copy(FIX_SMP2, "FACP", &len);
	u8 *b = (u8 *)h;
	struct fadt_info fi;

	/* X_PM_TMR_BLK zero: falls back to PM_TMR_BLK */
	memset(b + FADT_X_PM_TMR_BLK_OFF, 0, 12);
	put32(b + FADT_PM_TMR_BLK_OFF, 0x1008);
	fix_checksum(h);
	assert_int_equal(fadt_parse(h, &fi), 0);
	assert_int_equal(fi.pm_tmr_port, 0x1008);

	/* X_PM_TMR_BLK in memory space wins over PM_TMR_BLK */
	b[FADT_X_PM_TMR_BLK_OFF] = ACPI_GAS_MEMORY;
	b[FADT_X_PM_TMR_BLK_OFF + 1] = 32;
	put64(b + FADT_X_PM_TMR_BLK_OFF + 4, 0xfe000808ull);
	fix_checksum(h);
	assert_int_equal(fadt_parse(h, &fi), 0);
	assert_true(fi.has_pm_tmr);
	assert_int_equal(fi.pm_tmr_mmio, 0xfe000808ull);
	assert_int_equal(fi.pm_tmr_port, 0);

	/* X_PM_TMR_BLK in PCI config space: unusable, PM_TMR_BLK used */
	b[FADT_X_PM_TMR_BLK_OFF] = ACPI_GAS_PCI_CONFIG;
	fix_checksum(h);
	assert_int_equal(fadt_parse(h, &fi), 0);
	assert_int_equal(fi.pm_tmr_port, 0x1008);
	expect_log("FACP: X_PM_TMR_BLK space 2 address 0xfe000808 unusable, trying PM_TMR_BLK");

	/* no reset register support flag */
	put32(b + FADT_FLAGS_OFF, 0);
	fix_checksum(h);
	assert_int_equal(fadt_parse(h, &fi), 0);
	assert_false(fi.has_reset);
	free(h);
}

/* ---- HPET -------------------------------------------------------------- */

static void test_hpet_bad(void **state)
{
	u64 len;
	struct acpi_sdt_header *h = table_copy(FIX_SMP2, "HPET", &len);
	u8 *b = (u8 *)h;
	struct hpet_info hi;

	b[HPET_BASE_OFF] = ACPI_GAS_IO;
	fix_checksum(h);
	assert_int_equal(hpet_parse(h, &hi), ACPI_E_MALFORMED);
	expect_log("HPET: base address space 1 address 0xfed00000, needs system memory -- table skipped");

	b[HPET_BASE_OFF] = ACPI_GAS_MEMORY;
	put64(b + HPET_BASE_OFF + 4, 0);
	assert_int_equal(hpet_parse(h, &hi), ACPI_E_MALFORMED);

	h->length = 52;
	assert_int_equal(hpet_parse(h, &hi), ACPI_E_SHORT);
	free(h);
}

/* Disabled placeholders (id 255 twice, id 0 repeated, as on an HP Compaq
 * 6730b) are firmware normality: one summary line, no warning. */
static void test_madt_placeholders_quiet(void **state)
{
	struct madt_builder b;
	struct acpi_sdt_header *h;
	struct madt_info mi;
	struct madt_cpu cpus[8];

	mb_init(&b);
	mb_lapic(&b, 0, 0, MADT_LAPIC_ENABLED);
	mb_lapic(&b, 1, 1, MADT_LAPIC_ENABLED);
	mb_lapic(&b, 2, 0, 0);
	mb_lapic(&b, 3, 0xff, 0);
	mb_lapic(&b, 4, 0xff, 0);
	h = mb_done(&b);
	log_stub_reset();
	assert_int_equal(madt_parse(h, &mi, cpus, 8, NULL, 0), 0);
	assert_int_equal(mi.ncpus, 2);
	assert_int_equal(mi.nplaceholders, 3);
	assert_false(log_stub_contains("listed twice"));
	expect_log("APIC: 3 disabled placeholder CPU entries (all-ones or repeated APIC id) ignored");
	free(h);
}

/* ---- APIC mode and CPUs started (kernel/cpu_plan.c), issue 12 ----------- */

static void test_cpu_plan_opt_out(void **state)
{
	struct cpu_plan p;

	cpu_plan_apic(true, 0, &p);
	assert_true(p.x2apic);
	cpu_plan_apic(true, DMAR_FLAG_INTR_REMAP | DMAR_FLAG_X2APIC_OPT_OUT, &p);
	assert_false(p.x2apic);
	assert_non_null(strstr(p.why, "X2APIC_OPT_OUT"));
	cpu_plan_apic(false, 0, &p);
	assert_false(p.x2apic);
	assert_int_equal(acpi_dmar_flags(NULL), 0);
}

/* 300 enabled CPUs, ids 0..299: x2APIC starts HV_MAX_CPUS (256, more than
 * the 96 of the largest real machine), xAPIC only ids 0-254. */
static void test_cpu_plan_count(void **state)
{
	static struct madt_cpu cpus[300];
	struct cpu_plan p = { .x2apic = true };
	u32 i;

	for (i = 0; i < 300; i++)
		cpus[i] = (struct madt_cpu){ .apic_id = i, .enabled = i != 7 };
	cpu_plan_count(cpus, 300, 256, &p);
	assert_int_equal(p.enabled, 299);
	assert_int_equal(p.started, 256);
	assert_int_equal(p.over_limit, 43);
	p.x2apic = false;
	cpu_plan_count(cpus, 300, 256, &p);
	assert_int_equal(p.started, 254);	/* 0-254 without id 7 */
	assert_int_equal(p.unreachable, 45);
	assert_false(cpu_plan_reachable(255, false));
	assert_true(cpu_plan_reachable(0x1000, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_scan_q35, setup),
		cmocka_unit_test_setup(test_madt_q35_smp2, setup),
		cmocka_unit_test_setup(test_madt_q35_smp4, setup),
		cmocka_unit_test_setup(test_mcfg_q35, setup),
		cmocka_unit_test_setup(test_fadt_q35, setup),
		cmocka_unit_test_setup(test_hpet_q35, setup),
		cmocka_unit_test_setup(test_find_table, setup),
		cmocka_unit_test_setup(test_dump_format, setup),
		cmocka_unit_test_setup(test_table_check, setup),
		cmocka_unit_test_setup(test_strerror, setup),
		cmocka_unit_test_setup(test_scan_bad_checksum, setup),
		cmocka_unit_test_setup(test_scan_length_beyond_memory, setup),
		cmocka_unit_test_setup(test_scan_length_below_header, setup),
		cmocka_unit_test_setup(test_scan_rsdp_bad_checksum, setup),
		cmocka_unit_test_setup(test_scan_rsdp_bad_signature, setup),
		cmocka_unit_test_setup(test_scan_rsdp_bad_extended_checksum, setup),
		cmocka_unit_test_setup(test_scan_bad_xsdt_falls_back, setup),
		cmocka_unit_test_setup(test_scan_no_root, setup),
		cmocka_unit_test_setup(test_scan_xsdt_entry_unmapped, setup),
		cmocka_unit_test_setup(test_scan_null_entry_and_trailing_bytes, setup),
		cmocka_unit_test_setup(test_scan_duplicate_signature, setup),
		cmocka_unit_test_setup(test_scan_rsdp_v1, setup),
		cmocka_unit_test_setup(test_madt_entry_length_zero, setup),
		cmocka_unit_test_setup(test_madt_entry_past_end, setup),
		cmocka_unit_test_setup(test_madt_lapic_wrong_size, setup),
		cmocka_unit_test_setup(test_madt_cpu_overflow, setup),
		cmocka_unit_test_setup(test_madt_disabled_cpus, setup),
		cmocka_unit_test_setup(test_madt_x2apic_and_overrides, setup),
		cmocka_unit_test_setup(test_madt_short_table, setup),
		cmocka_unit_test_setup(test_mcfg_partial_entry, setup),
		cmocka_unit_test_setup(test_mcfg_bad_entries_and_overflow, setup),
		cmocka_unit_test_setup(test_fadt_v1_short, setup),
		cmocka_unit_test_setup(test_fadt_x_pm_tmr, setup),
		cmocka_unit_test_setup(test_hpet_bad, setup),
		cmocka_unit_test_setup(test_madt_placeholders_quiet, setup),
		cmocka_unit_test_setup(test_cpu_plan_opt_out, setup),
		cmocka_unit_test_setup(test_cpu_plan_count, setup),
	};

	return cmocka_run_group_tests_name("acpi", tests, NULL, NULL);
}
