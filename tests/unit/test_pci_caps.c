// SPDX-License-Identifier: MIT
/*
 * drivers/pci_caps.c on config spaces captured from QEMU 10.0.2: the igb
 * PF, the pcie-root-port and the e1000e (tests/fixtures/pci/README.md).
 * BAR sizing runs against a small model of the BAR registers: writes keep
 * only the bits the BAR decodes, as hardware does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/pci_caps.h"
#include "drivers/pci_regs.h"

struct fake_dev {
	u8 cfg[4096];
	/* Writable bits of each BAR-like register (0 = plain register). */
	u32 mask[4096 / 4];
	unsigned writes;
};

static u32 fake_read32(void *ctx, u16 off)
{
	struct fake_dev *d = ctx;
	u32 v;

	memcpy(&v, d->cfg + off, 4);
	return v;
}

static void fake_write32(void *ctx, u16 off, u32 v)
{
	struct fake_dev *d = ctx;
	u32 m = d->mask[off / 4], old;

	d->writes++;
	if (m) {
		memcpy(&old, d->cfg + off, 4);
		v = (v & m) | (old & ~m);
	}
	memcpy(d->cfg + off, &v, 4);
}

static void load(struct fake_dev *d, const char *name)
{
	char path[256];
	FILE *f;

	memset(d, 0, sizeof(*d));
	snprintf(path, sizeof(path), "tests/fixtures/pci/%s", name);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(d->cfg, 1, 4096, f), 4096);
	fclose(f);
}

static struct pci_cfg_io io_of(struct fake_dev *d)
{
	struct pci_cfg_io io = { fake_read32, fake_write32, d };

	return io;
}

struct seen {
	u16 id[64], off[64];
	int n;
};

static void rec_cap(void *ctx, u8 id, u16 off)
{
	struct seen *s = ctx;

	s->id[s->n] = id;
	s->off[s->n++] = off;
}

static void rec_ecap(void *ctx, u16 id, u16 off)
{
	struct seen *s = ctx;

	s->id[s->n] = id;
	s->off[s->n++] = off;
}

static void test_igb_caps(void **state)
{
	static struct fake_dev d;
	struct pci_cfg_io io;
	struct seen s = { .n = 0 };

	load(&d, "igb-pf.bin");
	io = io_of(&d);
	assert_int_equal(pci_walk_caps(&io, rec_cap, &s), 4);
	assert_int_equal(s.id[0], PCI_CAP_ID_PM);
	assert_int_equal(s.off[0], 0x40);
	assert_int_equal(s.id[1], PCI_CAP_ID_MSI);
	assert_int_equal(s.off[1], 0x50);
	assert_int_equal(s.id[2], PCI_CAP_ID_MSIX);
	assert_int_equal(s.off[2], 0x70);
	assert_int_equal(s.id[3], PCI_CAP_ID_EXP);
	assert_int_equal(s.off[3], 0xa0);
	s.n = 0;
	assert_int_equal(pci_walk_ecaps(&io, rec_ecap, &s), 3);
	assert_int_equal(s.id[0], PCI_EXT_CAP_ID_AER);
	assert_int_equal(s.off[0], 0x100);
	assert_int_equal(s.id[1], PCI_EXT_CAP_ID_ARI);
	assert_int_equal(s.off[1], 0x150);
	assert_int_equal(s.id[2], PCI_EXT_CAP_ID_SRIOV);
	assert_int_equal(s.off[2], 0x160);
	assert_int_equal(pci_find_cap(&io, PCI_CAP_ID_MSIX), 0x70);
	assert_int_equal(pci_find_ecap(&io, PCI_EXT_CAP_ID_SRIOV), 0x160);
	assert_int_equal(pci_find_ecap(&io, PCI_EXT_CAP_ID_ACS), 0);
	/* SR-IOV facts PLATFORM.md lists. */
	assert_int_equal(fake_read32(&d, 0x160 + PCI_SRIOV_TOTAL_VF) & 0xffff, 8);
	assert_int_equal(fake_read32(&d, 0x160 + PCI_SRIOV_VF_OFFSET) & 0xffff, 0x80);
	assert_int_equal(fake_read32(&d, 0x160 + PCI_SRIOV_VF_STRIDE) & 0xffff, 2);
	assert_int_equal(fake_read32(&d, 0x160 + 0x18) >> 16, 0x10ca);
	assert_string_equal(pci_class_name(fake_read32(&d, 8) >> 8), "Ethernet");
}

