// SPDX-License-Identifier: MIT
/*
 * vmm/vpci.c and vmm/vpci_filter.c on the igb PF config space captured
 * from QEMU 10.0.2 (tests/fixtures/pci/igb-pf.bin: PM 0x40, MSI 0x50,
 * MSI-X 0x70, PCIe 0xa0; AER 0x100, ARI 0x150, SR-IOV 0x160). The "VF" is
 * the same space with its ids read as 0xffff, as a VF's are. The backend
 * model applies writes to the array (Status bits RW1C, as hardware does)
 * and records the last write, so a test sees what reached the device.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/pci_caps.h"
#include "drivers/pci_regs.h"
#include "tests/unit/fixture.h"
#include "vmm/vmsix.h"
#include "vmm/vpci.h"

#define WIN_BASE 0xf0000000ull
#define WIN_SIZE 0x10000000ull
#define BAR0_GPA 0xf0000000ull
#define BAR3_GPA 0xf0100000ull
#define IGB_DEV 1
#define STATUS_MDPE 0x0100	/* master data parity error, RW1C */

struct model {
	u8 cfg[4096];
	unsigned writes;
	u16 last_reg;
	u32 last_val;
};

struct recorder {
	struct vpci_event ev[32];
	unsigned nev;
	struct { u8 bar; u64 from, to; } mv[32];
	unsigned nmv;
};

static u32 m_read(void *ctx, u16 reg, u8 size)
{
	struct model *m = ctx;
	u32 v = 0;
	u8 i;

	for (i = 0; i < size; i++)
		v |= (u32)m->cfg[reg + i] << (i * 8);
	return v;
}

static void m_write(void *ctx, u16 reg, u8 size, u32 val)
{
	struct model *m = ctx;
	u8 i;

	m->writes++;
	m->last_reg = reg;
	m->last_val = val;
	for (i = 0; i < size; i++) {
		u16 at = reg + i;
		u8 b = (u8)(val >> (i * 8));

		if (at == PCI_STATUS || at == PCI_STATUS + 1)
			m->cfg[at] &= (u8)~b;	/* RW1C */
		else
			m->cfg[at] = b;
	}
}

static void on_event(void *ctx, const struct vpci_event *e)
{
	struct recorder *r = ctx;
	char line[160];

	assert_true(r->nev < 32);
	r->ev[r->nev++] = *e;
	assert_true(vpci_event_format(line, sizeof(line), e) > 0);
}

static void on_moved(void *ctx, u8 bar, u64 from, u64 to)
{
	struct recorder *r = ctx;

	assert_true(r->nmv < 32);
	r->mv[r->nmv].bar = bar;
	r->mv[r->nmv].from = from;
	r->mv[r->nmv++].to = to;
}

static void load(struct model *m, const char *name)
{
	char path[256];
	u64 len;
	u8 *buf;

	memset(m, 0, sizeof(*m));
	snprintf(path, sizeof(path), "tests/fixtures/pci/%s", name);
	buf = fixture_read(path, &len);
	assert_int_equal(len, sizeof(m->cfg));
	memcpy(m->cfg, buf, sizeof(m->cfg));
	free(buf);
}

/* ---- a dummy MSI-X emulation for the message-control routing ------ */

static u32 msix_ctrl_real;
static u32 t_rd(void *ctx, u32 off) { return 0; }
static void t_wr(void *ctx, u32 off, u32 v) { }
static void c_wr(void *ctx, u16 v) { msix_ctrl_real = v; }
static int i_alloc(void *ctx, u16 s, u16 r) { return -1; }
static int i_prog(void *ctx, int h, u32 c, u8 v, u16 e, struct iommu_msi *m)
{
	return -1;
}
static void i_free(void *ctx, int h) { }
static void i_inject(void *ctx, u32 c, u8 v) { }

static void dummy_msix(struct vmsix *v)
{
	struct vmsix_config c = {
		.nvec = 10, .nvcpus = 1,
		.hw = { t_rd, t_wr, t_rd, c_wr, NULL },
		.irq = { i_alloc, i_prog, i_free, i_inject, NULL },
	};

	assert_int_equal(vmsix_init(v, &c), VPCI_OK);
}

struct rig {
	struct model m;
	struct recorder rec;
	struct vpci_bus bus;
	struct vpci_func f;
	struct vmsix msix;
};

static struct vpci_func_config igb_config(struct rig *r, bool vf)
{
	struct vpci_func_config c = {
		.cfg = { m_read, m_write, &r->m },
		.hooks = { on_moved, on_event, &r->rec },
		.msix = &r->msix,
	};

