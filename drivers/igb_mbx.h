/* SPDX-License-Identifier: MIT */
/*
 * The PF side of the 82576 PF<->VF mailbox protocol as pure logic: one
 * message from a VF plus that VF's state in, the reply and the actions the
 * PF driver must apply to the hardware out. No register access here, so
 * tests/unit/test_igb_mbx.c drives it on the host.
 */
#ifndef DRIVERS_IGB_MBX_H
#define DRIVERS_IGB_MBX_H

#include "drivers/igb_regs.h"
#include "lib/types.h"

#define IGB_MBX_MAX_MC 30	/* hashes that fit after the header word */
#define IGB_MBX_MAX_VLANS 8
#define IGB_MBX_MIN_FRAME 64
#define IGB_MBX_MAX_FRAME 9728	/* 82576 jumbo limit, as Linux igb (MAX_JUMBO_FRAME_SIZE) */

struct igb_vf_state {
	u16 index;		/* VF number, for the log */
	u8 mac[6];		/* the MAC the PF assigned: the only one allowed */
	bool cts;		/* reset handshake done: other messages allowed */
	u16 nmc;
	u16 mc_hash[IGB_MBX_MAX_MC];
	u16 nvlans;
	u16 vlans[IGB_MBX_MAX_VLANS];
	u16 max_frame;		/* 0 = default (1522: 1518 + one VLAN tag) */
	u32 nacks;		/* refused messages, for the log and tests */
	bool quiet;		/* refusals counted, not logged (rate limit) */
};

/* Actions the PF driver applies after the reply is sent. */
#define IGB_ACT_RESET BIT(0)	/* RAR <- mac with pool bit, VMOLR, VFRE/VFTE */
#define IGB_ACT_MULTICAST BIT(1)	/* MTA <- mc_hash[] */
#define IGB_ACT_VLAN BIT(2)	/* VLVF <- vlans[] */
#define IGB_ACT_LPE BIT(3)	/* VMOLR.RLPML/LPE <- max_frame */

struct igb_mbx_result {
	u32 reply[IGB_MBX_WORDS];
	u32 reply_len;		/* words to write back, >= 1 */
	u32 actions;		/* IGB_ACT_* */
	bool nack;
};

/*
 * Handles msg[0..len) (len = words the PF read, <= IGB_MBX_WORDS) from
 * vf. Always produces a reply: ACK (+CTS) or NACK with the message type
 * echoed. Unknown types, short messages, out-of-range arguments, any
 * message but RESET before the reset handshake, and SET_MAC with a MAC
 * other than vf->mac (anti-spoofing; a group address, another VF's or the
 * PF's MAC) are NACKed with one log line (none while vf->quiet).
 */
void igb_mbx_handle(struct igb_vf_state *vf, const u32 *msg, u32 len,
		    struct igb_mbx_result *r);

/*
 * The MAC the PF gives VF n: the PF's MAC with the locally administered
 * bit set, the multicast bit clear, bit 7 of byte 3 flipped and the VF
 * number (+1) XORed into the last byte: stable across boots, distinct per
 * VF, never the PF's own.
 */
void igb_vf_mac(const u8 pf_mac[6], u16 vf, u8 out[6]);

/* "RESET", "SET_MAC", ..., "unknown". */
const char *igb_msg_name(u32 type);

#endif
