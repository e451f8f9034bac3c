// SPDX-License-Identifier: MIT
/*
 * The PCI bring-up order, called once from hv_main(): enumerate, enable
 * SR-IOV, bring up the PF drivers, print the inventory, self-test.
 */
#define LOG_SUBSYS "pci"
#include "drivers/pci.h"
#include "drivers/pci_regs.h"
#include "drivers/e1000e.h"
#include "drivers/igb.h"
#include "drivers/igb_selftest.h"
#include "drivers/sriov.h"
#include "kernel/log.h"
#include "kernel/selftest.h"

#define IGB_VENDOR 0x8086
#define IGB_PF_DEVICE 0x10c9	/* 82576 */

/* VFs enabled for the self-test when no guest asks for one. */
#define SELFTEST_DEFAULT_VFS 2

static struct sriov_info igb_sriov;
static struct igb_pf igb_pf;

static struct pci_dev *find_dev(u16 vendor, u16 device)
{
	u32 i;

	for (i = 0; i < pci_ndevs; i++)
		if (!pci_devs[i].is_vf && pci_devs[i].vendor == vendor &&
		    pci_devs[i].device == device)
			return &pci_devs[i];
	return NULL;
}

/* The role the inventory prints for each VF: the PF's driver knows it. */
static void name_vfs(const struct sriov_info *s, const char *role)
{
	struct pci_dev *vf;
	u16 n;

	for (n = 0; (vf = sriov_vf(s, n)); n++)
		vf->role = role;
}

static void check_vfs(struct pci_dev *pf, u16 want)
{
	char a[16], b[16];
	struct pci_dev *v0, *vl;

	if (!want)
		return;
	v0 = sriov_vf(&igb_sriov, 0);
	vl = sriov_vf(&igb_sriov, igb_sriov.num_vfs ? igb_sriov.num_vfs - 1 : 0);
	selftest_check(igb_sriov.num_vfs == want && v0 && vl,
		       "SR-IOV VFs enabled",
		       "%u of %u wanted, VF0 at %s, VF%u at %s",
		       igb_sriov.num_vfs, want,
		       v0 ? pci_addr_str(v0->addr, a, sizeof(a)) : "-",
		       igb_sriov.num_vfs ? igb_sriov.num_vfs - 1 : 0,
		       vl ? pci_addr_str(vl->addr, b, sizeof(b)) : "-");
}

void pci_main(const struct pci_setup *s)
{
	bool selftest = s->selftest;
	struct pci_dev *pf;
	u16 want = s->vfs ? s->vfs : selftest ? SELFTEST_DEFAULT_VFS : 0;

	if (!pci_enumerate()) {
		pr_warn("no PCI functions found (no MCFG?)\n");
		return;
	}
	if (s->dump_config)
		pci_dump_all();
	pf = find_dev(IGB_VENDOR, IGB_PF_DEVICE);
	if (pf) {
		pf->role = "igb PF";
		if (want && sriov_enable(pf, want, &igb_sriov))
			name_vfs(&igb_sriov, "igb VF");
	}
	e1000e_init_all(selftest);
	pci_assign_groups();
	pci_print_inventory();
	if (!pf)
		return;
	if (selftest)
		check_vfs(pf, want);
	if (igb_pf_init(&igb_pf, pf, igb_sriov.num_vfs)) {
		if (selftest)
			selftest_check(false, "igb PF up", "PF bring-up failed");
		return;
	}
	if (selftest && igb_sriov.num_vfs) {
		igb_selftest_vf_bars(&igb_pf, sriov_vf(&igb_sriov, 0),
				     igb_sriov.num_vfs);
		igb_selftest_vf(&igb_pf, sriov_vf(&igb_sriov, 0));
	}
}

/*
 * Device assignment (vmm/assign.c): VF n of the igb PF, reset by FLR so it
 * starts clean, with memory decode and bus mastering on. NULL if there is
 * no such VF. The caller attaches it to the guest's IOMMU domain.
 */
struct pci_dev *pci_take_vf(u16 n)
{
	struct pci_dev *vf;

	if (n >= igb_sriov.num_vfs)
		return NULL;
	vf = sriov_vf(&igb_sriov, n);
	if (!vf)
		return NULL;
	pci_flr(vf);
	pci_enable_mem_dma(vf);
	return vf;
}

/* A VF back from a guest: FLR, so nothing it was told survives. */
void pci_return_vf(struct pci_dev *vf)
{
	pci_flr(vf);
}

u16 pci_vf_count(void)
{
	return igb_sriov.num_vfs;
}

/* FLR where the function has it, else its driver's reset. */
static int reset_function(struct pci_dev *d)
{
	if (pci_has_flr(d))
		return pci_flr(d);
	return d->reset ? d->reset(d) : -1;
}

/*
 * A whole function for a guest: only one its driver marked assignable at
 * boot. Reset (FLR or the driver's reset), then memory decode and bus
 * mastering on. NULL if it is not assignable or does not reset.
 */
struct pci_dev *pci_take_function(struct pci_addr a)
{
	u32 i;

	for (i = 0; i < pci_ndevs; i++) {
		struct pci_dev *d = &pci_devs[i];

		if (d->addr.segment != a.segment || d->addr.bus != a.bus ||
		    d->addr.dev != a.dev || d->addr.fn != a.fn)
			continue;
		if (!d->assignable || reset_function(d))
			return NULL;
		pci_enable_mem_dma(d);
		return d;
	}
	return NULL;
}

void pci_return_function(struct pci_dev *d)
{
	u16 cmd = pci_cfg_read16(d->addr, PCI_COMMAND);

	/* No DMA and no decode until it is given out again. */
	pci_cfg_write16(d->addr, PCI_COMMAND,
			cmd & ~(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
	reset_function(d);
}
