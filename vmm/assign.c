// SPDX-License-Identifier: MIT
#define LOG_SUBSYS "vmm"
#include "drivers/pci.h"
#include "iommu/iommu.h"
#include "kernel/log.h"
#include "kernel/pagetable.h"
#include "lib/format.h"
#include "lib/hv_abi.h"
#include "vmm/assign.h"
#include "vmm/vm_pci.h"

#define REGS_BAR 0 /* igb VF: BAR0 holds the registers (82576 §9.4) */

/*
 * Gives pci (already reset, decode and DMA on) to the guest: its IOMMU
 * domain, its register BAR at the next MMIO slot, a boot-info entry.
 */
static int assign_function(struct vm *vm, struct pci_dev *pci, u8 kind,
			   const char *what)
{
	struct vm_device *vd = &vm->devs[vm->ndevs];
	u64 gpa = HV_GUEST_MMIO_BASE + vm->ndevs * HV_GUEST_MMIO_STRIDE;
	const struct pci_bar *bar = &pci->bar[REGS_BAR];
	int err;

	if (!bar->size || bar->size > HV_GUEST_MMIO_STRIDE ||
	    (bar->type != PCI_BAR_MEM32 && bar->type != PCI_BAR_MEM64)) {
		pr_err("%s: %s: register BAR (%llu bytes) cannot be mapped\n",
		       vm->name, what, bar->size);
		goto fail;
	}
	err = iommu_attach(vm->iommu, pci->addr.segment, pci_rid(pci->addr));
	if (err) {
		pr_err("%s: %s: IOMMU attach failed: %s\n", vm->name, what,
		       iommu_strerror(err));
		goto fail;
	}
	vd->pci = pci;
	vd->info = (struct hv_bi_dev){
		.segment = pci->addr.segment, .bus = pci->addr.bus,
		.dev = pci->addr.dev, .fn = pci->addr.fn, .kind = kind,
		.mmio_gpa = gpa, .mmio_size = bar->size,
	};
	vm->ndevs++;	/* from here on vm_release_devices undoes it */
	/* Its BARs are mapped by its virtual PCI function (bar_moved). */
	if (vm_pci_attach(vm, vd, gpa)) {
		pr_err("%s: %s: cannot present it on the guest's PCI bus\n",
		       vm->name, what);
		return -1;
	}
	pr_info("%s: %s (%02x:%02x.%u) assigned: registers at GPA %#llx (HPA %#llx, %llu KiB), DMA through the guest's IOMMU domain\n",
		vm->name, what, pci->addr.bus, pci->addr.dev, pci->addr.fn,
		gpa, bar->base, bar->size >> 10);
	return 0;
fail:
	if (kind == HV_BI_DEV_VF)
		pci_return_vf(pci);
	else
		pci_return_function(pci);
	return -1;
}

static int assign_one(struct vm *vm, const struct cfg_device *d)
{
	struct pci_addr a = { d->segment, d->bus, d->dev, d->fn };
	struct pci_dev *pci;
	char what[32];

	if (d->kind == CFG_DEV_VF) {
		fmt_snprintf(what, sizeof(what), "vf %u", d->vf_index);
		pci = pci_take_vf(d->vf_index);
		if (!pci) {
			pr_err("%s: %s does not exist (%u VFs enabled)\n",
			       vm->name, what, pci_vf_count());
			return -1;
		}
		return assign_function(vm, pci, HV_BI_DEV_VF, what);
	}
	fmt_snprintf(what, sizeof(what), "pci %04x:%02x:%02x.%u", d->segment,
		     d->bus, d->dev, d->fn);
	pci = pci_take_function(a);
	if (!pci) {
		pr_err("%s: %s is not an assignable function\n", vm->name,
		       what);
		return -1;
	}
	return assign_function(vm, pci, HV_BI_DEV_PCI, what);
}

int vm_assign_devices(struct vm *vm)
{
	u32 i;

	if (vm->iommu && vm_pci_init(vm))
		return -1;
	for (i = 0; i < vm->cfg->ndevices; i++) {
		const struct cfg_device *d = &vm->cfg->devices[i];

		if (d->kind == CFG_DEV_NONE)
			continue;
		if (!vm->iommu) {
			pr_err("%s: no IOMMU domain: devices cannot be assigned safely\n",
			       vm->name);
			return -1;
		}
		if (assign_one(vm, d))
			return -1;
	}
	return 0;
}

void vm_release_devices(struct vm *vm)
{
	/* MSI-X masked and IRTEs gone before any function is reset. */
	vm_pci_release(vm);
	while (vm->ndevs) {
		struct vm_device *vd = &vm->devs[--vm->ndevs];

		iommu_detach(vm->iommu, vd->pci->addr.segment,
			     pci_rid(vd->pci->addr));
		if (vd->info.kind == HV_BI_DEV_VF)
			pci_return_vf(vd->pci);
		else
			pci_return_function(vd->pci);
		pr_info("%s: %02x:%02x.%u taken back: detached and reset\n",
			vm->name, vd->pci->addr.bus, vd->pci->addr.dev,
			vd->pci->addr.fn);
	}
}
