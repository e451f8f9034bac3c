// SPDX-License-Identifier: MIT
/*
 * Unit tests for iommu/dmar.c: the DMAR tables QEMU's intel-iommu produces
 * (captured under tests/fixtures/acpi/), reached both directly and through
 * acpi_scan(), plus hand-built and corrupted tables. Every table lives in an
 * exact-size heap buffer so AddressSanitizer catches any overread.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "iommu/dmar.h"
#include "iommu/vtd_plan.h"
#include "iommu/iommu.h"
#include "kernel/acpi.h"
#include "tests/unit/fixture.h"
#include "tests/unit/log_stub.h"

#define FIX_SMP2 "tests/fixtures/acpi/qemu-q35-iommu"
#define FIX_SMP4 "tests/fixtures/acpi/qemu-q35-smp4-aw39"
#define RSDP_PA 0x3f77d014ull

static struct acpi_sdt_header *load_dmar(const char *dir)
{
	char path[512];
	struct acpi_sdt_header *h;
	u64 len;

	snprintf(path, sizeof(path), "%s/DMAR.bin", dir);
	h = (struct acpi_sdt_header *)fixture_read(path, &len);
	assert_int_equal(acpi_table_check(h, len, "DMAR"), 0);
	return h;
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

static void put16(u8 *p, u16 v)
{
	memcpy(p, &v, 2);
}

static void put32(u8 *p, u32 v)
{
	memcpy(p, &v, 4);
}

static void put64(u8 *p, u64 v)
{
	memcpy(p, &v, 8);
}

/* ---- a minimal fake physical memory for the acpi_scan() path ----------- */

struct region {
	u64 pa;
	u8 *buf;
	u64 len;
};

struct fakemem {
	struct region r[32];
	int n;
};

static const void *fake_map(void *ctx, u64 pa, u64 len)
{
	struct fakemem *m = ctx;
	int i;

	for (i = 0; i < m->n; i++)
		if (pa >= m->r[i].pa && len <= m->r[i].len &&
		    pa - m->r[i].pa <= m->r[i].len - len)
			return m->r[i].buf + (pa - m->r[i].pa);
	return NULL;
}

static void load_fixture(struct fakemem *m, const char *dir)
{
	char path[512], line[512], sig[8], file[64];
	unsigned long long pa;
	unsigned long len;
	FILE *f;
	u64 flen;

	memset(m, 0, sizeof(*m));
	snprintf(path, sizeof(path), "%s/tables.txt", dir);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run from the repo root)", path);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' ||
		    sscanf(line, "%4s %llx %lu %63s", sig, &pa, &len, file) != 4)
			continue;
		assert_true(m->n < (int)ARRAY_SIZE(m->r));
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		m->r[m->n].buf = fixture_read(path, &flen);
		assert_int_equal(flen, len);
		m->r[m->n].pa = pa;
		m->r[m->n].len = flen;
		m->n++;
	}
	fclose(f);
}

static void free_fixture(struct fakemem *m)
{
	int i;

	for (i = 0; i < m->n; i++)
		free(m->r[i].buf);
}

/* ---- a DMAR builder ---------------------------------------------------- */

struct dmar_builder {
	u8 buf[4096];
	u32 len;
	u32 open;		/* offset of the structure being built */
};

static void db_init(struct dmar_builder *b, u8 haw_field, u8 flags)
{
	memset(b, 0, sizeof(*b));
	memcpy(b->buf, "DMAR", 4);
	b->buf[8] = 1;
	memcpy(b->buf + 10, "TESTOE", 6);
	b->buf[DMAR_HAW_OFF] = haw_field;
	b->buf[DMAR_FLAGS_OFF] = flags;
	b->len = DMAR_STRUCTS_OFF;
}

/* Starts a structure of the given type with fixed-part bytes `fixed`
 * (type and length filled in by db_close). */
static u8 *db_open(struct dmar_builder *b, u16 type, u32 fixed)
{
	u8 *p = b->buf + b->len;

	b->open = b->len;
	put16(p, type);
	b->len += fixed;
	return p;
}

static void db_scope(struct dmar_builder *b, u8 type, u8 id, u8 bus,
		     const u8 *path, u8 npairs)
{
	u8 *p = b->buf + b->len;

	p[0] = type;
	p[1] = (u8)(DMAR_SCOPE_HDR_LEN + 2 * npairs);
	p[4] = id;
	p[5] = bus;
	if (npairs)
		memcpy(p + DMAR_SCOPE_HDR_LEN, path, 2 * npairs);
	b->len += p[1];
}

static void db_close(struct dmar_builder *b)
{
	put16(b->buf + b->open + 2, (u16)(b->len - b->open));
}

static u8 *db_drhd(struct dmar_builder *b, u8 flags, u16 seg, u64 base)
{
	u8 *p = db_open(b, DMAR_TYPE_DRHD, DMAR_DRHD_LEN);

	p[4] = flags;
	put16(p + 6, seg);
	put64(p + 8, base);
	return p;
}

static u8 *db_rmrr(struct dmar_builder *b, u16 seg, u64 base, u64 limit)
{
	u8 *p = db_open(b, DMAR_TYPE_RMRR, DMAR_RMRR_LEN);

	put16(p + 6, seg);
	put64(p + 8, base);
	put64(p + 16, limit);
	return p;
}

