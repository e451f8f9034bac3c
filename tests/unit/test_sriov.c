/* SPDX-License-Identifier: MIT */
/*
 * drivers/sriov.c against a model of two functions: the root port 00:1c.0
 * and the igb PF 01:00.0 below it, their config spaces loaded from the
 * QEMU captures in tests/fixtures/pci/ and set back to the state before
 * SR-IOV bring-up (VFs off, ARI off, VF BARs unprogrammed). BARs answer
 * sizing writes through per-register masks. This file provides what
 * sriov.c takes from the rest of the hypervisor: ECAM access, the device
 * table, the platform and the clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/pci_regs.h"
#include "drivers/sriov.h"
#include "iommu/iommu.h"
#include "kernel/platform.h"
#include "kernel/timer.h"
#include "tests/unit/log_stub.h"

#define SRIOV 0x160		/* the igb's SR-IOV capability */
#define RP_EXP 0x54		/* the root port's PCIe capability */
#define VF_BAR_SIZE 0x4000	/* igb VF BAR0 and BAR3: 16 KiB, 64-bit */

struct fake_fn {
	struct pci_addr addr;
	u8 cfg[PCI_CFG_SIZE];
	u32 mask[PCI_CFG_SIZE / 4];	/* writable bits of a BAR, 0: all */
};

static struct fake_fn fns[2];	/* [0] root port, [1] PF */
static bool vfe_sticks;

struct platform platform;
struct pci_dev pci_devs[PCI_MAX_DEVS];
u32 pci_ndevs;

u64 time_ns(void)
{
	static u64 t;

	return t += 1000;
}

void udelay(u64 us)
{
}

static struct fake_fn *fn_at(struct pci_addr a)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(fns); i++)
		if (!memcmp(&fns[i].addr, &a, sizeof(a)))
			return &fns[i];
	return NULL;
}

static u32 rd(struct pci_addr a, u16 off, u32 width)
{
	struct fake_fn *f = fn_at(a);
	u32 v = 0;

	if (!f)
		return width == 4 ? ~0u : (1u << (8 * width)) - 1;
	memcpy(&v, f->cfg + off, width);
	return v;
}

static void wr(struct pci_addr a, u16 off, u32 v, u32 width)
{
	struct fake_fn *f = fn_at(a);
	u32 m, old;

	if (!f)
		return;
	if (f == &fns[1] && off == SRIOV + PCI_SRIOV_CTRL && !vfe_sticks)
		v &= ~(u32)PCI_SRIOV_CTRL_VFE;
	m = width == 4 ? f->mask[off / 4] : 0;
	if (m) {
		memcpy(&old, f->cfg + off, 4);
		v = (v & m) | (old & ~m);
	}
	memcpy(f->cfg + off, &v, width);
}

u8 pci_cfg_read8(struct pci_addr a, u16 off) { return (u8)rd(a, off, 1); }
u16 pci_cfg_read16(struct pci_addr a, u16 off) { return (u16)rd(a, off, 2); }
u32 pci_cfg_read32(struct pci_addr a, u16 off) { return rd(a, off, 4); }
void pci_cfg_write8(struct pci_addr a, u16 off, u8 v) { wr(a, off, v, 1); }
void pci_cfg_write16(struct pci_addr a, u16 off, u16 v) { wr(a, off, v, 2); }
void pci_cfg_write32(struct pci_addr a, u16 off, u32 v) { wr(a, off, v, 4); }

static u32 io_read32(void *ctx, u16 off)
{
	return rd(*(struct pci_addr *)ctx, off, 4);
}

static void io_write32(void *ctx, u16 off, u32 v)
{
	wr(*(struct pci_addr *)ctx, off, v, 4);
}

void pci_dev_io(struct pci_dev *d, struct pci_cfg_io *io)
{
	io->read32 = io_read32;
	io->write32 = io_write32;
	io->ctx = &d->addr;
}

void pci_dev_probe(struct pci_dev *d)
{
}

struct pci_dev *pci_add_dev(const struct pci_dev *d)
{
	if (pci_ndevs >= PCI_MAX_DEVS)
		return NULL;
	pci_devs[pci_ndevs] = *d;
	return &pci_devs[pci_ndevs++];
}

static void load(struct fake_fn *f, const char *name, struct pci_addr a)
{
	char path[256];
	FILE *fp;

	memset(f, 0, sizeof(*f));
	f->addr = a;
	snprintf(path, sizeof(path), "tests/fixtures/pci/%s", name);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(f->cfg, 1, PCI_CFG_SIZE, fp), PCI_CFG_SIZE);
	fclose(fp);
}

static void put32(struct fake_fn *f, u16 off, u32 v)
{
	memcpy(f->cfg + off, &v, 4);
}

static void put16(struct fake_fn *f, u16 off, u16 v)
{
	memcpy(f->cfg + off, &v, 2);
}

static u16 get16(struct fake_fn *f, u16 off)
{
	u16 v;

	memcpy(&v, f->cfg + off, 2);
	return v;
}

static u32 get32(struct fake_fn *f, u16 off)
{
	u32 v;

	memcpy(&v, f->cfg + off, 4);
	return v;
}

/* The root port's window 0xc1000000-0xc11fffff is taken whole by the PF's
 * BARs, so placing the VF BARs must grow it. */
