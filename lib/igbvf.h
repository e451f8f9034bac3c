/* SPDX-License-Identifier: MIT */
/*
 * A minimal Intel 82576 VF driver core, written once for the hypervisor's
 * VF self-test and for guests: the VF side of the PF<->VF mailbox (reset
 * handshake, MAC), one TX and one RX descriptor ring (queue 0), send a
 * frame, poll for a received frame.
 *
 * Freestanding: no kernel/ dependency. Register access, delays and the
 * device-visible (DMA) address of memory come from struct igbvf_ops; the
 * caller hands in one zeroed, DMA-reachable block of IGBVF_MEM_SIZE bytes.
 *
 * The VF register layout, descriptor bits and mailbox message format
 * below are shared with the PF driver (drivers/igb_regs.h includes this
 * header), so each fact is written down once. Citations: Intel 82576EB
 * GbE Controller Datasheet rev. 2.x.
 */
#ifndef LIB_IGBVF_H
#define LIB_IGBVF_H

#include "lib/types.h"

/* §9.3.2 / Table 9-2: how a VF shows up in PCI config space. */
#define IGBVF_PCI_VENDOR 0x8086
#define IGBVF_PCI_DEVICE 0x10ca

/* §8.28 VF registers (offsets in the VF's own BAR0) */
#define IGBVF_CTRL 0x0000
#define IGBVF_CTRL_RST BIT(26)
#define IGBVF_STATUS 0x0008
#define IGBVF_STATUS_LU BIT(1)		/* §8.2.2: link up (the port's) */
/* §8.28 / §7.3.4: the VF's own interrupt registers (MSI-X, 3 vectors). */
#define IGBVF_EICS 0x1520		/* VTEICS: cause set */
#define IGBVF_EIMS 0x1524		/* VTEIMS: mask set (enable) */
#define IGBVF_EIMC 0x1528		/* VTEIMC: mask clear (disable) */
#define IGBVF_EIAC 0x152c		/* VTEIAC: auto-clear on MSI-X */
#define IGBVF_EIAM 0x1530		/* VTEIAM: auto-mask */
#define IGBVF_EICR 0x1580		/* VTEICR: cause, RW1C */
#define IGBVF_IVAR0 0x1700		/* VTIVAR: queue 0 RX 7:0, TX 15:8 */
#define IGBVF_IVAR_MISC 0x1740		/* VTIVAR_MISC: mailbox 7:0 */
#define IGBVF_IVAR_VALID BIT(7)
#define IGBVF_IVAR_TX_SHIFT 8
#define IGBVF_NVEC 3			/* MSI-X vectors of a VF */
/*
 * §8.8.12 / §8.28: VTEITR, one per MSI-X vector: the shortest time between
 * two interrupts of that vector (moderation), bits 14:2 in microseconds.
 */
#define IGBVF_EITR(n) (0x1680 + 4 * (n))
#define IGBVF_EITR_INTERVAL_SHIFT 2
#define IGBVF_EITR_INTERVAL_MAX 0xfff	/* us: the 12-bit field */
#define IGBVF_VTMAILBOX 0x0c40		/* V2PMAILBOX */
#define IGBVF_MBX_REQ BIT(0)		/* VF message ready */
#define IGBVF_MBX_ACK BIT(1)		/* VF acknowledges PF message */
#define IGBVF_MBX_VFU BIT(2)		/* VF owns the buffer */
#define IGBVF_MBX_PFU BIT(3)		/* PF owns the buffer (RO) */
#define IGBVF_MBX_PFSTS BIT(4)		/* PF wrote a message, RC */
#define IGBVF_MBX_PFACK BIT(5)		/* PF acknowledged, RC */
#define IGBVF_MBX_RSTI BIT(6)		/* PF in reset */
#define IGBVF_MBX_RSTD BIT(7)		/* PF reset done, RC */
#define IGBVF_VMBMEM 0x0800
/* Queue 0 of the VF (§8.28: same layout as the PF's queue 0). */
#define IGBVF_RDBAL 0x2800
#define IGBVF_RDBAH 0x2804
#define IGBVF_RDLEN 0x2808
#define IGBVF_SRRCTL 0x280c
#define IGBVF_SRRCTL_BSIZEPKT_1K(n) ((u32)(n) & 0x7f)	/* 1 KiB units */
#define IGBVF_SRRCTL_DESCTYPE_ADV1 (1u << 25)	/* advanced, one buffer */
#define IGBVF_SRRCTL_DROP_EN BIT(31)
#define IGBVF_RDH 0x2810
#define IGBVF_RDT 0x2818
#define IGBVF_RXDCTL 0x2828
#define IGBVF_XDCTL_ENABLE BIT(25)	/* RXDCTL/TXDCTL queue enable */
#define IGBVF_TDBAL 0x3800
#define IGBVF_TDBAH 0x3804
#define IGBVF_TDLEN 0x3808
#define IGBVF_TDH 0x3810
#define IGBVF_TDT 0x3818
#define IGBVF_TXDCTL 0x3828