static void test_root_port_caps(void **state)
{
	static struct fake_dev d;
	struct pci_cfg_io io;

	load(&d, "root-port.bin");
	io = io_of(&d);
	assert_int_equal(d.cfg[PCI_HEADER_TYPE] & 0x7f, PCI_HEADER_TYPE_BRIDGE);
	assert_true(pci_find_cap(&io, PCI_CAP_ID_EXP) != 0);
	assert_true(pci_find_cap(&io, PCI_CAP_ID_MSIX) != 0);
	assert_true(pci_find_ecap(&io, PCI_EXT_CAP_ID_ACS) != 0);
	assert_true(pci_find_ecap(&io, PCI_EXT_CAP_ID_AER) != 0);
	assert_int_equal(pci_find_ecap(&io, PCI_EXT_CAP_ID_SRIOV), 0);
	assert_string_equal(pci_class_name(fake_read32(&d, 8) >> 8), "PCI bridge");
	/* Secondary bus 1, as OVMF numbered it. */
	assert_int_equal(d.cfg[PCI_SECONDARY_BUS], 1);
}

static void test_e1000e_caps(void **state)
{
	static struct fake_dev d;
	struct pci_cfg_io io;
	int n;

	load(&d, "e1000e.bin");
	io = io_of(&d);
	assert_int_equal(fake_read32(&d, 0), 0x10d38086);
	n = pci_walk_caps(&io, NULL, NULL);
	assert_true(n >= 3);
	assert_true(pci_find_cap(&io, PCI_CAP_ID_EXP) != 0);
	assert_true(pci_find_cap(&io, PCI_CAP_ID_MSIX) != 0);
	assert_true(pci_walk_ecaps(&io, NULL, NULL) >= 1);
}

/* The last capability pointing back at the first: a cycle. */
static void test_cap_loop(void **state)
{
	static struct fake_dev d;
	struct pci_cfg_io io;
	struct seen s = { .n = 0 };

	load(&d, "igb-pf.bin");
	d.cfg[0xa0 + 1] = 0x40;
	io = io_of(&d);
	assert_int_equal(pci_walk_caps(&io, rec_cap, &s), PCI_CAPS_E_LOOP);
	assert_int_equal(s.n, 4); /* each visited once */
	/* Self-loop. */
	load(&d, "igb-pf.bin");
	d.cfg[0x40 + 1] = 0x40;
	assert_int_equal(pci_walk_caps(&io, NULL, NULL), PCI_CAPS_E_LOOP);
	/* A target that finds nothing in a loop stops too. */
	assert_int_equal(pci_find_cap(&io, 0x77), 0);
}

static void test_cap_bad_pointer(void **state)
{
	static struct fake_dev d;
	struct pci_cfg_io io;

	load(&d, "igb-pf.bin");
	io = io_of(&d);
	d.cfg[0x50 + 1] = 0x20; /* into the header */
	assert_int_equal(pci_walk_caps(&io, NULL, NULL), PCI_CAPS_E_RANGE);
	/* Reserved low bits of a pointer are ignored (0x73 -> 0x70). */
	load(&d, "igb-pf.bin");
	d.cfg[0x50 + 1] = 0x73;
	assert_int_equal(pci_walk_caps(&io, NULL, NULL), 4);
	/* No capability list at all. */
	load(&d, "igb-pf.bin");
	d.cfg[PCI_STATUS] &= (u8)~PCI_STATUS_CAP_LIST;
	assert_int_equal(pci_walk_caps(&io, NULL, NULL), 0);
}

static void set_next(struct fake_dev *d, u16 at, u16 next)
{
	u32 h = fake_read32(d, at);

	h = (h & 0xfffff) | (u32)next << 20;
	memcpy(d->cfg + at, &h, 4);
}

static void test_ecap_loop_and_range(void **state)
{
	static struct fake_dev d;
	struct pci_cfg_io io;

	load(&d, "igb-pf.bin");
	io = io_of(&d);
	set_next(&d, 0x160, 0x100);
	assert_int_equal(pci_walk_ecaps(&io, NULL, NULL), PCI_CAPS_E_LOOP);
	load(&d, "igb-pf.bin");
	set_next(&d, 0x150, 0x150);
	assert_int_equal(pci_walk_ecaps(&io, NULL, NULL), PCI_CAPS_E_LOOP);
	load(&d, "igb-pf.bin");
	set_next(&d, 0x100, 0x0c0); /* below 0x100 */
	assert_int_equal(pci_walk_ecaps(&io, NULL, NULL), PCI_CAPS_E_RANGE);
	/* Next-pointer bits 1:0 are reserved (§7.6.3): ignored, not fatal. */
	load(&d, "igb-pf.bin");
	set_next(&d, 0x100, (u16)(PCI_EXT_CAP_NEXT(fake_read32(&d, 0x100)) | 3));
	assert_int_equal(pci_walk_ecaps(&io, NULL, NULL), 3);
	assert_int_equal(pci_find_ecap(&io, PCI_EXT_CAP_ID_SRIOV), 0x160);
	/* All ones at 0x100: no extended capabilities. */
	memset(d.cfg + 0x100, 0xff, 4);
	assert_int_equal(pci_walk_ecaps(&io, NULL, NULL), 0);
}