	c.bar[0] = (struct vpci_bar_desc){ 128 * 1024, PCI_BAR_MEM32, false,
					   BAR0_GPA };
	/* BAR1 (flash) not given to the guest; BAR2 is I/O: never shown. */
	c.bar[2] = (struct vpci_bar_desc){ 32, PCI_BAR_IO, false, 0 };
	c.bar[3] = (struct vpci_bar_desc){ 16 * 1024, PCI_BAR_MEM64, false,
					   BAR3_GPA };
	if (vf) {
		c.vendor_id = 0x8086;
		c.device_id = 0x10ca;
	}
	return c;
}

static void rig_up(struct rig *r, bool vf)
{
	struct vpci_func_config c;

	memset(r, 0, sizeof(*r));
	load(&r->m, "igb-pf.bin");
	if (vf)
		memset(r->m.cfg, 0xff, 4);
	dummy_msix(&r->msix);
	vpci_bus_init(&r->bus, WIN_BASE, WIN_SIZE, NULL);
	c = igb_config(r, vf);
	assert_int_equal(vpci_add_function(&r->bus, &r->f, IGB_DEV, &c), VPCI_OK);
}

static u32 cfg_rd(struct rig *r, u16 reg, u8 size)
{
	return vpci_func_read(&r->f, reg, size);
}

static void cfg_wr(struct rig *r, u16 reg, u8 size, u32 v)
{
	vpci_func_write(&r->f, reg, size, v);
}

static u32 cf8(u8 bus, u8 dev, u8 fn, u8 reg)
{
	return VPCI_ADDR_ENABLE | (u32)bus << 16 | (u32)dev << 11 |
	       (u32)fn << 8 | reg;
}

static u32 pio_rd(struct vpci_bus *b, u16 port, u8 size)
{
	u32 v = 0;

	assert_true(vpci_pio_read(b, port, size, &v));
	return v;
}

/* ---- the bus ------------------------------------------------------- */

static void test_type1_latch(void **state)
{
	static struct rig r;

	rig_up(&r, false);
	/* Reserved bits 30:24 and 1:0 of CONFIG_ADDRESS read 0. */
	assert_true(vpci_pio_write(&r.bus, VPCI_PORT_ADDR, 4, 0xffffffff));
	assert_int_equal(pio_rd(&r.bus, VPCI_PORT_ADDR, 4), 0x80fffffc);
	/* Host bridge: dword, words, bytes at 0xCFC..0xCFF. */
	vpci_pio_write(&r.bus, VPCI_PORT_ADDR, 4, cf8(0, 0, 0, 0));
	assert_int_equal(pio_rd(&r.bus, VPCI_PORT_DATA, 4), 0x29c08086);
	assert_int_equal(pio_rd(&r.bus, VPCI_PORT_DATA + 2, 2), 0x29c0);
	assert_int_equal(pio_rd(&r.bus, VPCI_PORT_DATA + 1, 1), 0x80);
	assert_int_equal(pio_rd(&r.bus, VPCI_PORT_DATA + 3, 1), 0x29);
	/* A word at 0xCFD or 0xCFF, a dword at 0xCFE: refused. */
	assert_int_equal(pio_rd(&r.bus, VPCI_PORT_DATA + 1, 2), 0xffffffff);
	assert_int_equal(pio_rd(&r.bus, VPCI_PORT_DATA + 3, 2), 0xffffffff);
	assert_int_equal(pio_rd(&r.bus, VPCI_PORT_DATA + 2, 4), 0xffffffff);
	assert_int_equal(r.bus.bad_access, 3);
	/* The igb at device 1, register bits 7:2 + port offset. */
	vpci_pio_write(&r.bus, VPCI_PORT_ADDR, 4, cf8(0, IGB_DEV, 0, 0x08));
	assert_int_equal(pio_rd(&r.bus, VPCI_PORT_DATA, 4) >> 8, 0x020000);
	assert_int_equal(pio_rd(&r.bus, VPCI_PORT_DATA + 3, 1), 0x02);
	vpci_pio_write(&r.bus, VPCI_PORT_ADDR, 4, cf8(0, IGB_DEV, 0, 0));
	assert_int_equal(pio_rd(&r.bus, VPCI_PORT_DATA + 2, 2), 0x10c9);
	/* Nothing there: other devices, functions, buses; latch disabled. */
	vpci_pio_write(&r.bus, VPCI_PORT_ADDR, 4, cf8(0, 5, 0, 0));
	assert_int_equal(pio_rd(&r.bus, VPCI_PORT_DATA, 4), 0xffffffff);
	vpci_pio_write(&r.bus, VPCI_PORT_ADDR, 4, cf8(0, IGB_DEV, 1, 0));
	assert_int_equal(pio_rd(&r.bus, VPCI_PORT_DATA, 4), 0xffffffff);
	vpci_pio_write(&r.bus, VPCI_PORT_ADDR, 4, cf8(1, 0, 0, 0));
	assert_int_equal(pio_rd(&r.bus, VPCI_PORT_DATA, 4), 0xffffffff);
	vpci_pio_write(&r.bus, VPCI_PORT_ADDR, 4, cf8(0, 0, 0, 0) & ~VPCI_ADDR_ENABLE);
	assert_int_equal(pio_rd(&r.bus, VPCI_PORT_DATA, 4), 0xffffffff);
	/* A byte or word at 0xCF8 is not CONFIG_ADDRESS: the latch stays. */
	vpci_pio_write(&r.bus, VPCI_PORT_ADDR, 4, cf8(0, 0, 0, 0));
	vpci_pio_write(&r.bus, VPCI_PORT_ADDR, 1, 0);
	vpci_pio_write(&r.bus, VPCI_PORT_ADDR + 2, 2, 0);
	assert_int_equal(pio_rd(&r.bus, VPCI_PORT_ADDR, 4), cf8(0, 0, 0, 0));
	/* Not our ports. */
	{
		u32 v;

		assert_false(vpci_pio_read(&r.bus, VPCI_PORT_ADDR - 1, 1, &v));
		assert_false(vpci_pio_write(&r.bus, VPCI_PORT_DATA + 4, 1, 0));
	}
}