/* Exact-size heap copy with a valid checksum. */
static struct acpi_sdt_header *db_done(struct dmar_builder *b)
{
	struct acpi_sdt_header *h = malloc(b->len);

	put32(b->buf + 4, b->len);
	b->buf[9] = 0;
	b->buf[9] = (u8)(0x100 - acpi_checksum_sum(b->buf, b->len));
	memcpy(h, b->buf, b->len);
	assert_int_equal(acpi_table_check(h, b->len, "DMAR"), 0);
	return h;
}

static const u8 p00_0[] = { 0x00, 0 };
static const u8 p1d_0[] = { 0x1d, 0 };
static const u8 p1a_0[] = { 0x1a, 0 };
static const u8 p1c_0_00_0[] = { 0x1c, 0, 0x00, 0 };

/* A well-formed table with one of everything. */
static struct acpi_sdt_header *build_full(void)
{
	struct dmar_builder b;
	u8 *p;

	db_init(&b, 38, DMAR_FLAG_INTR_REMAP | DMAR_FLAG_X2APIC_OPT_OUT);
	db_drhd(&b, 0, 0, 0xfed90000);
	db_scope(&b, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, (const u8[]){ 2, 0 }, 1);
	db_close(&b);
	p = db_drhd(&b, DMAR_DRHD_INCLUDE_PCI_ALL, 0, 0xfed91000);
	p[5] = 1;	/* size: 2 pages */
	db_scope(&b, DMAR_SCOPE_IOAPIC, 2, 0xf0, (const u8[]){ 0x1f, 0 }, 1);
	db_scope(&b, DMAR_SCOPE_HPET, 0, 0, (const u8[]){ 0x1f, 7 }, 1);
	db_close(&b);
	db_rmrr(&b, 0, 0x3e000000, 0x3e0fffff);
	db_scope(&b, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, p1d_0, 1);
	db_scope(&b, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, p1a_0, 1);
	db_scope(&b, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, p1c_0_00_0, 2);
	db_close(&b);
	p = db_open(&b, DMAR_TYPE_ATSR, DMAR_ATSR_LEN);
	p[4] = 0;
	db_scope(&b, DMAR_SCOPE_PCI_BRIDGE, 0, 0, (const u8[]){ 0x1c, 0 }, 1);
	db_close(&b);
	p = db_open(&b, DMAR_TYPE_RHSA, DMAR_RHSA_LEN);
	put64(p + 8, 0xfed90000);
	put32(p + 16, 1);
	db_close(&b);
	p = db_open(&b, DMAR_TYPE_ANDD, DMAR_ANDD_LEN);
	p[7] = 1;
	memcpy(b.buf + b.len, "\\_SB.PCI0.UAR0", 15);
	b.len += 15;
	db_close(&b);
	p = db_open(&b, DMAR_TYPE_SATC, DMAR_SATC_LEN);
	p[4] = DMAR_SATC_ATC_REQUIRED;
	db_scope(&b, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, (const u8[]){ 3, 0 }, 1);
	db_close(&b);
	p = db_open(&b, 0x4242, 12);	/* a future structure type */
	db_close(&b);
	return db_done(&b);
}

/* ---- the real QEMU tables ---------------------------------------------- */

static void test_qemu_dmar_parse(void **state)
{
	struct acpi_sdt_header *h = load_dmar(FIX_SMP2);
	struct dmar_info di;

	assert_int_equal(dmar_parse(h, &di), 0);
	assert_int_equal(di.haw, 48);
	assert_int_equal(di.flags, DMAR_FLAG_INTR_REMAP);
	assert_int_equal(di.ndrhd, 1);
	assert_int_equal(di.nrmrr, 0);
	assert_int_equal(di.natsr, 0);
	assert_int_equal(di.nscopes, 7);
	expect_log("2 [dmar] DRHD 0: base 0xfed90000 segment 0 flags 0x0 (scoped), 7 device scopes");
	expect_log("[dmar]   scope: IOAPIC id 0 at ff:00.0");
	expect_log("[dmar]   scope: PCI bridge 00:02.0");
	expect_log("[dmar]   scope: PCI endpoint 00:1f.2");
	expect_log("[dmar] HAW 48 bits, flags 0x1 INTR_REMAP, 1 DRHD, 0 RMRR, 0 ATSR, 7 device scopes");
	free(h);
}

static void test_qemu_dmar_aw39(void **state)
{
	struct acpi_sdt_header *h = load_dmar(FIX_SMP4);
	struct dmar_info di;

	assert_int_equal(dmar_parse(h, &di), 0);
	assert_int_equal(di.haw, 39);
	/* eim=off does not make QEMU set X2APIC_OPT_OUT */
	assert_int_equal(di.flags, DMAR_FLAG_INTR_REMAP);
	assert_int_equal(di.ndrhd, 1);
	free(h);
}