/* The igb's BARs as QEMU implements them (sizes from the inventory). */
static void igb_bar_model(struct fake_dev *d)
{
	d->mask[0x10 / 4] = 0xfffe0000;	/* BAR0 mem32 128K */
	d->mask[0x14 / 4] = 0xfffe0000;	/* BAR1 mem32 128K */
	d->mask[0x18 / 4] = 0xffffffe0;	/* BAR2 io 32 */
	d->mask[0x1c / 4] = 0xffffc000;	/* BAR3 mem64 16K, low */
	d->mask[0x20 / 4] = 0xffffffff;	/* BAR3 high */
	d->mask[0x24 / 4] = 0;
	/* BAR5 unimplemented: reads zero whatever is written. */
	d->mask[(0x160 + 0x24) / 4] = 0xffffc000; /* VF BAR0 64-bit pref */
	d->mask[(0x160 + 0x28) / 4] = 0xffffffff;
}

static void test_bar_sizing(void **state)
{
	static struct fake_dev d, orig;
	struct pci_cfg_io io;
	struct pci_bar b;

	load(&d, "igb-pf.bin");
	igb_bar_model(&d);
	memcpy(&orig, &d, sizeof(d));
	io = io_of(&d);

	assert_int_equal(pci_bar_size(&io, 0x10, 0x24, &b), 1);
	assert_int_equal(b.type, PCI_BAR_MEM32);
	assert_int_equal(b.size, 128 * 1024);
	assert_int_equal(b.base, 0xc1020000);
	assert_false(b.prefetch);

	assert_int_equal(pci_bar_size(&io, 0x18, 0x24, &b), 1);
	assert_int_equal(b.type, PCI_BAR_IO);
	assert_int_equal(b.size, 32);
	assert_int_equal(b.base, 0x6000);

	assert_int_equal(pci_bar_size(&io, 0x1c, 0x24, &b), 2);
	assert_int_equal(b.type, PCI_BAR_MEM64);
	assert_int_equal(b.size, 16 * 1024);
	assert_int_equal(b.base, 0xc1040000);

	assert_int_equal(pci_bar_size(&io, 0x24, 0x24, &b), 1);
	assert_int_equal(b.size, 0);
	assert_int_equal(b.type, PCI_BAR_NONE);

	/* Every probe write was undone. */
	assert_memory_equal(d.cfg, orig.cfg, 4096);
	assert_true(d.writes >= 8);

	/* A 64-bit BAR whose upper half would be past the last BAR. */
	assert_int_equal(pci_bar_size(&io, 0x1c, 0x1c, &b), 0);

	/* VF BAR0 in the SR-IOV capability: 64-bit prefetchable, 16K each;
	 * OVMF placed it above 4 GiB (the address QEMU 10.0 mis-decodes). */
	assert_int_equal(pci_bar_size(&io, 0x160 + 0x24, 0x160 + 0x38, &b), 2);
	assert_int_equal(b.type, PCI_BAR_MEM64);
	assert_true(b.prefetch);
	assert_int_equal(b.size, 16 * 1024);
	assert_true(b.base >= (1ull << 32));
	assert_memory_equal(d.cfg, orig.cfg, 4096);
}

static void test_names(void **state)
{
	assert_string_equal(pci_cap_name(PCI_CAP_ID_MSIX), "MSI-X");
	assert_null(pci_cap_name(0x77));
	assert_string_equal(pci_ecap_name(PCI_EXT_CAP_ID_SRIOV), "SR-IOV");
	assert_null(pci_ecap_name(0x7777));
	assert_string_equal(pci_bar_type_name(PCI_BAR_MEM64), "mem64");
	assert_string_equal(pci_class_name(0x060400), "PCI bridge");
	assert_string_equal(pci_class_name(0x123456), "Other");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_igb_caps),
		cmocka_unit_test(test_root_port_caps),
		cmocka_unit_test(test_e1000e_caps),
		cmocka_unit_test(test_cap_loop),
		cmocka_unit_test(test_cap_bad_pointer),
		cmocka_unit_test(test_ecap_loop_and_range),
		cmocka_unit_test(test_bar_sizing),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
