/* SPDX-License-Identifier: MIT */
/*
 * PCI Express configuration space through ECAM (PCIe Base Spec 6.0
 * §7.2.2, "PCI Express Enhanced Configuration Access Mechanism"): each
 * function has 4 KiB at base + (bus << 20 | dev << 15 | fn << 12), the
 * windows come from the ACPI MCFG table (kernel/platform.h).
 * Accesses outside every window read as all ones and ignore writes.
 */
#ifndef DRIVERS_PCI_CFG_H
#define DRIVERS_PCI_CFG_H

#include "lib/types.h"

struct pci_addr {
	u16 segment;
	u8 bus, dev, fn;
};

#define PCI_CFG_SIZE 4096

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

struct hv_config;
/*
 * The PCI subsystem's boot entry point (drivers/pci_main.c): enumeration,
 * SR-IOV, PF drivers, inventory and, with selftest = on, the VF self-test.
 * Declared here because hv_main.c includes this header.
 */
void pci_main(const struct hv_config *cfg);

static inline u16 pci_rid(struct pci_addr a)
{
	return (u16)(a.bus << 8 | a.dev << 3 | a.fn);
}

#endif
