// SPDX-License-Identifier: MIT
#define LOG_SUBSYS "vmm"
#include "drivers/pci.h"
#include "iommu/iommu.h"
#include "kernel/log.h"
#include "kernel/pagetable.h"
#include "lib/hv_abi.h"
#include "vmm/assign.h"

#define REGS_BAR 0 /* igb VF: BAR0 holds the registers (82576 §9.4) */

static int assign_vf(struct vm *vm, const struct cfg_device *d, u32 slot)
{
	struct vm_device *vd = &vm->devs[vm->ndevs];
	u64 gpa = HV_GUEST_MMIO_BASE + slot * HV_GUEST_MMIO_STRIDE;
	struct pci_dev *vf = pci_take_vf(d->vf_index);
	const struct pci_bar *bar;
	int err;

	if (!vf) {
		pr_err("%s: vf %u does not exist (%u VFs enabled)\n", vm->name,
		       d->vf_index, pci_vf_count());
		return -1;
	}
	bar = &vf->bar[REGS_BAR];
	if (!bar->size || bar->size > HV_GUEST_MMIO_STRIDE) {
		pr_err("%s: vf %u: register BAR of %llu bytes cannot be mapped\n",
		       vm->name, d->vf_index, bar->size);
		return -1;
	}
	err = iommu_attach(vm->iommu, vf->addr.segment, pci_rid(vf->addr));
	if (err) {
		pr_err("%s: vf %u: IOMMU attach failed: %s\n", vm->name,
		       d->vf_index, iommu_strerror(err));
		return -1;
	}
	vd->pci = vf;
	vm->ndevs++;	/* from here on vm_release_devices undoes it */
	err = pt_map(&vm->npt, gpa, bar->base, ALIGN_UP(bar->size, PAGE_SIZE),
		     PT_R | PT_W | PT_UC);
	if (err) {
		pr_err("%s: vf %u: cannot map its registers: %s\n", vm->name,
		       d->vf_index, pt_strerror(err));
		return -1;
	}
	vd->info = (struct hv_bi_dev){
		.segment = vf->addr.segment, .bus = vf->addr.bus,
		.dev = vf->addr.dev, .fn = vf->addr.fn, .kind = HV_BI_DEV_VF,
		.mmio_gpa = gpa, .mmio_size = bar->size,
	};
	pr_info("%s: vf %u (%02x:%02x.%u) assigned: registers at GPA %#llx (HPA %#llx, %llu KiB), DMA through the guest's IOMMU domain\n",
		vm->name, d->vf_index, vf->addr.bus, vf->addr.dev, vf->addr.fn,
		gpa, bar->base, bar->size >> 10);
	return 0;
}

int vm_assign_devices(struct vm *vm)
{
	u32 i;

	for (i = 0; i < vm->cfg->ndevices; i++) {
		const struct cfg_device *d = &vm->cfg->devices[i];

		if (d->kind == CFG_DEV_NONE)
			continue;
		if (!vm->iommu) {
			pr_err("%s: no IOMMU domain: devices cannot be assigned safely\n",
			       vm->name);
			return -1;
		}
		if (d->kind != CFG_DEV_VF) {
			pr_err("%s: whole-function assignment is not implemented yet\n",
			       vm->name);
			return -1;
		}
		if (assign_vf(vm, d, vm->ndevs))
			return -1;
	}
	return 0;
}

void vm_release_devices(struct vm *vm)
{
	while (vm->ndevs) {
		struct vm_device *vd = &vm->devs[--vm->ndevs];

		iommu_detach(vm->iommu, vd->pci->addr.segment,
			     pci_rid(vd->pci->addr));
		pci_return_vf(vd->pci);
		pr_info("%s: %02x:%02x.%u taken back: detached and reset\n",
			vm->name, vd->pci->addr.bus, vd->pci->addr.dev,
			vd->pci->addr.fn);
	}
}