static void test_host_bridge(void **state)
{
	static struct rig r;
	u32 i;

	rig_up(&r, false);
	assert_int_equal(vpci_ecam_read(&r.bus, 0x08, 4), VPCI_HB_CLASS << 8);
	assert_int_equal(vpci_ecam_read(&r.bus, PCI_HEADER_TYPE, 1), 0);
	assert_int_equal(vpci_ecam_read(&r.bus, PCI_CAPABILITY_LIST, 1), 0);
	assert_int_equal(vpci_ecam_read(&r.bus, PCI_STATUS, 2) &
			 PCI_STATUS_CAP_LIST, 0);
	/* BAR sizing finds no BARs, and that is not a refused write. */
	for (i = 0; i < 6; i++) {
		vpci_ecam_write(&r.bus, PCI_BAR0 + 4 * i, 4, 0xffffffff);
		assert_int_equal(vpci_ecam_read(&r.bus, PCI_BAR0 + 4 * i, 4), 0);
	}
	assert_int_equal(r.bus.denied, 0);
	/* Its ids are not writable. */
	vpci_ecam_write(&r.bus, PCI_VENDOR_ID, 2, 0x1234);
	assert_int_equal(vpci_ecam_read(&r.bus, PCI_VENDOR_ID, 2), VPCI_HB_VENDOR);
	assert_int_equal(r.bus.denied, 1);
}

static void test_ecam_decode(void **state)
{
	static struct rig r;
	u64 igb = (u64)IGB_DEV << 15;

	rig_up(&r, false);
	assert_int_equal(vpci_ecam_read(&r.bus, igb, 4), 0x10c98086);
	assert_int_equal(vpci_ecam_read(&r.bus, igb + 0x71, 1), 0xa0);
	/* The extended space exists through ECAM only. */
	assert_int_equal(vpci_ecam_read(&r.bus, igb + 0x100, 4), 0);
	/* Function 1, device 2, a second bus: nothing. */
	assert_int_equal(vpci_ecam_read(&r.bus, igb | 1 << 12, 4), 0xffffffff);
	assert_int_equal(vpci_ecam_read(&r.bus, 2 << 15, 4), 0xffffffff);
	assert_int_equal(vpci_ecam_read(&r.bus, 1 << 20, 4), 0xffffffff);
	/* Misaligned through ECAM: refused. */
	assert_int_equal(vpci_ecam_read(&r.bus, igb + 0x102, 4), 0xffffffff);
	assert_int_equal(vpci_ecam_read(&r.bus, igb + 0xfff, 2), 0xffffffff);
	assert_int_equal(vpci_ecam_read(&r.bus, igb + 4, 3), 0xffffffff);
	assert_int_equal(r.bus.bad_access, 3);
	vpci_ecam_write(&r.bus, igb + 0x05, 2, 0);
	assert_int_equal(r.bus.bad_access, 4);
}

