// SPDX-License-Identifier: MIT
/*
 * PF side of the PF<->VF mailbox messages (82576 datasheet §7.10.2.9;
 * message layout as Linux's igb/igbvf use it): pure, see igb_mbx.h.
 *
 *   word 0: type (15:0) | info (23:16) | CTS (29) | NACK (30) | ACK (31)
 *   RESET          -> ACK, words 1-2: the VF's MAC
 *   SET_MAC        word 1-2 MAC: ACK only for the assigned MAC; info
 *                  FILTER_CLR: ACK (there are no extra filters), FILTER_ADD:
 *                  NACK (none are offered)
 *
 * A reply echoes the request's type and info fields, as Linux's igb PF
 * does: igbvf compares a reply with its request | NACK.
 *   SET_MULTICAST  info = count (<= 30), words 1..: 16-bit hashes
 *   SET_VLAN       info = add (1) / remove (0), word 1: VLAN ID
 *   SET_LPE        word 1: max frame size
 */
#define LOG_SUBSYS "igb"
#include "drivers/igb_mbx.h"
#include "kernel/log.h"
#include "lib/string.h"

const char *igb_msg_name(u32 type)
{
	switch (type & IGB_MSG_TYPE_MASK) {
	case IGB_MSG_RESET: return "RESET";
	case IGB_MSG_SET_MAC: return "SET_MAC";
	case IGB_MSG_SET_MULTICAST: return "SET_MULTICAST";
	case IGB_MSG_SET_VLAN: return "SET_VLAN";
	case IGB_MSG_SET_LPE: return "SET_LPE";
	default: return "unknown";
	}
}

void igb_vf_mac(const u8 pf_mac[6], u16 vf, u8 out[6])
{
	memcpy(out, pf_mac, 6);
	out[0] = (u8)((out[0] | 0x02) & ~0x01); /* local, unicast */
	/*
	 * Bit 7 of byte 3 flipped moves the VFs away from the PF's
	 * neighbours (QEMU numbers its NICs' MACs consecutively), then
	 * the VF number makes each distinct.
	 */
	out[3] = (u8)(out[3] ^ 0x80);
	out[5] = (u8)(out[5] ^ (u8)(vf + 1));
}

static void mac_from_words(const u32 *w, u8 mac[6])
{
	u32 i;

	for (i = 0; i < 6; i++)
		mac[i] = (u8)(w[i / 4] >> (8 * (i % 4)));
}

static void mac_to_words(const u8 mac[6], u32 *w)
{
	w[0] = (u32)mac[0] | (u32)mac[1] << 8 | (u32)mac[2] << 16 |
	       (u32)mac[3] << 24;
	w[1] = (u32)mac[4] | (u32)mac[5] << 8;
}

/* What a reply keeps of its request's first word. */
static u32 echo(u32 msg0)
{
	return msg0 & (IGB_MSG_TYPE_MASK | IGB_MSG_INFO_MASK);
}

/* The NACK reply itself, without a log line. */
static void refuse(struct igb_vf_state *vf, struct igb_mbx_result *r, u32 type)
{
	r->reply[0] = echo(type) | IGB_MSG_NACK | (vf->cts ? IGB_MSG_CTS : 0);
	r->reply_len = 1;
	r->actions = 0;
	r->nack = true;
	vf->nacks++;
}

static void nack(struct igb_vf_state *vf, struct igb_mbx_result *r, u32 type,
		 const char *why)
{
	refuse(vf, r, type);
	if (!vf->quiet)
		pr_warn("VF%u: %s (%#x) refused: %s\n", vf->index,
			igb_msg_name(type), type & IGB_MSG_TYPE_MASK, why);
}

static void ack(struct igb_vf_state *vf, struct igb_mbx_result *r, u32 type)
{
	r->reply[0] = echo(type) | IGB_MSG_ACK | IGB_MSG_CTS;
	if (!r->reply_len)
		r->reply_len = 1;
}

static void do_reset(struct igb_vf_state *vf, struct igb_mbx_result *r)
{
	/* A reset forgets every filter the VF had set (§7.10.2.9.2). */
	vf->nmc = 0;
	vf->nvlans = 0;
	vf->max_frame = 0;
	vf->cts = true;
	mac_to_words(vf->mac, &r->reply[1]);
	r->reply_len = 3;
	r->actions = IGB_ACT_RESET | IGB_ACT_MULTICAST | IGB_ACT_VLAN |
		     IGB_ACT_LPE;
	/*
	 * RESET | ACK exactly, no CTS: Linux's igbvf (e1000_reset_hw_vf)
	 * compares the whole word and otherwise takes the reset as failed
	 * ("PF still in reset state") and uses a random MAC, which the MAC
	 * filter then refuses. Linux's igb PF replies the same way; CTS
	 * comes with every later reply.
	 */
	r->reply[0] = IGB_MSG_RESET | IGB_MSG_ACK;
}

#define MAC_GROUP_BIT 0x01	/* I/G bit of the first octet (IEEE 802) */

