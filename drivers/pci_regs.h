/* SPDX-License-Identifier: MIT */
/*
 * PCI / PCI Express configuration space layout: the registers and bits the
 * enumeration, SR-IOV and device drivers use. Names follow the PCI Express
 * Base Specification 6.0 (chapter 7 for the headers and capabilities,
 * §9.3.3 for SR-IOV) and the PCI Local Bus Specification 3.0.
 */
#ifndef DRIVERS_PCI_REGS_H
#define DRIVERS_PCI_REGS_H

#include "kernel/pci_cfg.h"	/* header type and bridge bus numbers */
#include "lib/types.h"

/* §7.5.1.1: common header (type 0 and type 1). */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_COMMAND_IO BIT(0)
#define PCI_COMMAND_MEMORY BIT(1)
#define PCI_COMMAND_MASTER BIT(2)
#define PCI_COMMAND_INTX_DISABLE BIT(10)
#define PCI_STATUS 0x06
#define PCI_STATUS_CAP_LIST BIT(4)
#define PCI_CLASS_REVISION 0x08	/* class << 8 | revision */
#define PCI_HEADER_MULTIFUNC BIT(7)	/* of PCI_HEADER_TYPE */
#define PCI_CAPABILITY_LIST 0x34

/* §7.5.1.2.1 (type 0) and §7.5.1.3 (type 1): Base Address Registers. */
#define PCI_BAR0 0x10
#define PCI_BAR_SPACE_IO BIT(0)	/* I/O space BAR (enum pci_bar_type is PCI_BAR_IO) */
#define PCI_BAR_MEM_TYPE_MASK (3u << 1)
#define PCI_BAR_MEM_TYPE_64 (2u << 1)
#define PCI_BAR_PREFETCH BIT(3)
#define PCI_BAR_MEM_MASK 0xfffffff0u
#define PCI_BAR_IO_MASK 0xfffffffcu

/* §7.5.1.3: type 1 (bridge) header (bus numbers: kernel/pci_cfg.h). */
#define PCI_MEMORY_BASE 0x20	/* u16: addr[31:20] in bits 15:4 */
#define PCI_MEMORY_LIMIT 0x22
#define PCI_PREF_MEMORY_BASE 0x24
#define PCI_PREF_MEMORY_LIMIT 0x26
#define PCI_PREF_BASE_UPPER32 0x28
#define PCI_PREF_LIMIT_UPPER32 0x2c
#define PCI_PREF_RANGE_64 0x1	/* low nibble of base/limit: 64-bit */

/* §7.5.3 and PCI Code and ID Assignment Spec: capability IDs. */
#define PCI_CAP_ID_PM 0x01
#define PCI_CAP_ID_MSI 0x05
#define PCI_CAP_ID_VNDR 0x09
#define PCI_CAP_ID_SSVID 0x0d
#define PCI_CAP_ID_EXP 0x10
#define PCI_CAP_ID_MSIX 0x11
#define PCI_CAP_ID_SATA 0x12

/* Extended capability IDs (§7.6), header at 0x100: id 15:0, ver 19:16,
 * next 31:20, of which bits 1:0 are reserved (§7.6.3: dword aligned). */
#define PCI_EXT_CAP_START 0x100
#define PCI_EXT_CAP_NEXT(hdr) ((u16)(((hdr) >> 20) & 0xffc))
#define PCI_EXT_CAP_ID_AER 0x0001
#define PCI_EXT_CAP_ID_ACS 0x000d
#define PCI_EXT_CAP_ID_ARI 0x000e
#define PCI_EXT_CAP_ID_ATS 0x000f
#define PCI_EXT_CAP_ID_SRIOV 0x0010

/* §7.5.3: PCI Express capability, offsets from the capability. */
#define PCI_EXP_FLAGS 0x02
#define PCI_EXP_FLAGS_TYPE(f) (((f) >> 4) & 0xf)
#define PCI_EXP_TYPE_ENDPOINT 0x0
#define PCI_EXP_TYPE_ROOT_PORT 0x4
#define PCI_EXP_TYPE_UPSTREAM 0x5
#define PCI_EXP_TYPE_DOWNSTREAM 0x6
#define PCI_EXP_TYPE_RC_END 0x9
#define PCI_EXP_DEVCAP 0x04
#define PCI_EXP_DEVCAP_FLR BIT(28)	/* §7.5.3.3 */
#define PCI_EXP_DEVCTL 0x08
#define PCI_EXP_DEVCTL_BCR_FLR BIT(15)	/* §7.5.3.4 Initiate FLR */
#define PCI_EXP_DEVSTA 0x0a
#define PCI_EXP_DEVSTA_TRPND BIT(5)	/* Transactions Pending */
#define PCI_EXP_DEVCAP2 0x24
#define PCI_EXP_DEVCAP2_ARI BIT(5)	/* §7.5.3.15 ARI Forwarding */
#define PCI_EXP_DEVCTL2 0x28
#define PCI_EXP_DEVCTL2_ARI BIT(5)	/* §7.5.3.16 ARI Forwarding Enable */

/* §7.7.1 / §7.7.2: MSI and MSI-X capability. */
#define PCI_MSIX_FLAGS 0x02
#define PCI_MSIX_FLAGS_QSIZE 0x07ff
#define PCI_MSIX_FLAGS_ENABLE BIT(15)
#define PCI_MSIX_FLAGS_MASKALL BIT(14)
#define PCI_MSIX_TABLE 0x04
#define PCI_MSIX_BIR 0x7

/* §7.7.8: ACS capability. */
#define PCI_ACS_CAP 0x04
#define PCI_ACS_CTRL 0x06
#define PCI_ACS_SV BIT(0)	/* Source Validation */
#define PCI_ACS_RR BIT(2)	/* P2P Request Redirect */
#define PCI_ACS_CR BIT(3)	/* P2P Completion Redirect */
#define PCI_ACS_UF BIT(4)	/* Upstream Forwarding */
#define PCI_ACS_ISOLATE (PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)

/* §7.8.7: ARI capability. */
#define PCI_ARI_CAP 0x04
#define PCI_ARI_CAP_NFN(c) (((c) >> 8) & 0xff)

/* §9.3.3: SR-IOV extended capability, offsets from the capability. */
#define PCI_SRIOV_CAP 0x04
#define PCI_SRIOV_CAP_ARI_PRESERVED BIT(1)
#define PCI_SRIOV_CTRL 0x08
#define PCI_SRIOV_CTRL_VFE BIT(0)	/* VF Enable */
#define PCI_SRIOV_CTRL_VFM BIT(1)	/* VF Migration Enable */
#define PCI_SRIOV_CTRL_MSE BIT(3)	/* VF Memory Space Enable */
#define PCI_SRIOV_CTRL_ARI BIT(4)	/* ARI Capable Hierarchy */
#define PCI_SRIOV_STATUS 0x0a
#define PCI_SRIOV_INITIAL_VF 0x0c
#define PCI_SRIOV_TOTAL_VF 0x0e
#define PCI_SRIOV_NUM_VF 0x10
#define PCI_SRIOV_FUNC_LINK 0x12
#define PCI_SRIOV_VF_OFFSET 0x14
#define PCI_SRIOV_VF_STRIDE 0x16
#define PCI_SRIOV_VF_DID 0x1a
#define PCI_SRIOV_SUP_PGSIZE 0x1c
#define PCI_SRIOV_SYS_PGSIZE 0x20
#define PCI_SRIOV_BAR 0x24		/* six VF BARs, same format as BARs */

#endif