/* §7.2.2.3 Advanced transmit data descriptor */
#define IGB_TXD_DTYP_DATA (3u << 20)
#define IGB_TXD_CMD_EOP BIT(24)
#define IGB_TXD_CMD_IFCS BIT(25)
#define IGB_TXD_CMD_RS BIT(27)
#define IGB_TXD_CMD_DEXT BIT(29)
#define IGB_TXD_PAYLEN_SHIFT 14
#define IGB_TXD_STAT_DD BIT(0)
/* §7.1.5 Advanced receive descriptor write-back */
#define IGB_RXD_STAT_DD BIT(0)
#define IGB_RXD_STAT_EOP BIT(1)

/* PF/VF mailbox messages (§7.10.2.9; the layout Linux igb/igbvf use). */
#define IGB_MSG_RESET 0x01
#define IGB_MSG_SET_MAC 0x02
#define IGB_MSG_SET_MULTICAST 0x03
#define IGB_MSG_SET_VLAN 0x04
#define IGB_MSG_SET_LPE 0x05
#define IGB_MSG_TYPE_MASK 0xffff
#define IGB_MSG_INFO_SHIFT 16
#define IGB_MSG_INFO_MASK (0xffu << 16)
#define IGB_MSG_ACK BIT(31)
#define IGB_MSG_NACK BIT(30)
#define IGB_MSG_CTS BIT(29)		/* PF is ready for messages */
/* SET_MAC info field (Linux igbvf's e1000_set_uc_addr_vf): 0 sets the VF's
 * own address; these manage extra unicast filters. */
#define IGB_MAC_FILTER_CLR 0x01
#define IGB_MAC_FILTER_ADD 0x02

#define IGB_MBX_WORDS 16		/* §8.14.4: mailbox memory, dwords */

/* ---- the VF driver core --------------------------------------------- */

struct igbvf_ops {
	u32 (*read32)(void *ctx, u32 reg);		/* VF BAR0 */
	void (*write32)(void *ctx, u32 reg, u32 v);
	void (*udelay)(void *ctx, u32 us);
	u64 (*dma_addr)(void *ctx, const void *p);	/* as the VF sees it */
	void *ctx;
};

/*
 * Descriptors per ring: a multiple of 8 (§8.10.7: RDLEN/TDLEN in 128-byte
 * units), at most 64 (the TX ring's KiB in mem, below). 32 lets a burst
 * the size of lwIP's TCP window (4 segments) and then some wait in the RX
 * ring while the guest sleeps or works; with 8, frames beyond were dropped
 * by the NIC.
 */
#define IGBVF_RING 32
#define IGBVF_BUF 2048			/* bytes per buffer */
/* Rings (1 page), the TX buffer (1 page), then one RX buffer each. */
#define IGBVF_MEM_SIZE (2 * 4096 + IGBVF_RING * IGBVF_BUF)
#define IGBVF_MEM_RX_BUF 8192		/* offset of the RX buffers in it */

/* Results. */
#define IGBVF_OK 0
#define IGBVF_ETIMEOUT (-1)	/* PF or hardware did not answer in time */
#define IGBVF_ENACK (-2)	/* PF refused the request */
#define IGBVF_EPROTO (-3)	/* reply malformed / for another request */
#define IGBVF_EINVAL (-4)

