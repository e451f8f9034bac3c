/* SPDX-License-Identifier: MIT */
/*
 * Intel 82576 GbE controller (igb) registers used by the PF driver, the
 * PF<->VF mailbox and the VF driver core (lib/igbvf.c). Names and offsets
 * follow the Intel 82576EB GbE Controller Datasheet (rev. 2.x): chapter 8
 * "Programming Interface" describes each register under its name (the
 * section numbers below), chapter 7.10 virtualization, §7.10.2.9 the
 * PF/VF mailbox. VF registers live in the VF's BAR0 at the offsets of
 * §8.28 ("Virtual Function Device Registers").
 */
#ifndef DRIVERS_IGB_REGS_H
#define DRIVERS_IGB_REGS_H

#include "lib/igbvf.h"
#include "lib/types.h"

/* §8.2.1 Device Control */
#define IGB_CTRL 0x0000
#define IGB_CTRL_FD BIT(0)
#define IGB_CTRL_SLU BIT(6)		/* Set Link Up */
#define IGB_CTRL_RST BIT(26)		/* Device Reset, self-clearing */
#define IGB_CTRL_PHY_RST BIT(31)
/* §8.2.2 Device Status */
#define IGB_STATUS 0x0008
#define IGB_STATUS_LU BIT(1)		/* Link Up */
#define IGB_STATUS_VFS_MASK GENMASK(17, 14)	/* 82576: Num VFs in the IOV */
/* §8.2.3 Extended Device Control */
#define IGB_CTRL_EXT 0x0018
#define IGB_CTRL_EXT_PFRSTD BIT(14)	/* PF Reset Done: VFs may run */

/* §8.2.4 MDI Control: PHY register access */
#define IGB_MDIC 0x0020
#define IGB_MDIC_DATA(d) ((u32)(d) & 0xffff)
#define IGB_MDIC_REG(r) (((u32)(r) & 0x1f) << 16)
#define IGB_MDIC_PHY(p) (((u32)(p) & 0x1f) << 21)
#define IGB_MDIC_OP_WRITE (1u << 26)
#define IGB_MDIC_OP_READ (2u << 26)
#define IGB_MDIC_READY BIT(28)
#define IGB_MDIC_ERROR BIT(30)
#define IGB_PHY_ADDR 1			/* the internal PHY */
/* IEEE 802.3 clause 22 PHY control register (BMCR, PHY register 0) */
#define MII_BMCR 0
#define MII_BMCR_SPEED1000 BIT(6)
#define MII_BMCR_FD BIT(8)
#define MII_BMCR_ANRESTART BIT(9)
#define MII_BMCR_AUTOEN BIT(12)

/* §8.8 Interrupt registers */
#define IGB_ICR 0x00c0
#define IGB_ICR_VMMB BIT(8)		/* VM mailbox / VFLR event */
#define IGB_IMS 0x00d0
#define IGB_IMC 0x00d8
#define IGB_EICR 0x1580
#define IGB_EIMS 0x1524
#define IGB_EIMC 0x1528
#define IGB_EIAC 0x152c
#define IGB_ICS 0x00c8			/* §8.8.2 Interrupt Cause Set */
#define IGB_GPIE 0x1514			/* §8.8.13 General Purpose Int. Enable */
#define IGB_GPIE_NSICR BIT(0)		/* clear ICR on read */
#define IGB_GPIE_MSIX_MODE BIT(4)	/* multiple MSI-X vectors */
#define IGB_IVAR_MISC 0x1740		/* §8.8.15: vectors of other causes */
#define IGB_IVAR_VALID 0x80
#define IGB_IVAR_MISC_OTHER(vec) (((u32)(vec) | IGB_IVAR_VALID) << 8)

/* §8.10.1 Receive Control */
#define IGB_RCTL 0x0100
#define IGB_RCTL_EN BIT(1)
#define IGB_RCTL_BAM BIT(15)		/* Broadcast Accept Mode */
#define IGB_RCTL_SECRC BIT(26)		/* Strip Ethernet CRC */
/* §8.12.1 Transmit Control */
#define IGB_TCTL 0x0400
#define IGB_TCTL_EN BIT(1)
#define IGB_TCTL_PSP BIT(3)		/* Pad Short Packets */