static void test_qemu_dmar_iterate(void **state)
{
	static const struct {
		u8 type, id, bus, devfn;
	} want[] = {
		{ DMAR_SCOPE_IOAPIC, 0, 0xff, 0x00 },
		{ DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 0x00 },	/* host bridge */
		{ DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 0x08 },	/* VGA */
		{ DMAR_SCOPE_PCI_BRIDGE, 0, 0, 0x10 },	/* rp1 */
		{ DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 0xf8 },	/* LPC */
		{ DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 0xfa },	/* SATA */
		{ DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 0xfb },	/* SMBus */
	};
	struct acpi_sdt_header *h = load_dmar(FIX_SMP2);
	struct dmar_drhd d;
	struct dmar_rmrr r;
	struct dmar_scope s;
	u32 cur = 0, scur = 0, i = 0;
	u8 bus, devfn;

	assert_int_equal(dmar_next_drhd(h, &cur, &d), 1);
	assert_int_equal(d.base, 0xfed90000);
	assert_int_equal(d.segment, 0);
	assert_int_equal(d.flags, 0);
	assert_int_equal(d.offset, 48);
	assert_int_equal(d.scopes_len, 56);
	while (dmar_next_scope(d.scopes, d.scopes_len, &scur, &s) == 1) {
		assert_true(i < ARRAY_SIZE(want));
		assert_int_equal(s.type, want[i].type);
		assert_int_equal(s.enumeration_id, want[i].id);
		assert_int_equal(s.path_len, 1);
		assert_int_equal(dmar_scope_resolve(&s, NULL, NULL, &bus,
						    &devfn), 0);
		assert_int_equal(bus, want[i].bus);
		assert_int_equal(devfn, want[i].devfn);
		i++;
	}
	assert_int_equal(i, ARRAY_SIZE(want));
	assert_int_equal(dmar_next_drhd(h, &cur, &d), 0);
	cur = 0;
	assert_int_equal(dmar_next_rmrr(h, &cur, &r), 0);
	free(h);
}

/* The whole path the VT-d driver takes: RSDP -> XSDT -> DMAR. */
static void test_qemu_dmar_via_scan(void **state)
{
	struct fakemem m;
	struct acpi_mem mem = { fake_map, &m };
	struct acpi_tables t;
	struct dmar_info di;

	load_fixture(&m, FIX_SMP4);
	assert_int_equal(acpi_scan(&mem, RSDP_PA, &t), 0);
	assert_non_null(t.dmar);
	assert_int_equal(t.dmar_pa, 0x3f774000);
	assert_int_equal(dmar_parse(t.dmar, &di), 0);
	assert_int_equal(di.haw, 39);
	expect_log("[acpi] DMAR 0x3f774000 len 120 rev 1 OEM BOCHS BXPC");
	free_fixture(&m);
}

/* ---- hand-built tables ------------------------------------------------- */

static void test_full_table(void **state)
{
	struct acpi_sdt_header *h = build_full();
	struct dmar_info di;
	struct dmar_drhd d;
	struct dmar_rmrr r;
	struct dmar_atsr a;
	struct dmar_scope s;
	u32 cur = 0, sc = 0;

	assert_int_equal(dmar_parse(h, &di), 0);
	assert_int_equal(di.haw, 39);
	assert_int_equal(di.flags, 3);
	assert_int_equal(di.ndrhd, 2);
	assert_int_equal(di.nrmrr, 1);
	assert_int_equal(di.natsr, 1);
	assert_int_equal(di.nrhsa, 1);
	assert_int_equal(di.nandd, 1);
	assert_int_equal(di.nsatc, 1);
	assert_int_equal(di.nunknown, 1);
	assert_int_equal(di.nscopes, 8);
	expect_log("DRHD 1: base 0xfed91000 segment 0 flags 0x1 (INCLUDE_PCI_ALL), 2 device scopes");
	expect_log("  scope: IOAPIC id 2 at f0:1f.0");
	expect_log("  scope: HPET id 0 at 00:1f.7");
	expect_log("RMRR 0x3e000000 - 0x3e0fffff segment 0 for 00:1d.0, 00:1a.0, 00:1c.0/00.0");
	expect_log("ATSR segment 0 flags 0x0 (listed), 1 root ports");
	expect_log("RHSA unit 0xfed90000 proximity domain 1");
	expect_log("ANDD device 1 is \\_SB.PCI0.UAR0");
	expect_log("SATC segment 0 flags 0x1, 1 devices");
	expect_log("unknown remapping structure type 16962 length 12 at offset");
	expect_log("HAW 39 bits, flags 0x3 INTR_REMAP X2APIC_OPT_OUT");

	/* iterators skip the other types */
	assert_int_equal(dmar_next_drhd(h, &cur, &d), 1);
	assert_int_equal(dmar_next_drhd(h, &cur, &d), 1);
	assert_int_equal(d.flags, DMAR_DRHD_INCLUDE_PCI_ALL);
	assert_int_equal(d.size, 1);
	assert_int_equal(dmar_next_drhd(h, &cur, &d), 0);
	assert_int_equal(dmar_next_drhd(h, &cur, &d), 0);	/* stays at end */

	cur = 0;
	assert_int_equal(dmar_next_rmrr(h, &cur, &r), 1);
	assert_int_equal(r.base, 0x3e000000);
	assert_int_equal(r.limit, 0x3e0fffff);
	assert_int_equal(dmar_next_scope(r.scopes, r.scopes_len, &sc, &s), 1);
	assert_int_equal(s.path[0], 0x1d);
	assert_int_equal(dmar_next_rmrr(h, &cur, &r), 0);

	cur = 0;
	assert_int_equal(dmar_next_atsr(h, &cur, &a), 1);
	assert_int_equal(a.flags, 0);
	assert_int_equal(a.scopes_len, 8);
	assert_int_equal(dmar_next_atsr(h, &cur, &a), 0);
	free(h);
}