static int setup(void **state)
{
	struct fake_fn *rp = &fns[0], *pf = &fns[1];
	struct pci_dev *b, *p;

	log_stub_reset();
	load(rp, "root-port.bin", (struct pci_addr){ 0, 0, 0x1c, 0 });
	load(pf, "igb-pf.bin", (struct pci_addr){ 0, 1, 0, 0 });
	put16(rp, RP_EXP + PCI_EXP_DEVCTL2, 0);		/* ARI Forwarding off */
	put16(pf, SRIOV + PCI_SRIOV_CTRL, 0);		/* VFs off, ARI off */
	put32(pf, SRIOV + PCI_SRIOV_BAR + 0, 0xc);	/* 64-bit pref */
	put32(pf, SRIOV + PCI_SRIOV_BAR + 4, 0);
	put32(pf, SRIOV + PCI_SRIOV_BAR + 12, 0xc);
	put32(pf, SRIOV + PCI_SRIOV_BAR + 16, 0);
	pf->mask[(SRIOV + PCI_SRIOV_BAR) / 4] = ~(VF_BAR_SIZE - 1u);
	pf->mask[(SRIOV + PCI_SRIOV_BAR + 4) / 4] = ~0u;
	pf->mask[(SRIOV + PCI_SRIOV_BAR + 12) / 4] = ~(VF_BAR_SIZE - 1u);
	pf->mask[(SRIOV + PCI_SRIOV_BAR + 16) / 4] = ~0u;
	vfe_sticks = true;

	memset(pci_devs, 0, sizeof(pci_devs));
	pci_ndevs = 2;
	b = &pci_devs[0];
	b->addr = rp->addr;
	b->hdr_type = PCI_HEADER_TYPE_BRIDGE;
	b->parent = PCI_NO_PARENT;
	b->cap_exp = RP_EXP;
	p = &pci_devs[1];
	p->addr = pf->addr;
	p->vendor = 0x8086;
	p->parent = 0;
	p->ecap_ari = 0x150;
	p->ecap_sriov = SRIOV;
	p->bar[0] = (struct pci_bar){ .base = 0xc1000000, .size = 0x200000,
				      .type = PCI_BAR_MEM32 };
	return 0;
}

static void test_enable(void **state)
{
	struct fake_fn *rp = &fns[0], *pf = &fns[1];
	struct sriov_info s;
	struct pci_dev *vf1;

	assert_int_equal(sriov_enable(&pci_devs[1], 2, &s), 2);
	assert_true(s.ari);
	assert_true(get16(rp, RP_EXP + PCI_EXP_DEVCTL2) & PCI_EXP_DEVCTL2_ARI);
	assert_true(get16(pf, SRIOV + PCI_SRIOV_CTRL) & PCI_SRIOV_CTRL_ARI);
	assert_true(get16(pf, SRIOV + PCI_SRIOV_CTRL) & PCI_SRIOV_CTRL_VFE);
	assert_int_equal(get16(pf, SRIOV + PCI_SRIOV_NUM_VF), 2);
	/* Both VF BARs above the PF's, in the grown window. */
	assert_true(s.vf_bar[0].base >= 0xc1200000);
	assert_true(s.vf_bar[3].base >= 0xc1200000);
	assert_int_equal(get16(rp, PCI_MEMORY_LIMIT), 0xc120);
	vf1 = sriov_vf(&s, 1);
	assert_non_null(vf1);
	assert_true(vf1->is_vf);
	assert_int_equal(pci_rid(vf1->addr), 0x100 + 0x80 + 2);
	assert_int_equal(vf1->bar[0].base, s.vf_bar[0].base + VF_BAR_SIZE);
	/* The IOMMU knows whose scope covers the VF. */
	assert_int_equal(iommu_scope_rid(0, pci_rid(vf1->addr)), 0x100);
}

/*
 * VF Enable does not stick: sriov_enable() fails after it turned ARI on
 * in the port and the PF, wrote NumVFs and both VF BARs and grew the
 * port's window. Everything must be as before.
 */
static void test_failure_undoes(void **state)
{
	struct fake_fn *rp = &fns[0], *pf = &fns[1];
	u16 limit = get16(rp, PCI_MEMORY_LIMIT);
	struct sriov_info s;

	vfe_sticks = false;
	assert_int_equal(sriov_enable(&pci_devs[1], 2, &s), 0);
	assert_int_equal(s.num_vfs, 0);
	assert_null(sriov_vf(&s, 0));
	assert_int_equal(pci_ndevs, 2);
	assert_true(log_stub_contains("VF Enable did not stick"));
	assert_int_equal(get16(pf, SRIOV + PCI_SRIOV_CTRL), 0);
	assert_int_equal(get16(pf, SRIOV + PCI_SRIOV_NUM_VF), 0);
	assert_int_equal(get32(pf, SRIOV + PCI_SRIOV_BAR + 0), 0xc);
	assert_int_equal(get32(pf, SRIOV + PCI_SRIOV_BAR + 4), 0);
	assert_int_equal(get32(pf, SRIOV + PCI_SRIOV_BAR + 12), 0xc);
	assert_int_equal(get32(pf, SRIOV + PCI_SRIOV_BAR + 16), 0);
	assert_int_equal(get16(rp, PCI_MEMORY_LIMIT), limit);
	assert_int_equal(get16(rp, RP_EXP + PCI_EXP_DEVCTL2), 0);
	/* And a second try, with a device that behaves, still works. */
	vfe_sticks = true;
	assert_int_equal(sriov_enable(&pci_devs[1], 2, &s), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_enable, setup),
		cmocka_unit_test_setup(test_failure_undoes, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
