// SPDX-License-Identifier: MIT
/*
 * 82576 VF driver core: mailbox (VF side), one TX and one RX ring.
 * See lib/igbvf.h. Every wait is bounded by a number of ops->udelay steps.
 *
 * Mailbox (datasheet §7.10.2.9): the VF takes the shared buffer with
 * VFU, writes up to 16 dwords, sets REQ (which also drops VFU) and waits
 * for PFACK; a reply is signalled by PFSTS, read under VFU, and
 * acknowledged with ACK. PFSTS, PFACK and RSTD clear when VTMAILBOX is
 * read, so bits seen once are remembered in vf->mbx_bits until consumed.
 */
#include "lib/arp.h"
#include "lib/igbvf.h"
#include "lib/string.h"

#define POLL_US 50
#define MBX_TIMEOUT_US 1000000
#define TX_TIMEOUT_US 200000
#define RESET_TIMEOUT_US 1000000
#define MBX_R2C (IGBVF_MBX_PFSTS | IGBVF_MBX_PFACK | IGBVF_MBX_RSTD)

/* Layout of vf->mem. */
#define MEM_TX_RING 0
#define MEM_RX_RING 1024
#define MEM_TX_BUF 4096
#define MEM_RX_BUF IGBVF_MEM_RX_BUF	/* IGBVF_RING x IGBVF_BUF */

#define DESC_SIZE 16

_Static_assert(IGBVF_RING % 8 == 0, "RDLEN/TDLEN are in 128-byte units");
_Static_assert(IGBVF_RING * DESC_SIZE <= MEM_RX_RING - MEM_TX_RING,
	       "the TX ring overlaps the RX ring");
_Static_assert(MEM_RX_RING + IGBVF_RING * DESC_SIZE <= MEM_TX_BUF,
	       "the RX ring overlaps the TX buffer");
_Static_assert(MEM_RX_BUF + IGBVF_RING * IGBVF_BUF <= IGBVF_MEM_SIZE,
	       "RX buffers beyond IGBVF_MEM_SIZE");

static inline void dma_barrier(void)
{
	__asm__ volatile("" ::: "memory");
}

static u32 rd(struct igbvf *vf, u32 reg)
{
	return vf->ops.read32(vf->ops.ctx, reg);
}

static void wr(struct igbvf *vf, u32 reg, u32 v)
{
	vf->ops.write32(vf->ops.ctx, reg, v);
}

static void delay(struct igbvf *vf, u32 us)
{
	vf->ops.udelay(vf->ops.ctx, us);
}

static u32 mbx_read(struct igbvf *vf)
{
	u32 v = rd(vf, IGBVF_VTMAILBOX);

	vf->mbx_bits |= v & (u32)MBX_R2C;
	return v | vf->mbx_bits;
}

/* Waits for one of the read-to-clear bits in mask and consumes it. */
static bool mbx_wait_bit(struct igbvf *vf, u32 mask)
{
	u32 t;

	for (t = 0; t < MBX_TIMEOUT_US; t += POLL_US) {
		if (mbx_read(vf) & mask) {
			vf->mbx_bits &= ~mask;
			return true;
		}
		delay(vf, POLL_US);
	}
	return false;
}

static bool mbx_lock(struct igbvf *vf)
{
	u32 t;

	for (t = 0; t < MBX_TIMEOUT_US; t += POLL_US) {
		wr(vf, IGBVF_VTMAILBOX, (u32)IGBVF_MBX_VFU);
		if (mbx_read(vf) & IGBVF_MBX_VFU)
			return true;
		delay(vf, POLL_US);
	}
	return false;
}

static int mbx_send(struct igbvf *vf, const u32 *msg, u32 len)
{
	u32 i;

	if (!len || len > IGB_MBX_WORDS)
		return IGBVF_EINVAL;
	if (!mbx_lock(vf))
		return IGBVF_ETIMEOUT;
	/* Stale acknowledgements belong to an earlier exchange. */
	vf->mbx_bits &= ~(u32)(IGBVF_MBX_PFACK | IGBVF_MBX_PFSTS);
	for (i = 0; i < len; i++)
		wr(vf, IGBVF_VMBMEM + 4 * i, msg[i]);
	wr(vf, IGBVF_VTMAILBOX, (u32)IGBVF_MBX_REQ); /* drops VFU */
	return mbx_wait_bit(vf, (u32)IGBVF_MBX_PFACK) ? IGBVF_OK
						       : IGBVF_ETIMEOUT;
}