static u8 fake_secondary(void *ctx, u8 bus, u8 dev, u8 fn)
{
	int *calls = ctx;

	(*calls)++;
	/* the root port 00:1c.0 has secondary bus 3 */
	return bus == 0 && dev == 0x1c && fn == 0 ? 3 : 0;
}

static void test_scope_resolve(void **state)
{
	struct dmar_scope s = {
		.type = DMAR_SCOPE_PCI_ENDPOINT, .start_bus = 0,
		.path_len = 2, .path = p1c_0_00_0,
	};
	static const u8 unknown_bridge[] = { 0x1b, 0, 0, 1 };
	int calls = 0;
	u8 bus = 0xee, devfn = 0xee;

	assert_int_equal(dmar_scope_resolve(&s, fake_secondary, &calls, &bus,
					    &devfn), 0);
	assert_int_equal(bus, 3);
	assert_int_equal(devfn, 0x00);
	assert_int_equal(calls, 1);
	/* a multi-element path needs config space */
	assert_int_equal(dmar_scope_resolve(&s, NULL, NULL, &bus, &devfn),
			 ACPI_E_NOT_FOUND);
	/* no bridge there (secondary bus reads 0) */
	s.path = unknown_bridge;
	assert_int_equal(dmar_scope_resolve(&s, fake_secondary, &calls, &bus,
					    &devfn), ACPI_E_NOT_FOUND);
	s.path_len = 0;
	assert_int_equal(dmar_scope_resolve(&s, NULL, NULL, &bus, &devfn),
			 ACPI_E_INVAL);
	/* one element: start bus + devfn, no callback */
	s.path = p1d_0;
	s.path_len = 1;
	s.start_bus = 0x80;
	assert_int_equal(dmar_scope_resolve(&s, NULL, NULL, &bus, &devfn), 0);
	assert_int_equal(bus, 0x80);
	assert_int_equal(devfn, 0x1d << 3);
}

/* ---- which DRHD covers a requester id ---------------------------------- */

/* Two bridges: the root port 00:1c.0 (bus 1) and the port 00:02.0 with a
 * switch below it (buses 2-4). */
static bool fake_bridge_buses(void *ctx, u16 seg, u8 bus, u8 devfn, u8 *sec,
			      u8 *sub)
{
	if (seg != 0 || bus != 0)
		return false;
	if (devfn == (0x1c << 3)) {
		*sec = *sub = 1;
		return true;
	}
	if (devfn == (0x02 << 3)) {
		*sec = 2;
		*sub = 4;
		return true;
	}
	return false;
}

static const struct dmar_bridge_io fake_bridges = { fake_bridge_buses, NULL };

/* DRHD 0 lists the endpoint 01:00.0 (an SR-IOV PF, path 00:1c.0/00.0),
 * DRHD 1 the bridge 00:02.0, DRHD 2 takes the rest of segment 0. */
static struct acpi_sdt_header *build_units(void)
{
	struct dmar_builder b;

	db_init(&b, 38, DMAR_FLAG_INTR_REMAP);
	db_drhd(&b, 0, 0, 0xfed90000);
	db_scope(&b, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, p1c_0_00_0, 2);
	db_close(&b);
	db_drhd(&b, 0, 0, 0xfed91000);
	db_scope(&b, DMAR_SCOPE_PCI_BRIDGE, 0, 0, (const u8[]){ 0x02, 0 }, 1);
	db_close(&b);
	db_drhd(&b, DMAR_DRHD_INCLUDE_PCI_ALL, 0, 0xfed92000);
	db_close(&b);
	return db_done(&b);
}

static void test_drhd_for(void **state)
{
	struct acpi_sdt_header *h = build_units();

	assert_int_equal(dmar_drhd_for(h, 0, IOMMU_RID(1, 0, 0), &fake_bridges), 0);
	/* A bridge scope covers the bridge and its whole bus range. */
	assert_int_equal(dmar_drhd_for(h, 0, IOMMU_RID(0, 2, 0), &fake_bridges), 1);
	assert_int_equal(dmar_drhd_for(h, 0, IOMMU_RID(2, 0, 0), &fake_bridges), 1);
	assert_int_equal(dmar_drhd_for(h, 0, IOMMU_RID(4, 3, 1), &fake_bridges), 1);
	/* Outside every scope: the INCLUDE_PCI_ALL unit. */
	assert_int_equal(dmar_drhd_for(h, 0, IOMMU_RID(5, 0, 0), &fake_bridges), 2);
	assert_int_equal(dmar_drhd_for(h, 0, IOMMU_RID(0, 0x1f, 0), &fake_bridges), 2);
	assert_int_equal(dmar_drhd_for(h, 0, IOMMU_RID(1, 0, 1), &fake_bridges), 2);
	/* Another segment has no unit; no table, no unit. */
	assert_int_equal(dmar_drhd_for(h, 1, IOMMU_RID(1, 0, 0), &fake_bridges), -1);
	assert_int_equal(dmar_drhd_for(NULL, 0, 0, &fake_bridges), -1);
	free(h);
}

