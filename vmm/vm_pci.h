/* SPDX-License-Identifier: MIT */
/*
 * A guest's virtual PCI bus wired to its assigned functions (docs/vpci.md):
 * the glue between the pure logic of vmm/vpci*.c and vmm/vmsix.c and the
 * machine (real config space through ECAM, the nested page tables, the
 * IOMMU's interrupt remapping entries, host vectors).
 *
 * A guest with devices gets a bus at vm_pci_init(); each assigned function
 * is added by vm_pci_attach(), which also maps its BARs (all but the MSI-X
 * table and PBA pages, which trap). vm_pci_release() masks every real
 * MSI-X entry and frees the IRTEs and host vectors before the functions
 * are reset and detached (vm_release_devices).
 */
#ifndef VMM_VM_PCI_H
#define VMM_VM_PCI_H

#include "lib/types.h"

struct vm;
struct vm_device;
struct vcpu_exit;

/* 0, or -1 (logged) if the guest cannot have a bus (none free). */
int vm_pci_init(struct vm *vm);
/*
 * Adds vd->pci as the next device of the guest's bus with its memory BARs
 * laid out from slot_gpa on (BAR0 at slot_gpa), mapped in the NPT. 0, or
 * -1 with the reason logged.
 */
int vm_pci_attach(struct vm *vm, struct vm_device *vd, u64 slot_gpa);
/* MSI-X entries masked, IRTEs and host vectors freed; the bus is gone. */
void vm_pci_release(struct vm *vm);

/* True if port is one of the bus's (0xCF8..0xCFF and the guest has one). */
bool vm_pci_owns_port(const struct vm *vm, u16 port);
/* Emulates an IN/OUT at one of those ports; *val as handle_io passes it. */
void vm_pci_pio(struct vm *vm, u16 port, u8 size, bool in, u32 *val);
/*
 * A nested page fault at e->gpa: true if it was the ECAM window or an
 * MSI-X page (emulated and stepped over, or the guest stopped with a
 * reason); false if it is none of ours.
 */
bool vm_pci_mmio(struct vm *vm, const struct vcpu_exit *e);

#endif