static int mbx_receive(struct igbvf *vf, u32 *msg, u32 len)
{
	u32 i;

	if (!mbx_wait_bit(vf, (u32)IGBVF_MBX_PFSTS))
		return IGBVF_ETIMEOUT;
	if (!mbx_lock(vf))
		return IGBVF_ETIMEOUT;
	for (i = 0; i < len && i < IGB_MBX_WORDS; i++)
		msg[i] = rd(vf, IGBVF_VMBMEM + 4 * i);
	wr(vf, IGBVF_VTMAILBOX, (u32)IGBVF_MBX_ACK); /* drops VFU */
	return IGBVF_OK;
}

int igbvf_request(struct igbvf *vf, const u32 *msg, u32 len, u32 *reply,
		  u32 reply_len)
{
	int err = mbx_send(vf, msg, len);

	if (err)
		return err;
	err = mbx_receive(vf, reply, reply_len);
	if (err)
		return err;
	vf->last_reply = reply[0];
	if ((reply[0] & IGB_MSG_TYPE_MASK) != (msg[0] & IGB_MSG_TYPE_MASK))
		return IGBVF_EPROTO;
	if (reply[0] & IGB_MSG_CTS)
		vf->cts = true;
	if (reply[0] & IGB_MSG_NACK)
		return IGBVF_ENACK;
	if (!(reply[0] & IGB_MSG_ACK))
		return IGBVF_EPROTO;
	return IGBVF_OK;
}

void igbvf_init(struct igbvf *vf, const struct igbvf_ops *ops, void *mem)
{
	memset(vf, 0, sizeof(*vf));
	vf->ops = *ops;
	vf->mem = mem;
}

int igbvf_reset(struct igbvf *vf)
{
	u32 msg[1] = { IGB_MSG_RESET }, reply[3] = { 0 }, t;
	int err;

	vf->cts = false;
	vf->mbx_bits = 0;
	wr(vf, IGBVF_CTRL, (u32)IGBVF_CTRL_RST);
	/* The PF must be out of its own reset (RSTI clear) before we talk. */
	for (t = 0; t < RESET_TIMEOUT_US; t += POLL_US) {
		delay(vf, POLL_US);
		if (!(mbx_read(vf) & IGBVF_MBX_RSTI))
			break;
	}
	if (t >= RESET_TIMEOUT_US)
		return IGBVF_ETIMEOUT;
	vf->mbx_bits &= ~(u32)IGBVF_MBX_RSTD;
	err = igbvf_request(vf, msg, 1, reply, 3);
	if (err)
		return err;
	vf->cts = true;	/* the reset ACK itself carries no CTS bit */
	for (t = 0; t < 6; t++)
		vf->mac[t] = (u8)(reply[1 + t / 4] >> (8 * (t % 4)));
	return IGBVF_OK;
}

int igbvf_set_mac(struct igbvf *vf, const u8 mac[6])
{
	u32 msg[3], reply[1];
	int err;

	msg[0] = IGB_MSG_SET_MAC;
	msg[1] = (u32)mac[0] | (u32)mac[1] << 8 | (u32)mac[2] << 16 |
		 (u32)mac[3] << 24;
	msg[2] = (u32)mac[4] | (u32)mac[5] << 8;
	err = igbvf_request(vf, msg, 3, reply, 1);
	if (!err)
		memcpy(vf->mac, mac, 6);
	return err;
}

static u8 *desc(struct igbvf *vf, u32 ring, u32 i)
{
	return vf->mem + ring + i * DESC_SIZE;
}

static void put64(u8 *p, u64 v)
{
	*(volatile u64 *)p = v;
}

static void put32(u8 *p, u32 v)
{
	*(volatile u32 *)p = v;
}

static u32 get32(const u8 *p)
{
	return *(const volatile u32 *)p;
}

static void rx_arm(struct igbvf *vf, u32 i)
{
	u8 *d = desc(vf, MEM_RX_RING, i);

	put64(d, vf->ops.dma_addr(vf->ops.ctx, vf->mem + MEM_RX_BUF + i * IGBVF_BUF));
	put64(d + 8, 0); /* header address; clears the status on write-back */
}

