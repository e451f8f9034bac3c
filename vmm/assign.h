/* SPDX-License-Identifier: MIT */
/*
 * Device assignment: a guest's `device = vf N` and `device = pci B:D.F`
 * lines become functions it drives itself. Each one is reset (FLR, or its
 * driver's reset for a function without FLR), attached to the guest's IOMMU
 * domain (built from the guest's memory map, so its DMA can only reach
 * that guest's RAM), and its register BAR is mapped uncached into the
 * guest's nested page tables at HV_GUEST_MMIO_BASE + i * STRIDE.
 */
#ifndef VMM_ASSIGN_H
#define VMM_ASSIGN_H

#include "vmm/vm.h"

/* Returns 0, or -1 (logged) if a requested device cannot be given. */
int vm_assign_devices(struct vm *vm);
/* Detaches and resets every device the guest had. */
void vm_release_devices(struct vm *vm);

#endif
