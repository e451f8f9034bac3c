/* SPDX-License-Identifier: MIT */
/*
 * A guest's PCI library: what a guest needs to find and set up its device
 * through config space, as it would on real hardware. Type 1 (ports
 * 0xCF8/0xCFC, PCI Local Bus 3.0 §3.2.2.3.2) or the ECAM window whose
 * address the boot info gives (PCIe 6.0 §7.2.2); bus 0 only, which is all
 * the VMM's virtual bus has (docs/vpci.md).
 *
 * Guests include only lib/ and the ABI, so the few header fields used here
 * are named below (PCIe 6.0 §7.5.1, §7.7.2).
 */
#ifndef GUEST_RT_PCI_H
#define GUEST_RT_PCI_H

#include "lib/types.h"

#define RT_PCI_VENDOR 0x00
#define RT_PCI_DEVICE 0x02
#define RT_PCI_COMMAND 0x04
#define RT_PCI_COMMAND_MEM BIT(1)
#define RT_PCI_COMMAND_MASTER BIT(2)
#define RT_PCI_STATUS 0x06
#define RT_PCI_STATUS_CAPS BIT(4)
#define RT_PCI_CLASS 0x08		/* revision 7:0, class 31:8 */
#define RT_PCI_BAR0 0x10
#define RT_PCI_BAR_IO BIT(0)
#define RT_PCI_BAR_TYPE_64 (2u << 1)
#define RT_PCI_BAR_TYPE_MASK (3u << 1)
#define RT_PCI_BAR_MEM_MASK (~0xfu)
#define RT_PCI_CAP_PTR 0x34
#define RT_PCI_CAP_ID_MSI 0x05
#define RT_PCI_CAP_ID_MSIX 0x11
#define RT_PCI_MSIX_CTRL 0x02
#define RT_PCI_MSIX_ENABLE BIT(15)
#define RT_PCI_MSIX_MASKALL BIT(14)
#define RT_PCI_MSIX_QSIZE 0x07ff
#define RT_PCI_MSIX_TABLE 0x04
#define RT_PCI_MSIX_BIR 0x7
#define RT_PCI_NBARS 6
/* §7.7.2: one table entry; Intel SDM Vol. 3A §11.11: address/data. */
#define RT_MSIX_ENTRY_SIZE 16
#define RT_MSIX_VECTOR_CTRL_MASKED BIT(0)
#define RT_MSI_ADDR(apic_id) (0xfee00000u | (u32)(apic_id) << 12)
#define RT_PCI_NONE 0xffffffffu

/* Config access of bus 0, device dev, function fn; size 1, 2 or 4. */
u32 rt_pci_read(u8 dev, u8 fn, u16 reg, u8 size);
void rt_pci_write(u8 dev, u8 fn, u16 reg, u8 size, u32 val);
/* The same through the ECAM window; 0xffffffff without one. */
u32 rt_pci_ecam_read(u8 dev, u8 fn, u16 reg, u8 size);
void rt_pci_ecam_write(u8 dev, u8 fn, u16 reg, u8 size, u32 val);

/* The first device (function 0) with vendor:device; -1 if none. */
int rt_pci_find(u16 vendor, u16 device);
/* Address and size of memory BAR i (sized with decoding off). */
bool rt_pci_bar(u8 dev, u8 i, u64 *gpa, u64 *size);
/* Offset of capability id in the list, 0 if absent. */
u16 rt_pci_find_cap(u8 dev, u8 id);

struct rt_msix {
	u8 dev;
	u16 cap, nvec;
	volatile u32 *table;	/* in the guest's identity-mapped MMIO */
};
/* Finds the table (its BAR must decode); false without MSI-X. */
bool rt_msix_init(struct rt_msix *m, u8 dev);
/* Entry i -> vector on APIC apic_id (fixed, edge), unmasked. */
void rt_msix_set(struct rt_msix *m, u16 i, u32 addr, u32 data);
void rt_msix_mask(struct rt_msix *m, u16 i, bool masked);
void rt_msix_enable(struct rt_msix *m, bool on);

#endif