/*
 * A VF of the PF 01:00.0 (at 01:10.0) is covered by the PF's unit, as the
 * inventory always said; the VT-d driver used to look the VF's own id up
 * and act on the INCLUDE_PCI_ALL unit instead. Both now ask the same
 * question: dmar_drhd_for(iommu_scope_rid(...)).
 */
static void test_vf_follows_pf(void **state)
{
	struct acpi_sdt_header *h = build_units();
	u16 pf = IOMMU_RID(1, 0, 0), vf = IOMMU_RID(1, 0x10, 0);

	assert_int_equal(iommu_scope_rid(0, vf), vf);	/* not yet known */
	assert_int_equal(iommu_add_vf(0, vf, pf), IOMMU_OK);
	assert_int_equal(iommu_scope_rid(0, vf), pf);
	assert_int_equal(iommu_scope_rid(1, vf), vf);	/* other segment */
	assert_int_equal(iommu_scope_rid(0, pf), pf);
	assert_int_equal(dmar_drhd_for(h, 0, iommu_scope_rid(0, vf),
				       &fake_bridges), 0);
	free(h);
}

/* The table is global: earlier tests may have filled some of it. */
static void test_vf_table_full(void **state)
{
	u32 i;
	int err = IOMMU_OK;

	for (i = 0; i <= IOMMU_MAX_VFS && !err; i++)
		err = iommu_add_vf(2, (u16)(0x200 + i), 0x100);
	assert_int_equal(err, IOMMU_ENOSPC);
	assert_int_equal(iommu_scope_rid(2, (u16)(0x200 + i - 1)),
			 0x200 + i - 1);	/* the refused one is unknown */
	/* A known VF can still be re-recorded. */
	assert_int_equal(iommu_add_vf(2, 0x200, 0x101), IOMMU_OK);
	assert_int_equal(iommu_scope_rid(2, 0x200), 0x101);
}

static void test_names(void **state)
{
	assert_string_equal(dmar_scope_type_name(DMAR_SCOPE_PCI_ENDPOINT),
			    "PCI endpoint");
	assert_string_equal(dmar_scope_type_name(DMAR_SCOPE_PCI_BRIDGE),
			    "PCI bridge");
	assert_string_equal(dmar_scope_type_name(DMAR_SCOPE_IOAPIC), "IOAPIC");
	assert_string_equal(dmar_scope_type_name(DMAR_SCOPE_HPET), "HPET");
	assert_string_equal(dmar_scope_type_name(DMAR_SCOPE_ACPI_NAMESPACE),
			    "ACPI namespace device");
	assert_string_equal(dmar_scope_type_name(0), "reserved");
	assert_string_equal(dmar_scope_type_name(200), "reserved");
	assert_string_equal(dmar_struct_type_name(DMAR_TYPE_RMRR), "RMRR");
	assert_string_equal(dmar_struct_type_name(99), "unknown");
}

/* ---- malformed tables -------------------------------------------------- */

static void test_scope_past_drhd(void **state)
{
	struct acpi_sdt_header *h = load_dmar(FIX_SMP2);
	u8 *b = (u8 *)h;
	struct dmar_info di;
	struct dmar_drhd d;
	struct dmar_scope s;
	u32 cur = 0, sc = 0;
	int r;

	/* Last scope (at 112) claims 10 bytes; the DRHD ends at 120. */
	b[113] = 10;
	assert_int_equal(dmar_parse(h, &di), ACPI_E_MALFORMED);
	expect_log("DRHD at offset 48: device scope at offset 112 length 10: scope runs past its structure -- table rejected");
	expect_log("MALFORMED, VT-d must not be used");

	/* The iterator stops with an error after the 6 good scopes. */
	assert_int_equal(dmar_next_drhd(h, &cur, &d), 1);
	while ((r = dmar_next_scope(d.scopes, d.scopes_len, &sc, &s)) == 1)
		;
	assert_int_equal(r, ACPI_E_MALFORMED);
	assert_int_equal(dmar_next_scope(d.scopes, d.scopes_len, &sc, &s), 0);
	free(h);
}

static void test_struct_length_zero(void **state)
{
	struct dmar_builder b;
	struct acpi_sdt_header *h;
	struct dmar_info di;
	struct dmar_drhd d;
	u32 cur = 0;

	db_init(&b, 47, 0);
	db_drhd(&b, 0, 0, 0xfed90000);
	db_close(&b);
	db_open(&b, DMAR_TYPE_RMRR, 24);	/* length stays 0 */
	h = db_done(&b);
	/* Must terminate: a zero length never advances. */
	assert_int_equal(dmar_parse(h, &di), ACPI_E_MALFORMED);
	assert_int_equal(di.ndrhd, 1);
	expect_log("RMRR at offset 64 length 0 (table length 88): structure length below 4 -- table rejected");
	assert_int_equal(dmar_next_drhd(h, &cur, &d), 1);
	assert_int_equal(dmar_next_drhd(h, &cur, &d), ACPI_E_MALFORMED);
	assert_int_equal(dmar_next_drhd(h, &cur, &d), 0);
	free(h);
}