static void do_set_mac(struct igb_vf_state *vf, const u32 *msg, u32 len,
		       struct igb_mbx_result *r)
{
	u32 sub = (msg[0] & IGB_MSG_INFO_MASK) >> IGB_MSG_INFO_SHIFT;
	u8 mac[6];

	if (sub == IGB_MAC_FILTER_CLR)	/* every ifup: nothing to clear */
		return ack(vf, r, msg[0]);
	if (sub == IGB_MAC_FILTER_ADD)
		return nack(vf, r, msg[0], "extra unicast MAC filters are not offered");
	if (sub)
		return nack(vf, r, msg[0], "unknown SET_MAC subcommand");
	if (len < 3)
		return nack(vf, r, msg[0], "message too short");
	mac_from_words(&msg[1], mac);
	if (!memcmp(mac, vf->mac, 6))
		return ack(vf, r, msg[0]);
	/* One line for the refusal, with both addresses. */
	if (!vf->quiet)
		pr_warn("VF%u: SET_MAC (%#x) refused: %s %02x:%02x:%02x:%02x:%02x:%02x, owns %02x:%02x:%02x:%02x:%02x:%02x\n",
			vf->index, IGB_MSG_SET_MAC,
			mac[0] & MAC_GROUP_BIT ? "MAC spoofing: group (multicast/broadcast) address" :
						 "MAC spoofing: asked for",
			mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
			vf->mac[0], vf->mac[1], vf->mac[2], vf->mac[3],
			vf->mac[4], vf->mac[5]);
	refuse(vf, r, msg[0]);
}

static void do_set_multicast(struct igb_vf_state *vf, const u32 *msg, u32 len,
			     struct igb_mbx_result *r)
{
	u32 n = (msg[0] & IGB_MSG_INFO_MASK) >> IGB_MSG_INFO_SHIFT, i;

	if (n > IGB_MBX_MAX_MC)
		return nack(vf, r, msg[0], "more than 30 multicast hashes");
	if (len < 1 + (n + 1) / 2)
		return nack(vf, r, msg[0], "message too short");
	for (i = 0; i < n; i++)
		vf->mc_hash[i] = (u16)(msg[1 + i / 2] >> (16 * (i % 2)));
	vf->nmc = (u16)n;
	r->actions = IGB_ACT_MULTICAST;
	ack(vf, r, msg[0]);
}

static void do_set_vlan(struct igb_vf_state *vf, const u32 *msg, u32 len,
			struct igb_mbx_result *r)
{
	bool add = (msg[0] & IGB_MSG_INFO_MASK) >> IGB_MSG_INFO_SHIFT;
	u32 vid, i;

	if (len < 2)
		return nack(vf, r, msg[0], "message too short");
	vid = msg[1];
	if (vid > 4095)
		return nack(vf, r, msg[0], "VLAN ID above 4095");
	for (i = 0; i < vf->nvlans; i++)
		if (vf->vlans[i] == vid)
			break;
	if (add && i == vf->nvlans) {
		if (vf->nvlans == IGB_MBX_MAX_VLANS)
			return nack(vf, r, msg[0], "VLAN table full");
		vf->vlans[vf->nvlans++] = (u16)vid;
	} else if (!add && i < vf->nvlans) {
		vf->vlans[i] = vf->vlans[--vf->nvlans];
	}
	r->actions = IGB_ACT_VLAN;
	ack(vf, r, msg[0]);
}

static void do_set_lpe(struct igb_vf_state *vf, const u32 *msg, u32 len,
		       struct igb_mbx_result *r)
{
	if (len < 2)
		return nack(vf, r, msg[0], "message too short");
	if (msg[1] < IGB_MBX_MIN_FRAME || msg[1] > IGB_MBX_MAX_FRAME)
		return nack(vf, r, msg[0], "frame size out of range");
	vf->max_frame = (u16)msg[1];
	r->actions = IGB_ACT_LPE;
	ack(vf, r, msg[0]);
}

void igb_mbx_handle(struct igb_vf_state *vf, const u32 *msg, u32 len,
		    struct igb_mbx_result *r)
{
	u32 type;

	memset(r, 0, sizeof(*r));
	if (!len || len > IGB_MBX_WORDS) {
		return nack(vf, r, len ? msg[0] : 0, "bad message length");
	}
	type = msg[0] & IGB_MSG_TYPE_MASK;
	/* A VF never sets ACK/NACK in a request: a reply echoed back. */
	if (msg[0] & (IGB_MSG_ACK | IGB_MSG_NACK))
		return nack(vf, r, msg[0], "ACK/NACK bit in a request");
	if (type == IGB_MSG_RESET)
		return do_reset(vf, r);
	if (!vf->cts)
		return nack(vf, r, msg[0], "no reset handshake yet");
	switch (type) {
	case IGB_MSG_SET_MAC:
		return do_set_mac(vf, msg, len, r);
	case IGB_MSG_SET_MULTICAST:
		return do_set_multicast(vf, msg, len, r);
	case IGB_MSG_SET_VLAN:
		return do_set_vlan(vf, msg, len, r);
	case IGB_MSG_SET_LPE:
		return do_set_lpe(vf, msg, len, r);
	default:
		return nack(vf, r, msg[0], "unknown message type");
	}
}