struct igbvf {
	struct igbvf_ops ops;
	u8 mac[6];
	u32 mbx_bits;		/* read-to-clear mailbox bits seen, not used */
	u32 last_reply;		/* word 0 of the PF's last reply */
	u8 *mem;
	u32 tx_next, rx_next;
	bool cts;
};

/* Binds the core to a VF; mem: IGBVF_MEM_SIZE zeroed bytes, 4 KiB aligned. */
void igbvf_init(struct igbvf *vf, const struct igbvf_ops *ops, void *mem);
/*
 * Resets the VF (CTRL.RST), waits for the PF to be out of reset, sends
 * RESET and takes the MAC from the ACK. Bounded: IGBVF_ETIMEOUT after
 * about a second without an answer.
 */
int igbvf_reset(struct igbvf *vf);
/* Asks the PF for mac; IGBVF_ENACK if refused. */
int igbvf_set_mac(struct igbvf *vf, const u8 mac[6]);
/* Sends an arbitrary request (msg[0] = type | info); reply in reply[]. */
int igbvf_request(struct igbvf *vf, const u32 *msg, u32 len, u32 *reply,
		  u32 reply_len);
/* Programs and enables TX and RX queue 0. */
int igbvf_rings_start(struct igbvf *vf);
/* Queues one frame (<= IGBVF_BUF) and waits until it is sent. */
int igbvf_send(struct igbvf *vf, const void *frame, u32 len);
/* Copies the next received frame into buf; its length, or 0 if none. */
u32 igbvf_poll_rx(struct igbvf *vf, void *buf, u32 max);
/*
 * The link as a VF driver sees it: the PF is not in reset (mailbox RSTI
 * clear), it has answered our reset (clear-to-send) and the port's link is
 * up. A PF reset takes the link down until igbvf_reset runs again.
 */
bool igbvf_link_up(struct igbvf *vf);
/*
 * Interrupts instead of polling (optional; other users keep polling):
 * queue 0 RX and TX and the mailbox raise MSI-X vectors rx, tx, mbx
 * (0..IGBVF_NVEC-1), auto-cleared. IGBVF_EINVAL for a bad vector.
 */
int igbvf_irq_enable(struct igbvf *vf, u8 rx, u8 tx, u8 mbx);
void igbvf_irq_disable(struct igbvf *vf);
/*
 * Moderation: vector vec raises at most one interrupt per us microseconds
 * (0: no limit; clamped to IGBVF_EITR_INTERVAL_MAX). IGBVF_EINVAL for a
 * bad vector.
 */
int igbvf_irq_moderate(struct igbvf *vf, u8 vec, u32 us);
/*
 * Masks or unmasks vectors (bit n: vector n) in VTEIMC/VTEIMS: a masked
 * vector's cause waits in VTEICR and fires when it is unmasked again.
 */
void igbvf_irq_mask(struct igbvf *vf, u32 vectors, bool masked);
/* Raises the causes of vectors mask (bit n: vector n) by software. */
void igbvf_irq_raise(struct igbvf *vf, u32 mask);
/* Whether a received frame waits in the ring (igbvf_poll_rx has one). */
bool igbvf_rx_ready(struct igbvf *vf);
/* Disables the queues (the PF still has to reset the VF). */
void igbvf_stop(struct igbvf *vf);

/* What one ARP exchange (igbvf_arp) saw. */
struct igbvf_arp_result {
	u8 mac[6];		/* the target's, on success */
	u32 sent, seen;		/* requests sent, frames received */
	u64 elapsed_ns;
	int tx_err;		/* igbvf_send's error if TX failed, else 0 */
};

/*
 * Asks who has target_ip (from my_ip), resending every retry_ns, until the
 * reply comes or timeout_ns passes; now_ns is the caller's clock. Returns
 * 0 with r->mac set, IGBVF_ETIMEOUT, or the transmit error.
 */
int igbvf_arp(struct igbvf *vf, const u8 my_ip[4], const u8 target_ip[4],
	      u64 (*now_ns)(void), u64 timeout_ns, u64 retry_ns,
	      struct igbvf_arp_result *r);

#endif