int igbvf_rings_start(struct igbvf *vf)
{
	u64 tx = vf->ops.dma_addr(vf->ops.ctx, vf->mem + MEM_TX_RING);
	u64 rx = vf->ops.dma_addr(vf->ops.ctx, vf->mem + MEM_RX_RING);
	u32 i;

	vf->tx_next = vf->rx_next = 0;
	memset(vf->mem + MEM_TX_RING, 0, IGBVF_RING * DESC_SIZE);
	wr(vf, IGBVF_TXDCTL, 0);
	wr(vf, IGBVF_TDBAL, (u32)tx);
	wr(vf, IGBVF_TDBAH, (u32)(tx >> 32));
	wr(vf, IGBVF_TDLEN, IGBVF_RING * DESC_SIZE);
	wr(vf, IGBVF_TDH, 0);
	wr(vf, IGBVF_TDT, 0);
	wr(vf, IGBVF_TXDCTL, (u32)IGBVF_XDCTL_ENABLE);

	for (i = 0; i < IGBVF_RING; i++)
		rx_arm(vf, i);
	dma_barrier();
	wr(vf, IGBVF_RXDCTL, 0);
	wr(vf, IGBVF_RDBAL, (u32)rx);
	wr(vf, IGBVF_RDBAH, (u32)(rx >> 32));
	wr(vf, IGBVF_RDLEN, IGBVF_RING * DESC_SIZE);
	wr(vf, IGBVF_SRRCTL, IGBVF_SRRCTL_BSIZEPKT_1K(IGBVF_BUF / 1024) |
				     IGBVF_SRRCTL_DESCTYPE_ADV1 |
				     (u32)IGBVF_SRRCTL_DROP_EN);
	wr(vf, IGBVF_RDH, 0);
	wr(vf, IGBVF_RXDCTL, (u32)IGBVF_XDCTL_ENABLE);
	/* All but one descriptor belong to the hardware (RDT = last + 1). */
	wr(vf, IGBVF_RDT, IGBVF_RING - 1);
	if (!(rd(vf, IGBVF_TXDCTL) & IGBVF_XDCTL_ENABLE) ||
	    !(rd(vf, IGBVF_RXDCTL) & IGBVF_XDCTL_ENABLE))
		return IGBVF_ETIMEOUT;
	return IGBVF_OK;
}

int igbvf_send(struct igbvf *vf, const void *frame, u32 len)
{
	u8 *d = desc(vf, MEM_TX_RING, vf->tx_next);
	u8 *buf = vf->mem + MEM_TX_BUF;
	u32 t, plen = len < 60 ? 60 : len;

	if (!len || len > IGBVF_BUF)
		return IGBVF_EINVAL;
	memcpy(buf, frame, len);
	if (plen > len)
		memset(buf + len, 0, plen - len); /* pad to the 60-byte minimum */
	put64(d, vf->ops.dma_addr(vf->ops.ctx, buf));
	put32(d + 8, plen | IGB_TXD_DTYP_DATA | (u32)(IGB_TXD_CMD_EOP |
			    IGB_TXD_CMD_IFCS | IGB_TXD_CMD_RS | IGB_TXD_CMD_DEXT));
	put32(d + 12, plen << IGB_TXD_PAYLEN_SHIFT);
	dma_barrier();
	vf->tx_next = (vf->tx_next + 1) % IGBVF_RING;
	wr(vf, IGBVF_TDT, vf->tx_next);
	/* Write-back sets DD in the status dword (offset 12). */
	for (t = 0; t < TX_TIMEOUT_US; t += POLL_US) {
		dma_barrier();
		if (get32(d + 12) & IGB_TXD_STAT_DD)
			return IGBVF_OK;
		delay(vf, POLL_US);
	}
	return IGBVF_ETIMEOUT;
}

bool igbvf_rx_ready(struct igbvf *vf)
{
	dma_barrier();
	return get32(desc(vf, MEM_RX_RING, vf->rx_next) + 8) & IGB_RXD_STAT_DD;
}