static void test_struct_past_end_and_too_short(void **state)
{
	struct dmar_builder b;
	struct acpi_sdt_header *h;
	struct dmar_info di;

	db_init(&b, 47, 0);
	db_drhd(&b, 0, 0, 0xfed90000);
	db_close(&b);
	put16(b.buf + 48 + 2, 200);	/* DRHD claims 200 bytes */
	h = db_done(&b);
	assert_int_equal(dmar_parse(h, &di), ACPI_E_MALFORMED);
	expect_log("DRHD at offset 48 length 200 (table length 64): structure runs past the end of the table");
	expect_log("DMAR: no DRHD (remapping unit) -- table rejected");
	free(h);

	db_init(&b, 47, 0);
	db_drhd(&b, 0, 0, 0xfed90000);
	db_close(&b);
	put16(b.buf + 48 + 2, 12);	/* DRHD needs 16 */
	b.len = 48 + 12;
	h = db_done(&b);
	log_stub_reset();
	assert_int_equal(dmar_parse(h, &di), ACPI_E_MALFORMED);
	expect_log("DRHD at offset 48 length 12 (table length 60): structure too short for its type");
	free(h);

	/* 2 stray bytes after the last structure */
	db_init(&b, 47, 0);
	db_drhd(&b, 0, 0, 0xfed90000);
	db_close(&b);
	b.len += 2;
	h = db_done(&b);
	log_stub_reset();
	assert_int_equal(dmar_parse(h, &di), ACPI_E_MALFORMED);
	expect_log("fewer than 4 bytes left for a structure header");
	free(h);
}

static void test_odd_path_length(void **state)
{
	struct dmar_builder b;
	struct acpi_sdt_header *h;
	struct dmar_info di;

	db_init(&b, 47, 0);
	db_drhd(&b, 0, 0, 0xfed90000);
	db_scope(&b, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, p1d_0, 1);
	b.buf[b.len - 7] = 9;		/* scope length 9 */
	b.len++;
	db_close(&b);
	h = db_done(&b);
	assert_int_equal(dmar_parse(h, &di), ACPI_E_MALFORMED);
	expect_log("device scope at offset 64 length 9: odd scope length (path not whole dev/fn pairs)");
	free(h);
}

static void test_scope_without_path_and_bad_devfn(void **state)
{
	struct dmar_builder b;
	struct acpi_sdt_header *h;
	struct dmar_info di;

	db_init(&b, 47, 0);
	db_drhd(&b, 0, 0, 0xfed90000);
	db_scope(&b, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, NULL, 0);	/* length 6 */
	db_close(&b);
	h = db_done(&b);
	assert_int_equal(dmar_parse(h, &di), ACPI_E_MALFORMED);
	expect_log("length 6: scope length below 8 (no path)");
	free(h);

	db_init(&b, 47, 0);
	db_drhd(&b, 0, 0, 0xfed90000);
	db_scope(&b, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, (const u8[]){ 32, 0 }, 1);
	db_close(&b);
	h = db_done(&b);
	log_stub_reset();
	assert_int_equal(dmar_parse(h, &di), ACPI_E_MALFORMED);
	expect_log("path entry with device >= 32 or function >= 8");
	free(h);
}

static void test_rmrr_base_above_limit(void **state)
{
	struct dmar_builder b;
	struct acpi_sdt_header *h;
	struct dmar_info di;

	db_init(&b, 47, 0);
	db_drhd(&b, DMAR_DRHD_INCLUDE_PCI_ALL, 0, 0xfed90000);
	db_close(&b);
	db_rmrr(&b, 0, 0x80000000, 0x7fffffff);
	db_scope(&b, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, p1d_0, 1);
	db_close(&b);
	db_rmrr(&b, 0, 0x1000, 0x1800);		/* not page granular */
	db_scope(&b, DMAR_SCOPE_PCI_BRIDGE, 0, 0, p1d_0, 1);
	db_close(&b);
	h = db_done(&b);
	assert_int_equal(dmar_parse(h, &di), ACPI_E_MALFORMED);
	assert_int_equal(di.nrmrr, 2);
	expect_log("RMRR 0x80000000 - 0x7fffffff segment 0 for 00:1d.0");
	expect_log("RMRR at offset 64: base 0x80000000 above limit 0x7fffffff -- table rejected");
	expect_log("RMRR 0x1000 - 0x1800 is not 4 KiB granular");
	expect_log("RMRR 0x1000: lists device scopes other than PCI endpoints");
	free(h);
}

static void test_bad_drhd_base_and_haw(void **state)
{
	struct dmar_builder b;
	struct acpi_sdt_header *h;
	struct dmar_info di;

	db_init(&b, 0xff, 0);		/* 256 "bits": must not wrap silently */
	db_drhd(&b, 0, 0, 0);
	db_close(&b);
	h = db_done(&b);
	assert_int_equal(dmar_parse(h, &di), ACPI_E_MALFORMED);
	expect_log("DMAR: host address width field 255 (256 bits) invalid -- table rejected");
	expect_log("DRHD 0: register base 0: VT-d disabled in firmware (a placeholder unit) -- table rejected");
	free(h);
}

