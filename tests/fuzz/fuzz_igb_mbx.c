/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the PF side of the igb PF<->VF mailbox
 * (drivers/igb_mbx.c): the messages come from a VF, i.e. from a guest.
 * Built and run by tools/fuzz.sh.
 *
 * Input: byte 0 picks the VF (its number, hence its MAC); then messages,
 * each a length byte (words, 0..IGB_MBX_WORDS+1) followed by that many
 * little-endian words (fewer if the input ends). The messages go in
 * order to one VF, so the state carries over: a reset, then filters. Each
 * message sits in a buffer of exactly its length, so ASan sees a read past
 * the words the PF read.
 *
 * Besides the sanitizers, it checks what igb_mbx.h promises: every
 * message gets one reply, an ACK with CTS or a NACK, with the type echoed;
 * a NACK carries no action and counts in nacks; malformed, early and
 * spoofing messages are NACKed; an ACK did what the message asked; the
 * VF's state stays within its limits and its MAC never changes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/igb_mbx.h"
#include "tests/fuzz/fuzz_check.h"

#define ALL_ACTIONS (IGB_ACT_RESET | IGB_ACT_MULTICAST | IGB_ACT_VLAN | \
		     IGB_ACT_LPE)

static const u8 pf_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

static u32 info_of(u32 w)
{
	return (w & IGB_MSG_INFO_MASK) >> IGB_MSG_INFO_SHIFT;
}

/* Bytes 0-5 of words w[0..1]: the top half of w[1] is not part of it. */
static bool mac_in_words(const u32 *w, const u8 mac[6])
{
	return w[0] == ((u32)mac[0] | (u32)mac[1] << 8 | (u32)mac[2] << 16 |
			(u32)mac[3] << 24) &&
	       (w[1] & 0xffff) == ((u32)mac[4] | (u32)mac[5] << 8);
}

static bool has_vlan(const struct igb_vf_state *vf, u32 vid)
{
	u32 i;

	for (i = 0; i < vf->nvlans; i++)
		if (vf->vlans[i] == vid)
			return true;
	return false;
}

/* What holds between any two messages. */
static void check_state(const struct igb_vf_state *vf, u16 index,
			const u8 mac[6])
{
	u32 i, j;

	CHECK(vf->index == index);
	CHECK(memcmp(vf->mac, mac, 6) == 0);
	CHECK(vf->nmc <= IGB_MBX_MAX_MC);
	CHECK(vf->nvlans <= IGB_MBX_MAX_VLANS);
	for (i = 0; i < vf->nvlans; i++) {
		CHECK(vf->vlans[i] <= 4095);
		for (j = 0; j < i; j++)
			CHECK(vf->vlans[i] != vf->vlans[j]);
	}
	CHECK(vf->max_frame == 0 || (vf->max_frame >= IGB_MBX_MIN_FRAME &&
				     vf->max_frame <= IGB_MBX_MAX_FRAME));
}

/* echo: what the reply's type and info fields must be (igb_mbx.c). */
static void check_reply_shape(const struct igb_mbx_result *r,
			      const struct igb_vf_state *vf, u32 echo)
{
	bool ack = r->reply[0] & IGB_MSG_ACK, nak = r->reply[0] & IGB_MSG_NACK;

	CHECK(ack != nak);
	CHECK(r->nack == nak);
	CHECK((r->reply[0] & (IGB_MSG_TYPE_MASK | IGB_MSG_INFO_MASK)) == echo);
	CHECK(r->reply_len >= 1 && r->reply_len <= IGB_MBX_WORDS);
	CHECK((r->actions & ~ALL_ACTIONS) == 0);
	/* CTS tells the VF whether the reset handshake is done; the
	 * reset's own ACK is exactly RESET|ACK (Linux's igbvf compares it) */
	if (ack && (echo & IGB_MSG_TYPE_MASK) == IGB_MSG_RESET)
		CHECK(!(r->reply[0] & IGB_MSG_CTS) && vf->cts);
	else
		CHECK(!!(r->reply[0] & IGB_MSG_CTS) == vf->cts);
	if (nak) {
		CHECK(r->reply_len == 1);
		CHECK(r->actions == 0);
	}
}