static void test_setup_errors(void **state)
{
	static struct rig r;
	struct vpci_func_config c;
	static struct vpci_func g;

	rig_up(&r, false);
	c = igb_config(&r, false);
	assert_int_equal(vpci_add_function(&r.bus, &g, IGB_DEV, &c), VPCI_EBUSY);
	assert_int_equal(vpci_add_function(&r.bus, &g, 0, &c), VPCI_EINVAL);
	assert_int_equal(vpci_add_function(&r.bus, &g, 32, &c), VPCI_EINVAL);
	c.bar[0].gpa = 0xe0000000;		/* outside the window */
	assert_int_equal(vpci_add_function(&r.bus, &g, 2, &c), VPCI_EINVAL);
	c = igb_config(&r, false);
	c.bar[0].size = 3 * 4096;		/* not a power of two */
	assert_int_equal(vpci_add_function(&r.bus, &g, 2, &c), VPCI_EINVAL);
	c = igb_config(&r, false);
	r.m.cfg[0xa1] = 0x40;			/* capability loop */
	assert_int_equal(vpci_add_function(&r.bus, &g, 2, &c), VPCI_EINVAL);
	assert_null(r.bus.dev[2]);
}

/* ---- the function's header ------------------------------------------ */

static void test_vf_ids(void **state)
{
	static struct rig r;

	rig_up(&r, true);
	assert_int_equal(m_read(&r.m, 0, 4), 0xffffffff);
	assert_int_equal(cfg_rd(&r, PCI_VENDOR_ID, 4), 0x10ca8086);
	assert_int_equal(cfg_rd(&r, PCI_DEVICE_ID, 2), 0x10ca);
	assert_int_equal(cfg_rd(&r, PCI_VENDOR_ID + 1, 1), 0x80);
	/* Class and revision as the device reports them. */
	assert_int_equal(cfg_rd(&r, PCI_CLASS_REVISION, 4), 0x02000001);
	/* Not writable. */
	cfg_wr(&r, PCI_DEVICE_ID, 2, 0x10c9);
	assert_int_equal(cfg_rd(&r, PCI_DEVICE_ID, 2), 0x10ca);
	assert_int_equal(r.f.denied, 1);
	/* A PF: the real ids. */
	rig_up(&r, false);
	assert_int_equal(cfg_rd(&r, PCI_VENDOR_ID, 4), 0x10c98086);
}

static void test_header_misc(void **state)
{
	static struct rig r;
	unsigned writes;

	rig_up(&r, false);
	/* No INTx: pin 0; line is a scratch byte the device never sees. */
	assert_int_equal(cfg_rd(&r, 0x3d, 1), 0);
	writes = r.m.writes;
	cfg_wr(&r, 0x3c, 1, 0x55);
	assert_int_equal(cfg_rd(&r, 0x3c, 1), 0x55);
	assert_int_equal(r.m.cfg[0x3c], 0x0b);
	assert_int_equal(r.m.writes, writes);
	/* Expansion ROM: absent, sizing is harmless. */
	cfg_wr(&r, 0x30, 4, 0xfffff800);
	assert_int_equal(cfg_rd(&r, 0x30, 4), 0);
	/* Never multi-function. */
	r.m.cfg[PCI_HEADER_TYPE] = 0x80;
	assert_int_equal(cfg_rd(&r, PCI_HEADER_TYPE, 1), 0);
	assert_int_equal(r.f.denied, 0);
	/* Status reads through; its RW1C bits clear only when written 1. */
	r.m.cfg[PCI_STATUS + 1] |= STATUS_MDPE >> 8;
	assert_true(cfg_rd(&r, PCI_STATUS, 2) & STATUS_MDPE);
	cfg_wr(&r, PCI_COMMAND, 4, cfg_rd(&r, PCI_COMMAND, 2));
	assert_true(m_read(&r.m, PCI_STATUS, 2) & STATUS_MDPE);
	cfg_wr(&r, PCI_STATUS, 2, STATUS_MDPE);
	assert_false(m_read(&r.m, PCI_STATUS, 2) & STATUS_MDPE);
	assert_int_equal(r.f.denied, 0);
}