static void test_include_all_not_last(void **state)
{
	struct dmar_builder b;
	struct acpi_sdt_header *h;
	struct dmar_info di;

	db_init(&b, 47, 0);
	db_drhd(&b, DMAR_DRHD_INCLUDE_PCI_ALL, 0, 0xfed90000);
	db_scope(&b, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, p1d_0, 1);
	db_close(&b);
	db_drhd(&b, 0, 0, 0xfed91000);
	db_close(&b);
	h = db_done(&b);
	/* Only warnings: the table is still usable. */
	assert_int_equal(dmar_parse(h, &di), 0);
	expect_log("1 [dmar] DRHD 1: follows an INCLUDE_PCI_ALL unit of the same segment 0");
	expect_log("1 [dmar] DRHD 0: INCLUDE_PCI_ALL unit also lists PCI device scopes");
	free(h);
}

static void test_reserved_scope_type(void **state)
{
	struct dmar_builder b;
	struct acpi_sdt_header *h;
	struct dmar_info di;

	db_init(&b, 47, 0);
	db_drhd(&b, 0, 0, 0xfed90000);
	db_scope(&b, 9, 0, 0, p00_0, 1);
	db_close(&b);
	h = db_done(&b);
	assert_int_equal(dmar_parse(h, &di), 0);
	expect_log("DRHD at offset 48: reserved device scope type 9 -- ignored");
	free(h);
}

static void test_short_and_empty(void **state)
{
	struct dmar_builder b;
	struct acpi_sdt_header *h;
	struct dmar_info di;
	struct dmar_drhd d;
	u32 cur = 0;

	db_init(&b, 47, 0);
	h = db_done(&b);		/* header only: no DRHD */
	assert_int_equal(dmar_parse(h, &di), ACPI_E_MALFORMED);
	expect_log("DMAR: no DRHD (remapping unit) -- table rejected");
	assert_int_equal(dmar_next_drhd(h, &cur, &d), 0);
	free(h);

	db_init(&b, 47, 0);
	b.len = 40;
	h = db_done(&b);
	log_stub_reset();
	assert_int_equal(dmar_parse(h, &di), ACPI_E_SHORT);
	expect_log("DMAR: length 40, needs at least 48 -- table rejected");
	cur = 0;
	assert_int_equal(dmar_next_drhd(h, &cur, &d), ACPI_E_MALFORMED);
	free(h);
}

/* ---- the driver's decisions (iommu/vtd_plan.c), issue 12 ---------------- */

static const struct vtd_unit_caps caps_all[4] = {
	{ true, true, true }, { true, true, true },
	{ true, true, true }, { true, true, true },
};

/* 10 DRHDs of which 6 have no scope (a 2-socket Xeon): 4 used, VT-d on. */
static void test_plan_scopeless_units_left_alone(void **state)
{
	struct dmar_builder b;
	struct acpi_sdt_header *h;
	struct dmar_info di;
	struct vtd_plan p;
	u32 i;

	db_init(&b, 45, DMAR_FLAG_INTR_REMAP);
	db_drhd(&b, 0, 0, 0xd0ffc000);
	db_scope(&b, DMAR_SCOPE_PCI_ENDPOINT, 0, 0x80, (const u8[]){ 1, 0 }, 1);
	db_close(&b);
	for (i = 0; i < 6; i++) {
		db_drhd(&b, 0, 0, 0xdb000000 + i * 0x1000);
		db_close(&b);
	}
	db_drhd(&b, 0, 0, 0xbbbfc000);
	db_scope(&b, DMAR_SCOPE_PCI_BRIDGE, 0, 0x4a, (const u8[]){ 4, 0 }, 1);
	db_close(&b);
	db_drhd(&b, 0, 0, 0xc5ffc000);
	db_scope(&b, DMAR_SCOPE_PCI_BRIDGE, 0, 0x64, (const u8[]){ 2, 0 }, 1);
	db_close(&b);
	db_drhd(&b, DMAR_DRHD_INCLUDE_PCI_ALL, 0, 0x9b7fc000);
	db_scope(&b, DMAR_SCOPE_IOAPIC, 8, 0xf0, (const u8[]){ 0x1e, 0 }, 1);
	db_close(&b);
	h = db_done(&b);
	assert_int_equal(dmar_parse(h, &di), 0);
	vtd_plan_table(h, true, &p);
	assert_true(p.vtd);
	assert_int_equal(p.ndrhd, 10);
	assert_int_equal(p.nunits, 4);
	vtd_plan_ir(h, &(struct madt_ioapic){ .id = 8 }, 1, caps_all, 4, true, &p);
	assert_true(p.ir);
	assert_true(p.eim);
	free(h);
}

/* RMRR base 0 limit 0 (HP Compaq 6730b): the first page, not an error. */
static void test_plan_rmrr_rounded_out(void **state)
{
	struct dmar_rmrr zero = { .base = 0, .limit = 0 };
	struct dmar_rmrr odd = { .base = 0x1800, .limit = 0x2800 };
	struct dmar_rmrr high = { .base = 0x1000000000ull,
				  .limit = 0x1000000fffull };
	u64 base, size;

	assert_true(vtd_rmrr_pages(&zero, (1ull << 39) - 1, &base, &size));
	assert_int_equal(base, 0);
	assert_int_equal(size, 0x1000);
	assert_true(vtd_rmrr_pages(&odd, (1ull << 39) - 1, &base, &size));
	assert_int_equal(base, 0x1000);
	assert_int_equal(size, 0x2000);
	assert_false(vtd_rmrr_pages(&high, (1ull << 36) - 1, &base, &size));
}

