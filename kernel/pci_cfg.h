/* SPDX-License-Identifier: MIT */
/*
 * PCI Express configuration space through ECAM (PCIe Base Spec 6.0
 * §7.2.2, "PCI Express Enhanced Configuration Access Mechanism"): each
 * function has 4 KiB at base + (bus << 20 | dev << 15 | fn << 12), the
 * windows come from the ACPI MCFG table (kernel/platform.h).
 * Accesses outside every window read as all ones and ignore writes.
 *
 * Platform plumbing, not a driver: drivers/ (enumeration) and iommu/
 * (DMAR scopes through bridges) both read config space through it.
 */
#ifndef KERNEL_PCI_CFG_H
#define KERNEL_PCI_CFG_H

#include "lib/types.h"

struct pci_addr {
	u16 segment;
	u8 bus, dev, fn;
};

#define PCI_CFG_SIZE 4096

/*
 * The header fields needed below drivers/ (PCIe Base 6.0 §7.5.1.1 header
 * type, §7.5.1.3 type 1 bus numbers): the IOMMU finds the devices behind
 * a bridge with them. drivers/pci_regs.h has the rest of the layout.
 */
#define PCI_HEADER_TYPE 0x0e
#define PCI_HEADER_TYPE_MASK 0x7f
#define PCI_HEADER_TYPE_NORMAL 0
#define PCI_HEADER_TYPE_BRIDGE 1
#define PCI_PRIMARY_BUS 0x18
#define PCI_SECONDARY_BUS 0x19
#define PCI_SUBORDINATE_BUS 0x1a

/* Maps every MCFG window (uncached). Returns the number of windows. */
int pci_cfg_init(void);
/* True if the address lies in a configured ECAM window. */
bool pci_cfg_valid(struct pci_addr a);
u32 pci_cfg_read32(struct pci_addr a, u16 off);
u16 pci_cfg_read16(struct pci_addr a, u16 off);
u8 pci_cfg_read8(struct pci_addr a, u16 off);
void pci_cfg_write32(struct pci_addr a, u16 off, u32 v);
void pci_cfg_write16(struct pci_addr a, u16 off, u16 v);
void pci_cfg_write8(struct pci_addr a, u16 off, u8 v);

/* Secondary and subordinate bus of the bridge at a; false if a is not a
 * PCI-PCI bridge (type 1 header) or reads as absent. */
bool pci_cfg_bridge_buses(struct pci_addr a, u8 *sec, u8 *sub);

static inline u16 pci_rid(struct pci_addr a)
{
	return (u16)(a.bus << 8 | a.dev << 3 | a.fn);
}

#endif