static void test_command(void **state)
{
	static struct rig r;

	rig_up(&r, false);
	/* The fixture's command (0x0007, OVMF's) gives the guest MEM and
	 * MASTER; INTx is forced off on the real function from the start. */
	assert_int_equal(cfg_rd(&r, PCI_COMMAND, 2), 0x0406);
	assert_int_equal(m_read(&r.m, PCI_COMMAND, 2), 0x0407);
	cfg_wr(&r, PCI_COMMAND, 2, 0x0400);
	assert_int_equal(m_read(&r.m, PCI_COMMAND, 2), 0x0401);
	assert_int_equal(r.f.denied, 0);
	/* MEM, MASTER pass; I/O, SERR and clearing INTx disable do not. */
	cfg_wr(&r, PCI_COMMAND, 2, 0x0107);
	assert_int_equal(cfg_rd(&r, PCI_COMMAND, 2), 0x0406);
	assert_int_equal(m_read(&r.m, PCI_COMMAND, 2), 0x0407);
	assert_int_equal(r.f.denied, 1);
	assert_int_equal(r.rec.nev, 1);
	assert_int_equal(r.rec.ev[0].kind, VPCI_EV_DENIED);
	assert_int_equal(r.rec.ev[0].reg, PCI_COMMAND);
	assert_int_equal(r.rec.ev[0].mask,
			 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	/* A byte write of the high half: INTx disable cannot be cleared. */
	cfg_wr(&r, PCI_COMMAND + 1, 1, 0x00);
	assert_true(m_read(&r.m, PCI_COMMAND, 2) & PCI_COMMAND_INTX_DISABLE);
	assert_int_equal(r.f.denied, 2);
	assert_int_equal(r.rec.nev, 1);		/* reported once */
	assert_int_equal(r.bus.denied, 2);
	/* Whatever the real bit was (a reset clears it), a guest write of
	 * the command register sets it again. */
	r.m.cfg[PCI_COMMAND + 1] = 0;
	cfg_wr(&r, PCI_COMMAND, 2, 0x0406);
	assert_int_equal(m_read(&r.m, PCI_COMMAND, 2), 0x0407);
	assert_int_equal(r.f.denied, 2);
}

static void test_bar_sizing(void **state)
{
	static struct rig r;

	rig_up(&r, false);
	cfg_wr(&r, PCI_COMMAND, 2, 0x0400);	/* decoding off */
	r.rec.nmv = 0;
	assert_int_equal(cfg_rd(&r, 0x10, 4), (u32)BAR0_GPA);
	cfg_wr(&r, 0x10, 4, 0xffffffff);
	assert_int_equal(cfg_rd(&r, 0x10, 4), 0xfffe0000);
	cfg_wr(&r, 0x10, 4, (u32)BAR0_GPA);
	/* BAR3: 64-bit, 16 KiB; flags read back, upper half all writable. */
	assert_int_equal(cfg_rd(&r, 0x1c, 4), (u32)BAR3_GPA | PCI_BAR_MEM_TYPE_64);
	assert_int_equal(cfg_rd(&r, 0x20, 4), 0);
	cfg_wr(&r, 0x1c, 4, 0xffffffff);
	cfg_wr(&r, 0x20, 4, 0xffffffff);
	assert_int_equal(cfg_rd(&r, 0x1c, 4), 0xffffc000 | PCI_BAR_MEM_TYPE_64);
	assert_int_equal(cfg_rd(&r, 0x20, 4), 0xffffffff);
	/* BAR1 (not given), BAR2 (I/O), BAR5: absent. */
	cfg_wr(&r, 0x14, 4, 0xffffffff);
	cfg_wr(&r, 0x18, 4, 0xffffffff);
	cfg_wr(&r, 0x24, 4, 0xffffffff);
	assert_int_equal(cfg_rd(&r, 0x14, 4), 0);
	assert_int_equal(cfg_rd(&r, 0x18, 4), 0);
	assert_int_equal(cfg_rd(&r, 0x24, 4), 0);
	/* Nothing reached the real BARs, nothing refused, nothing moved. */
	assert_int_equal(m_read(&r.m, 0x10, 4), 0xc1020000);
	assert_int_equal(m_read(&r.m, 0x1c, 4), 0xc1040004);
	assert_int_equal(r.f.denied, 0);
	assert_int_equal(r.rec.nmv, 0);
	assert_int_equal(vpci_func_bar_gpa(&r.f, 0), 0);
}

static void test_bar_move(void **state)
{
	static struct rig r;

	rig_up(&r, false);
	/* Decoding was on: both BARs were placed at their initial GPAs. */
	assert_int_equal(r.rec.nmv, 2);
	assert_int_equal(r.rec.mv[0].bar, 0);
	assert_int_equal(r.rec.mv[0].from, 0);
	assert_int_equal(r.rec.mv[0].to, BAR0_GPA);
	assert_int_equal(r.rec.mv[1].bar, 3);
	assert_int_equal(vpci_func_bar_gpa(&r.f, 3), BAR3_GPA);
	/* Inside the window, decoding on: the mapping follows. */
	cfg_wr(&r, 0x10, 4, 0xf0200000);
	assert_int_equal(r.rec.nmv, 3);
	assert_int_equal(r.rec.mv[2].from, BAR0_GPA);
	assert_int_equal(r.rec.mv[2].to, 0xf0200000);
	assert_int_equal(vpci_func_bar_gpa(&r.f, 0), 0xf0200000);
	/* Outside: refused, counted, reported once; the mapping stays. */
	cfg_wr(&r, 0x10, 4, 0xe0000000);
	cfg_wr(&r, 0x10, 4, 0xd0000000);
	assert_int_equal(r.rec.nmv, 3);
	assert_int_equal(vpci_func_bar_gpa(&r.f, 0), 0xf0200000);
	assert_int_equal(r.f.denied, 2);
	assert_int_equal(r.rec.nev, 1);
	assert_int_equal(r.rec.ev[0].kind, VPCI_EV_BAR_REFUSED);
	assert_int_equal(r.rec.ev[0].gpa, 0xe0000000);
	/* The last slot of the window is still inside. */
	cfg_wr(&r, 0x10, 4, (u32)(WIN_BASE + WIN_SIZE - 0x20000));
	assert_int_equal(vpci_func_bar_gpa(&r.f, 0), WIN_BASE + WIN_SIZE - 0x20000);
	cfg_wr(&r, 0x10, 4, 0xf0200000);
	r.rec.nmv -= 2;
	/* 64-bit BAR: low half moves it; a high half above 4 GiB is out. */
	cfg_wr(&r, 0x1c, 4, 0xf0300000);
	assert_int_equal(vpci_func_bar_gpa(&r.f, 3), 0xf0300000);
	cfg_wr(&r, 0x20, 4, 1);
	assert_int_equal(vpci_func_bar_gpa(&r.f, 3), 0xf0300000);
	assert_int_equal(r.f.denied, 3);
	cfg_wr(&r, 0x20, 4, 0);
	/* Decoding off unmaps; on again maps where the BARs say. */
	r.rec.nmv = 0;
	cfg_wr(&r, 0x10, 4, 0xf0400000);	/* valid again */
	cfg_wr(&r, PCI_COMMAND, 2, 0x0404);
	assert_int_equal(vpci_func_bar_gpa(&r.f, 0), 0);
	assert_int_equal(vpci_func_bar_gpa(&r.f, 3), 0);
	cfg_wr(&r, 0x10, 4, 0xffffffff);	/* sizing while off: fine */
	cfg_wr(&r, 0x10, 4, 0xf0500000);
	cfg_wr(&r, PCI_COMMAND, 2, 0x0406);
	assert_int_equal(vpci_func_bar_gpa(&r.f, 0), 0xf0500000);
	assert_int_equal(vpci_func_bar_gpa(&r.f, 3), 0xf0300000);
	assert_int_equal(r.rec.nmv, 5);	/* move, 2 unmaps, 2 maps */
	assert_int_equal(r.f.denied, 3);
}

/* ---- capabilities --------------------------------------------------- */

static void test_cap_chain(void **state)
{
	static struct rig r;

	rig_up(&r, false);
	/* PM 0x40 -> (MSI 0x50 hidden) -> MSI-X 0x70 -> PCIe 0xa0. */
	assert_int_equal(cfg_rd(&r, PCI_CAPABILITY_LIST, 1), 0x40);
	assert_int_equal(cfg_rd(&r, 0x40, 2), 0x7001);
	assert_int_equal(cfg_rd(&r, 0x70, 2), 0xa011);
	assert_int_equal(cfg_rd(&r, 0xa0, 2), 0x0010);
	assert_true(cfg_rd(&r, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	/* The hidden MSI capability reads 0 and cannot be enabled. */
	assert_int_equal(cfg_rd(&r, 0x50, 4), 0);
	assert_int_equal(cfg_rd(&r, 0x54, 4), 0);
	cfg_wr(&r, 0x52, 2, 1);
	assert_int_equal(m_read(&r.m, 0x52, 2) & 1, 0);
	assert_int_equal(r.f.denied, 1);
	/* Extended: AER, ARI, SR-IOV all hidden: an empty list at 0x100. */
	assert_int_equal(cfg_rd(&r, 0x100, 4), 0);
	assert_int_equal(cfg_rd(&r, 0x150, 4), 0);
	assert_int_equal(cfg_rd(&r, 0x160, 4), 0);
	assert_int_equal(cfg_rd(&r, 0x160 + PCI_SRIOV_TOTAL_VF, 2), 0);
	cfg_wr(&r, 0x160 + PCI_SRIOV_CTRL, 2, PCI_SRIOV_CTRL_VFE);
	assert_int_equal(m_read(&r.m, 0x160 + PCI_SRIOV_CTRL, 2),
			 PCI_SRIOV_CTRL_ARI);	/* as captured */
	assert_int_equal(r.f.denied, 2);
	/* Shown capabilities read through: the MSI-X table BIR/offset. */
	assert_int_equal(cfg_rd(&r, 0x74, 4), 0x3);
	assert_int_equal(cfg_rd(&r, 0x78, 4), 0x2003);
}

/* A Device Serial Number capability at 0x1a0, after SR-IOV. */
static void add_dsn(struct model *m)
{
	u32 sriov = m_read(m, 0x160, 4);

	sriov = (sriov & 0xfffff) | 0x1a0u << 20;
	memcpy(m->cfg + 0x160, &sriov, 4);
	m->cfg[0x1a0] = 0x03;		/* id 3, version 1, next 0 */
	m->cfg[0x1a2] = 0x01;
	memcpy(m->cfg + 0x1a4, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
}

static void test_ecap_chain(void **state)
{
	static struct rig r;
	struct vpci_func_config c;

	memset(&r, 0, sizeof(r));
	load(&r.m, "igb-pf.bin");
	add_dsn(&r.m);
	dummy_msix(&r.msix);
	vpci_bus_init(&r.bus, WIN_BASE, WIN_SIZE, NULL);
	c = igb_config(&r, false);
	assert_int_equal(vpci_add_function(&r.bus, &r.f, IGB_DEV, &c), VPCI_OK);
	/* 0x100 (AER, hidden) becomes a null header linking to DSN. */
	assert_int_equal(cfg_rd(&r, 0x100, 4), 0x1a0u << 20);
	assert_int_equal(cfg_rd(&r, 0x1a0, 4), 0x00010003);
	assert_int_equal(cfg_rd(&r, 0x1a4, 4), 0x44332211);
	assert_int_equal(cfg_rd(&r, 0x1a8, 4), 0x88776655);
	/* Read-only. */
	cfg_wr(&r, 0x1a4, 4, 0);
	assert_int_equal(cfg_rd(&r, 0x1a4, 4), 0x44332211);
	assert_int_equal(r.f.denied, 1);
	/* The standard list still has its three. */
	assert_int_equal(cfg_rd(&r, 0xa1, 1), 0);
}

static void test_cap_without_msix_emulation(void **state)
{
	static struct rig r;
	struct vpci_func_config c;

	memset(&r, 0, sizeof(r));
	load(&r.m, "igb-pf.bin");
	vpci_bus_init(&r.bus, WIN_BASE, WIN_SIZE, NULL);
	c = igb_config(&r, false);
	c.msix = NULL;
	assert_int_equal(vpci_add_function(&r.bus, &r.f, IGB_DEV, &c), VPCI_OK);
	/* No emulation behind it: MSI-X is hidden too. */
	assert_int_equal(cfg_rd(&r, 0x41, 1), 0xa0);
	assert_int_equal(cfg_rd(&r, 0x70, 4), 0);
}

static void test_msix_ctrl_routed(void **state)
{
	static struct rig r;

	rig_up(&r, false);
	assert_int_equal(cfg_rd(&r, 0x72, 2), 0x0009);	/* 10 vectors, off */
	cfg_wr(&r, 0x72, 2, 0x0009 | PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	assert_true(r.msix.enabled);
	assert_true(r.msix.fmask);
	assert_int_equal(msix_ctrl_real,
			 PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	assert_int_equal(cfg_rd(&r, 0x72, 2), 0xc009);
	/* Table size is not writable. */
	cfg_wr(&r, 0x72, 2, PCI_MSIX_FLAGS_ENABLE | 0x3);
	assert_int_equal(cfg_rd(&r, 0x72, 2), 0x8009);
	assert_false(r.msix.fmask);
	assert_int_equal(r.f.denied, 1);
}

static void test_pcie_and_pm(void **state)
{
	static struct rig r;
	u16 devctl;

	rig_up(&r, false);
	/* FLR is neither advertised nor possible. */
	r.m.cfg[0xa0 + PCI_EXP_DEVCAP + 3] |= PCI_EXP_DEVCAP_FLR >> 24;
	assert_int_equal(cfg_rd(&r, 0xa0 + PCI_EXP_DEVCAP, 4) &
			 PCI_EXP_DEVCAP_FLR, 0);
	devctl = (u16)cfg_rd(&r, 0xa0 + PCI_EXP_DEVCTL, 2);
	cfg_wr(&r, 0xa0 + PCI_EXP_DEVCTL, 2,
	       devctl | PCI_EXP_DEVCTL_BCR_FLR | 0x000f);
	assert_int_equal(m_read(&r.m, 0xa0 + PCI_EXP_DEVCTL, 2),
			 devctl | 0x000f);
	assert_int_equal(r.f.denied, 1);
	/* PowerState: the guest sees D3hot, the function stays in D0. */
	cfg_wr(&r, 0x44, 2, 0x0003);
	assert_int_equal(cfg_rd(&r, 0x44, 2) & 3, 3);
	assert_int_equal(m_read(&r.m, 0x44, 2) & 3, 0);
	assert_int_equal(r.f.denied, 1);
}

static void test_denied_once_per_register(void **state)
{
	static struct rig r;

	rig_up(&r, false);
	cfg_wr(&r, PCI_VENDOR_ID, 2, 0);
	cfg_wr(&r, PCI_VENDOR_ID, 2, 1);
	cfg_wr(&r, PCI_CLASS_REVISION, 4, 0);
	cfg_wr(&r, PCI_CLASS_REVISION + 3, 1, 0);
	cfg_wr(&r, 0x2c, 4, 0);
	assert_int_equal(r.f.denied, 5);
	assert_int_equal(r.bus.denied, 5);
	assert_int_equal(r.rec.nev, 3);
	assert_int_equal(r.rec.ev[0].reg, PCI_VENDOR_ID);
	assert_int_equal(r.rec.ev[0].value, 0);
	assert_int_equal(r.rec.ev[1].reg, PCI_CLASS_REVISION);
	assert_int_equal(r.rec.ev[2].reg, 0x2c);
	/* None of it reached the device. */
	assert_int_equal(m_read(&r.m, 0, 4), 0x10c98086);
	assert_int_equal(m_read(&r.m, 8, 4), 0x02000001);
	/* A write that changes nothing outside the mask is not denied. */
	cfg_wr(&r, PCI_VENDOR_ID, 2, 0x8086);
	assert_int_equal(r.f.denied, 5);
}

static void test_event_text(void **state)
{
	struct vpci_event e = { VPCI_EV_DENIED, 1, 0x04, 2, 0x107, 0x6, 0 };
	char line[160];

	vpci_event_format(line, sizeof(line), &e);
	assert_string_equal(line, "dev 01 reg 0x4/2: denied write 0x107 (writable 0x6)");
	e.kind = VPCI_EV_BAR_REFUSED;
	e.reg = 0x10;
	e.gpa = 0xe0000000;
	vpci_event_format(line, sizeof(line), &e);
	assert_string_equal(line, "dev 01 reg 0x10: BAR outside the MMIO window: GPA 0xe0000000 refused, mapping unchanged");
	assert_string_equal(vpci_event_name(99), "unknown event");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type1_latch),
		cmocka_unit_test(test_host_bridge),
		cmocka_unit_test(test_ecam_decode),
		cmocka_unit_test(test_setup_errors),
		cmocka_unit_test(test_vf_ids),
		cmocka_unit_test(test_header_misc),
		cmocka_unit_test(test_command),
		cmocka_unit_test(test_bar_sizing),
		cmocka_unit_test(test_bar_move),
		cmocka_unit_test(test_cap_chain),
		cmocka_unit_test(test_ecap_chain),
		cmocka_unit_test(test_cap_without_msix_emulation),
		cmocka_unit_test(test_msix_ctrl_routed),
		cmocka_unit_test(test_pcie_and_pm),
		cmocka_unit_test(test_denied_once_per_register),
		cmocka_unit_test(test_event_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