static struct acpi_sdt_header *one_unit_ioapic(u8 flags, u8 ioapic_id)
{
	struct dmar_builder b;

	db_init(&b, 38, flags);
	db_drhd(&b, DMAR_DRHD_INCLUDE_PCI_ALL, 0, 0xfed91000);
	db_scope(&b, DMAR_SCOPE_IOAPIC, ioapic_id, 0xf0, (const u8[]){ 0x1f, 0 },
		 1);
	db_close(&b);
	return db_done(&b);
}

/* IR off, as Linux: INTR_REMAP clear; an IOAPIC no scope names (Mac mini
 * 6,2: scope id 0, MADT id 2); a unit without QI or IR. */
static void test_plan_ir_refusals(void **state)
{
	struct madt_ioapic io2 = { .id = 2, .addr = 0xfec00000 };
	struct vtd_unit_caps noqi = { .qi = false, .ir = true, .eim = true };
	struct vtd_unit_caps noir = { .qi = true, .ir = false };
	struct acpi_sdt_header *h;
	struct vtd_plan p;

	h = one_unit_ioapic(0, 2);
	vtd_plan_table(h, true, &p);
	vtd_plan_ir(h, &io2, 1, caps_all, 4, true, &p);
	assert_false(p.ir);
	assert_non_null(strstr(p.ir_why, "INTR_REMAP clear"));
	free(h);

	h = one_unit_ioapic(DMAR_FLAG_INTR_REMAP, 0);
	vtd_plan_table(h, true, &p);
	vtd_plan_ir(h, &io2, 1, caps_all, 4, true, &p);
	assert_false(p.ir);
	assert_non_null(strstr(p.ir_why, "IOAPIC id 2 at 0xfec00000 is named by no DMAR IOAPIC scope"));
	free(h);

	h = one_unit_ioapic(DMAR_FLAG_INTR_REMAP, 2);
	vtd_plan_table(h, true, &p);
	vtd_plan_ir(h, &io2, 1, &noqi, 1, true, &p);
	assert_false(p.ir);
	assert_non_null(strstr(p.ir_why, "unit 0 has interrupt remapping but no queued invalidation"));
	vtd_plan_ir(h, &io2, 1, &noir, 1, true, &p);
	assert_false(p.ir);
	vtd_plan_ir(h, &io2, 1, caps_all, 4, false, &p);
	assert_true(p.ir);
	assert_false(p.eim);		/* xAPIC mode: 8-bit destinations */
	free(h);
}

/* A DRHD at base 0 is "VT-d disabled in firmware", in words. */
static void test_plan_disabled_in_firmware(void **state)
{
	struct dmar_builder b;
	struct acpi_sdt_header *h;
	struct dmar_info di;
	struct vtd_plan p;

	db_init(&b, 38, 0);
	db_drhd(&b, DMAR_DRHD_INCLUDE_PCI_ALL, 0, 0);
	db_close(&b);
	h = db_done(&b);
	log_stub_reset();
	assert_int_equal(dmar_parse(h, &di), ACPI_E_MALFORMED);
	vtd_plan_table(h, false, &p);
	assert_false(p.vtd);
	assert_int_equal(p.nunits, 0);
	assert_non_null(strstr(p.vtd_why, "VT-d disabled in firmware"));
	vtd_plan_table(NULL, false, &p);
	assert_false(p.vtd);
	free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_qemu_dmar_parse, setup),
		cmocka_unit_test_setup(test_qemu_dmar_aw39, setup),
		cmocka_unit_test_setup(test_qemu_dmar_iterate, setup),
		cmocka_unit_test_setup(test_qemu_dmar_via_scan, setup),
		cmocka_unit_test_setup(test_full_table, setup),
		cmocka_unit_test_setup(test_scope_resolve, setup),
		cmocka_unit_test_setup(test_names, setup),
		cmocka_unit_test_setup(test_scope_past_drhd, setup),
		cmocka_unit_test_setup(test_struct_length_zero, setup),
		cmocka_unit_test_setup(test_struct_past_end_and_too_short, setup),
		cmocka_unit_test_setup(test_odd_path_length, setup),
		cmocka_unit_test_setup(test_scope_without_path_and_bad_devfn, setup),
		cmocka_unit_test_setup(test_rmrr_base_above_limit, setup),
		cmocka_unit_test_setup(test_bad_drhd_base_and_haw, setup),
		cmocka_unit_test_setup(test_include_all_not_last, setup),
		cmocka_unit_test_setup(test_reserved_scope_type, setup),
		cmocka_unit_test_setup(test_short_and_empty, setup),
		cmocka_unit_test_setup(test_drhd_for, setup),
		cmocka_unit_test_setup(test_vf_follows_pf, setup),
		cmocka_unit_test_setup(test_vf_table_full, setup),
		cmocka_unit_test_setup(test_plan_scopeless_units_left_alone, setup),
		cmocka_unit_test_setup(test_plan_rmrr_rounded_out, setup),
		cmocka_unit_test_setup(test_plan_ir_refusals, setup),
		cmocka_unit_test_setup(test_plan_disabled_in_firmware, setup),
	};

	return cmocka_run_group_tests_name("dmar", tests, NULL, NULL);
}