u32 igbvf_poll_rx(struct igbvf *vf, void *out, u32 max)
{
	u32 i = vf->rx_next;
	u8 *d = desc(vf, MEM_RX_RING, i);
	u32 status, len;

	dma_barrier();
	status = get32(d + 8);
	if (!(status & IGB_RXD_STAT_DD))
		return 0;
	len = get32(d + 12) & 0xffff;
	if (len > IGBVF_BUF)
		len = IGBVF_BUF;
	if (len > max)
		len = max;
	memcpy(out, vf->mem + MEM_RX_BUF + i * IGBVF_BUF, len);
	rx_arm(vf, i);
	dma_barrier();
	vf->rx_next = (i + 1) % IGBVF_RING;
	wr(vf, IGBVF_RDT, i);
	return len ? len : 1;
}

bool igbvf_link_up(struct igbvf *vf)
{
	if (mbx_read(vf) & IGBVF_MBX_RSTI)
		vf->cts = false;
	return vf->cts && (rd(vf, IGBVF_STATUS) & IGBVF_STATUS_LU);
}

void igbvf_stop(struct igbvf *vf)
{
	wr(vf, IGBVF_RXDCTL, 0);
	wr(vf, IGBVF_TXDCTL, 0);
}

/* Between receive polls, so a poll loop does not hammer the registers. */
#define ARP_POLL_US 100

int igbvf_irq_enable(struct igbvf *vf, u8 rx, u8 tx, u8 mbx)
{
	u32 all = BIT(IGBVF_NVEC) - 1;

	if (rx >= IGBVF_NVEC || tx >= IGBVF_NVEC || mbx >= IGBVF_NVEC)
		return IGBVF_EINVAL;
	wr(vf, IGBVF_IVAR0, (u32)(rx | IGBVF_IVAR_VALID) |
	   (u32)(tx | IGBVF_IVAR_VALID) << IGBVF_IVAR_TX_SHIFT);
	wr(vf, IGBVF_IVAR_MISC, mbx | IGBVF_IVAR_VALID);
	wr(vf, IGBVF_EIAC, all);
	wr(vf, IGBVF_EIMS, all);
	return IGBVF_OK;
}

int igbvf_irq_moderate(struct igbvf *vf, u8 vec, u32 us)
{
	if (vec >= IGBVF_NVEC)
		return IGBVF_EINVAL;
	wr(vf, IGBVF_EITR(vec), MIN(us, (u32)IGBVF_EITR_INTERVAL_MAX)
				     << IGBVF_EITR_INTERVAL_SHIFT);
	return IGBVF_OK;
}

void igbvf_irq_mask(struct igbvf *vf, u32 vectors, bool masked)
{
	wr(vf, masked ? IGBVF_EIMC : IGBVF_EIMS, vectors & (BIT(IGBVF_NVEC) - 1));
}

void igbvf_irq_raise(struct igbvf *vf, u32 mask)
{
	wr(vf, IGBVF_EICS, mask & (BIT(IGBVF_NVEC) - 1));
}

void igbvf_irq_disable(struct igbvf *vf)
{
	wr(vf, IGBVF_EIMC, BIT(IGBVF_NVEC) - 1);
	wr(vf, IGBVF_EIAC, 0);
}

int igbvf_arp(struct igbvf *vf, const u8 my_ip[4], const u8 target_ip[4],
	      u64 (*now_ns)(void), u64 timeout_ns, u64 retry_ns,
	      struct igbvf_arp_result *r)
{
	static u8 frame[IGBVF_BUF];
	u64 t0 = now_ns(), last = 0;
	u32 len;

	memset(r, 0, sizeof(*r));
	while (now_ns() - t0 < timeout_ns) {
		if (!r->sent || now_ns() - last >= retry_ns) {
			len = arp_build_request(frame, vf->mac, my_ip, target_ip);
			r->tx_err = igbvf_send(vf, frame, len);
			if (r->tx_err)
				return r->tx_err;
			last = now_ns();
			r->sent++;
		}
		len = igbvf_poll_rx(vf, frame, sizeof(frame));
		if (!len) {
			vf->ops.udelay(vf->ops.ctx, ARP_POLL_US);
			continue;
		}
		r->seen++;
		if (arp_is_reply(frame, len, vf->mac, my_ip, target_ip, r->mac)) {
			r->elapsed_ns = now_ns() - t0;
			return 0;
		}
	}
	r->elapsed_ns = now_ns() - t0;
	return IGBVF_ETIMEOUT;
}