/* §8.10.13/14 Receive Address Low/High: 16 entries, then 8 more. */
#define IGB_RAL(n) ((n) < 16 ? 0x5400 + 8 * (n) : 0x54e0 + 8 * ((n)-16))
#define IGB_RAH(n) (IGB_RAL(n) + 4)
#define IGB_RAH_AV BIT(31)		/* Address Valid */
#define IGB_RAH_POOL(p) BIT(18 + (p))	/* POOLSEL: pool p receives */
#define IGB_RAH_POOL_MASK GENMASK(25, 18)
#define IGB_RAR_ENTRIES 24

/* §8.10.15 Multiple Receive Queues Command */
#define IGB_MRQC 0x5818
#define IGB_MRQC_VMDQ 0x3		/* MRQE = 011b: VMDq, no RSS */
/* §8.10.16 VMDq Control */
#define IGB_VT_CTL 0x581c
#define IGB_VT_CTL_DEF_PL(p) ((u32)(p) << 7)	/* default pool */
#define IGB_VT_CTL_DIS_DEF_POOL BIT(29)
#define IGB_VT_CTL_RPL_EN BIT(30)	/* replicate bcast/mcast to pools */
/* §8.10.20 VM Offload Control, one per pool */
#define IGB_VMOLR(p) (0x5ad0 + 4 * (p))
#define IGB_VMOLR_RLPML_MASK 0x3fff
#define IGB_VMOLR_RLPML(n) ((u32)(n) & IGB_VMOLR_RLPML_MASK)	/* max frame */
#define IGB_VMOLR_LPE BIT(16)		/* long packets */
#define IGB_VMOLR_AUPE BIT(24)		/* accept untagged */
#define IGB_VMOLR_ROMPE BIT(25)		/* accept MTA hash matches */
#define IGB_VMOLR_BAM BIT(27)		/* accept broadcast */
#define IGB_VMOLR_MPME BIT(28)		/* multicast promiscuous */
#define IGB_VMOLR_STRCRC BIT(31)
#define IGB_MTA(n) (0x5200 + 4 * (n))	/* §8.10.12 multicast table */
#define IGB_MTA_HASH_MASK 0xfff		/* 4096 bits: 128 registers x 32 */
#define IGB_VLVF(n) (0x5d00 + 4 * (n))	/* §8.10.22 VLAN pool filter */
#define IGB_VLVF_VIEN BIT(31)
#define IGB_VLVF_VLANID_MASK 0xfff
#define IGB_VLVF_POOL(p) BIT(12 + (p))
#define IGB_VLVF_POOL_MASK GENMASK(19, 12)
#define IGB_VLVF_ENTRIES 32

/* §8.14 Virtualization registers */
#define IGB_P2VMAILBOX(v) (0x0c00 + 4 * (v))	/* §8.14.3 PF side */
#define IGB_P2VMAILBOX_STS BIT(0)	/* PF message ready */
#define IGB_P2VMAILBOX_ACK BIT(1)	/* PF acknowledges VF message */
#define IGB_P2VMAILBOX_VFU BIT(2)	/* VF owns the buffer (RO) */
#define IGB_P2VMAILBOX_PFU BIT(3)	/* PF owns the buffer */
#define IGB_P2VMAILBOX_RVFU BIT(4)	/* reset VFU */
#define IGB_VMBMEM(v) (0x0800 + 64 * (v))	/* §8.14.4: 16 dwords */
#define IGB_MBVFICR 0x0c80		/* §8.14.5, write 1 to clear */
#define IGB_MBVFICR_VFREQ_SHIFT 0	/* VF n posted a request */
#define IGB_MBVFICR_VFACK_SHIFT 16	/* VF n acknowledged our reply */
#define IGB_MBVFICR_VFREQ(v) BIT(IGB_MBVFICR_VFREQ_SHIFT + (v))
#define IGB_MBVFICR_VFACK(v) BIT(IGB_MBVFICR_VFACK_SHIFT + (v))
#define IGB_MBVFIMR 0x0c84
#define IGB_VFLRE 0x0c88		/* §8.14.7 VF reset events, W1C */
#define IGB_VFRE 0x0c8c			/* §8.14.8 VF receive enable */
#define IGB_VFTE 0x0c90			/* §8.14.9 VF transmit enable */
#define IGB_DTXSWC 0x3500		/* §8.14.13 VMDq TX switch control */
/* Loopback_en: a frame a pool sends to another pool's MAC is switched
 * inside the NIC (§7.10.3.5 "VMDq loopback"), VF to VF, not sent out. */
#define IGB_DTXSWC_VMDQ_LOOPBACK_EN BIT(31)

/* VF registers, descriptors and mailbox messages: lib/igbvf.h. */

#endif