/* What an ACK of each type must have done (igb_mbx.c's header). */
static void check_ack(const struct igb_mbx_result *r,
		      const struct igb_vf_state *vf, const u32 *msg, u32 len)
{
	u32 type = msg[0] & IGB_MSG_TYPE_MASK, n, i;

	switch (type) {
	case IGB_MSG_RESET:
		CHECK(r->reply_len == 3 && mac_in_words(&r->reply[1], vf->mac));
		CHECK(r->actions & IGB_ACT_RESET);
		CHECK(vf->nmc == 0 && vf->nvlans == 0 && vf->max_frame == 0);
		break;
	case IGB_MSG_SET_MAC:	/* its own MAC, or clearing extra filters */
		CHECK(info_of(msg[0]) == IGB_MAC_FILTER_CLR ||
		      (info_of(msg[0]) == 0 && len >= 3 &&
		       mac_in_words(&msg[1], vf->mac)));
		break;
	case IGB_MSG_SET_MULTICAST:
		n = info_of(msg[0]);
		CHECK(r->actions == IGB_ACT_MULTICAST && vf->nmc == n);
		CHECK(len >= 1 + (n + 1) / 2);
		for (i = 0; i < n; i++)
			CHECK(vf->mc_hash[i] ==
			      (u16)(msg[1 + i / 2] >> (16 * (i % 2))));
		break;
	case IGB_MSG_SET_VLAN:
		CHECK(r->actions == IGB_ACT_VLAN && len >= 2);
		CHECK(has_vlan(vf, msg[1]) == (info_of(msg[0]) != 0));
		break;
	case IGB_MSG_SET_LPE:
		CHECK(r->actions == IGB_ACT_LPE && len >= 2);
		CHECK(vf->max_frame == msg[1]);
		break;
	default:
		CHECK(false); /* an unknown type must be NACKed */
	}
}

static void send_one(struct igb_vf_state *vf, const u32 *msg, u32 len)
{
	struct igb_mbx_result r;
	bool cts_before = vf->cts;
	u32 nacks_before = vf->nacks, type;

	memset(&r, 0xa5, sizeof(r));
	igb_mbx_handle(vf, msg, len, &r);
	type = len ? msg[0] & IGB_MSG_TYPE_MASK : 0;
	/* A RESET's reply is fresh (the MAC follows); others echo. */
	check_reply_shape(&r, vf, type == IGB_MSG_RESET && !r.nack ?
			  IGB_MSG_RESET :
			  len ? msg[0] & (IGB_MSG_TYPE_MASK | IGB_MSG_INFO_MASK) : 0);
	CHECK(vf->nacks == nacks_before + r.nack);
	if (!len || len > IGB_MBX_WORDS ||
	    (msg[0] & (IGB_MSG_ACK | IGB_MSG_NACK)) ||
	    (!cts_before && type != IGB_MSG_RESET)) {
		CHECK(r.nack);
		CHECK(vf->cts == cts_before);
	}
	if (!r.nack)
		check_ack(&r, vf, msg, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct igb_vf_state vf;
	size_t pos = 1;
	u8 mac[6];
	u16 index;

	if (size < 1)
		return 0;
	memset(&vf, 0, sizeof(vf));
	index = data[0] & 7;
	vf.index = index;
	igb_vf_mac(pf_mac, index, mac);
	memcpy(vf.mac, mac, 6);

	while (pos < size) {
		u32 len = data[pos++] % (IGB_MBX_WORDS + 2), i;
		u32 *msg;

		if (len > (size - pos) / 4)
			len = (u32)((size - pos) / 4);
		msg = malloc(len ? len * 4 : 1);
		if (!msg)
			return 0;
		for (i = 0; i < len; i++, pos += 4)
			msg[i] = (u32)data[pos] | (u32)data[pos + 1] << 8 |
				 (u32)data[pos + 2] << 16 |
				 (u32)data[pos + 3] << 24;
		send_one(&vf, msg, len);
		free(msg);
		check_state(&vf, index, mac);
	}
	return 0;
}
