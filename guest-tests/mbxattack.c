// SPDX-License-Identifier: MIT
/*
 * mbxattack: a hostile guest on its own igb VF. It attacks the PF through
 * everything its VF lets it touch, while a victim guest on another VF of
 * the same PF must keep working:
 *
 *   1. flood: for flood_ms (default 1500) it scribbles over its own VF
 *      registers: VTCTRL.RST (VF resets, each one a VFLRE event in the PF),
 *      the mailbox control register with every bit combination (REQ
 *      without waiting for ACK, ACK it never owed, VFU grabbed and left
 *      held), garbage in the mailbox memory (unknown types, ACK/NACK bits
 *      in requests, absurd counts), and its interrupt registers;
 *   2. refusals: after a clean reset handshake, requests the PF must NACK
 *      (in groups, each in a fresh second of the PF's per-VF log budget):
 *      the neighbour VF's MAC, a broadcast and a multicast MAC, 31 and 255
 *      multicast hashes, VLAN IDs 4096 and 0xffffffff, a ninth VLAN, an
 *      8 MiB frame, an unknown message type, a request carrying ACK;
 *   3. the PF still answers it: a last reset handshake succeeds.
 *
 * Its exit status is the number of checks that did not go as the PF's
 * policy says (0 = every abuse was refused and the PF stayed responsive).
 * It never enables its queues, so it issues no DMA: what it tests is the
 * PF's mailbox and reset-event handling, not VT-d.
 */
#include "guest-tests/rt/rt.h"
#include "guest-tests/vf_mmio.h"
#include "lib/igbvf.h"
#include "lib/string.h"

#define FLOOD_MS_DEFAULT 1500
#define TIME_CHECK_EVERY 64	/* flood iterations between clock reads */
#define RST_EVERY 16		/* one VF reset per this many iterations */
#define RESET_TRIES 3		/* a throttled PF may make one wait time out */
/*
 * The PF limits what it serves and logs per VF and per second: each group
 * of checks starts in a fresh window, so its refusals are all logged.
 */
#define WINDOW_PAUSE_NS 1100000000ull

/* VF interrupt registers (82576 datasheet §8.28, VF register map). */
#define VF_EICS 0x1520
#define VF_EIMS 0x1524
#define VF_EIMC 0x1528
#define VF_EIAC 0x152c
#define VF_EIAM 0x1530
#define VF_EICR 0x1580
#define VF_IVAR0 0x1700
#define VF_IVAR_MISC 0x1740

#define VLAN_ID_LIMIT 4096
#define MBX_MAX_MC 30		/* hashes that fit in one message */
#define MBX_MAX_VLANS 8		/* what the PF keeps per VF */
#define HUGE_FRAME (8u << 20)

static const u32 scribble_regs[] = {
	VF_EICS, VF_EIMS, VF_EIMC, VF_EIAC, VF_EIAM, VF_EICR, VF_IVAR0,
	VF_IVAR_MISC,
};

static volatile u8 *regs;
static u64 rng_state = 0x9e3779b97f4a7c15ull;
static u32 failures;

/* The flood writes its own registers directly: no mailbox protocol. */
static void reg_write(u32 reg, u32 v)
{
	*(volatile u32 *)(regs + reg) = v;
}

/* xorshift64: reproducible garbage. */
static u32 rnd(void)
{
	return (u32)rt_xorshift64(&rng_state);
}

/* One step of the flood: which register it hits depends on i. */
static void scribble(u32 i, u32 *stats)
{
	u32 w;

	if (i % RST_EVERY == 0) {
		reg_write(IGBVF_CTRL, (u32)IGBVF_CTRL_RST);
		stats[0]++;
		return;
	}
	switch (rnd() % 4) {
	case 0: /* a garbage message, posted without waiting for the ACK */
		for (w = 0; w < IGB_MBX_WORDS; w++)
			reg_write(IGBVF_VMBMEM + 4 * w, rnd());
		reg_write(IGBVF_VTMAILBOX, (u32)IGBVF_MBX_REQ);
		stats[1]++;
		break;
	case 1: /* any combination of REQ, ACK and VFU */
		reg_write(IGBVF_VTMAILBOX, rnd() &
			   (u32)(IGBVF_MBX_REQ | IGBVF_MBX_ACK | IGBVF_MBX_VFU));
		stats[2]++;
		break;
	case 2: /* a well-formed type with a reply's ACK/NACK bits */
		reg_write(IGBVF_VMBMEM, (rnd() % 8) | (rnd() & (u32)
			   (IGB_MSG_ACK | IGB_MSG_NACK | IGB_MSG_CTS |
			    IGB_MSG_INFO_MASK)));
		reg_write(IGBVF_VTMAILBOX, (u32)IGBVF_MBX_REQ);
		stats[1]++;
		break;
	default:
		reg_write(scribble_regs[rnd() % ARRAY_SIZE(scribble_regs)],
			   rnd());
		stats[3]++;
		break;
	}
}

static void flood(u64 ms)
{
	u64 end = rt_time_ns() + ms * 1000000ull;
	u32 stats[4] = { 0 }, i;

	for (i = 0;; i++) {
		if (i % TIME_CHECK_EVERY == 0 && rt_time_ns() >= end)
			break;
		scribble(i, stats);
	}
	/* Leave the mailbox as a driver would find it: VFU dropped. */
	reg_write(IGBVF_VTMAILBOX, 0);
	printf("mbxattack: flood done: %u VF resets, %u messages posted without waiting, %u mailbox control writes, %u interrupt register writes\n",
	       stats[0], stats[1], stats[2], stats[3]);
}

static void next_window(void)
{
	u64 end = rt_time_ns() + WINDOW_PAUSE_NS;

	while (rt_time_ns() < end)
		;
}

static int reset_handshake(struct igbvf *vf)
{
	int err = IGBVF_ETIMEOUT, i;

	for (i = 0; i < RESET_TRIES && err; i++)
		err = igbvf_reset(vf);
	return err;
}

/* One abusive request: the PF must answer it with a NACK. */
static void expect_nack(struct igbvf *vf, const char *what, const u32 *msg,
			u32 len)
{
	u32 reply[IGB_MBX_WORDS] = { 0 };
	int err = igbvf_request(vf, msg, len, reply, 1);

	/* CTS in the NACK: refused by policy, not for a lost handshake. */
	if (err == IGBVF_ENACK && (reply[0] & IGB_MSG_CTS)) {
		printf("mbxattack: %s -> NACK\n", what);
		return;
	}
	failures++;
	printf("mbxattack: FAIL %s -> %s (reply %#x)\n", what,
	       err == IGBVF_ENACK ? "NACK without CTS (handshake lost)" :
	       err ? "no NACK" : "ACK", reply[0]);
}

static void mac_msg(u32 *m, const u8 mac[6])
{
	m[0] = IGB_MSG_SET_MAC;
	m[1] = (u32)mac[0] | (u32)mac[1] << 8 | (u32)mac[2] << 16 |
	       (u32)mac[3] << 24;
	m[2] = (u32)mac[4] | (u32)mac[5] << 8;
}

static void mac_abuse(struct igbvf *vf)
{
	static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const u8 mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	u8 neighbour[6];
	u32 m[3];

	/* The PF numbers its VFs' MACs: VF0 ends in ^1, VF1 in ^2. */
	memcpy(neighbour, vf->mac, 6);
	neighbour[5] ^= 0x01 ^ 0x02;
	mac_msg(m, neighbour);
	expect_nack(vf, "SET_MAC to the neighbour VF's MAC", m, 3);
	mac_msg(m, bcast);
	expect_nack(vf, "SET_MAC to the broadcast MAC", m, 3);
	mac_msg(m, mcast);
	expect_nack(vf, "SET_MAC to a multicast MAC", m, 3);
}

static void filter_abuse(struct igbvf *vf)
{
	u32 m[IGB_MBX_WORDS] = { 0 };

	m[0] = IGB_MSG_SET_MULTICAST | (MBX_MAX_MC + 1) << IGB_MSG_INFO_SHIFT;
	expect_nack(vf, "SET_MULTICAST with 31 hashes", m, IGB_MBX_WORDS);
	m[0] = IGB_MSG_SET_MULTICAST | IGB_MSG_INFO_MASK;
	expect_nack(vf, "SET_MULTICAST with 255 hashes", m, IGB_MBX_WORDS);
	m[0] = IGB_MSG_SET_VLAN | 1u << IGB_MSG_INFO_SHIFT;
	m[1] = VLAN_ID_LIMIT;
	expect_nack(vf, "SET_VLAN 4096", m, 2);
	m[1] = 0xffffffffu;
	expect_nack(vf, "SET_VLAN 0xffffffff", m, 2);
	m[0] = IGB_MSG_SET_LPE;
	m[1] = HUGE_FRAME;
	expect_nack(vf, "SET_LPE of 8 MiB", m, 2);
	m[0] = 0x77;
	expect_nack(vf, "unknown message type 0x77", m, 1);
	m[0] = IGB_MSG_SET_LPE | IGB_MSG_ACK;
	m[1] = 1518;
	expect_nack(vf, "request with the ACK bit set", m, 2);
}

/* The PF keeps MBX_MAX_VLANS VLANs per VF: the next one is refused. */
static void vlan_table_abuse(struct igbvf *vf)
{
	u32 m[2] = { IGB_MSG_SET_VLAN | 1u << IGB_MSG_INFO_SHIFT }, i;

	for (i = 0; i < MBX_MAX_VLANS; i++) {
		u32 reply[1];

		m[1] = 100 + i;
		if (igbvf_request(vf, m, 2, reply, 1)) {
			failures++;
			printf("mbxattack: FAIL SET_VLAN %u refused\n", m[1]);
		}
	}
	m[1] = 100 + MBX_MAX_VLANS;
	expect_nack(vf, "a ninth SET_VLAN", m, 2);
}

int guest_main(const struct hv_boot_info *bi)
{
	struct igbvf_ops ops;
	static u8 mem[IGBVF_MEM_SIZE] __aligned(4096);
	struct igbvf vf;
	u32 i;

	for (i = 0; i < bi->ndev && bi->dev[i].kind != HV_BI_DEV_VF; i++)
		;
	if (i == bi->ndev) {
		printf("mbxattack: no VF in the boot info\n");
		return 100;
	}
	regs = (volatile u8 *)bi->dev[i].mmio_gpa;
	vf_mmio_ops(&ops, bi->dev[i].mmio_gpa);
	printf("mbxattack: VF %02x:%02x.%u, flooding for %lld ms\n",
	       bi->dev[i].bus, bi->dev[i].dev, bi->dev[i].fn,
	       rt_cmdline_num("flood_ms", FLOOD_MS_DEFAULT));
	flood((u64)rt_cmdline_num("flood_ms", FLOOD_MS_DEFAULT));
	igbvf_init(&vf, &ops, mem);
	next_window();
	if (reset_handshake(&vf)) {
		printf("mbxattack: FAIL no reset handshake after the flood\n");
		return 101;
	}
	mac_abuse(&vf);
	next_window();
	filter_abuse(&vf);
	next_window();
	vlan_table_abuse(&vf);
	if (reset_handshake(&vf)) {
		failures++;
		printf("mbxattack: FAIL the PF stopped answering\n");
	} else {
		printf("mbxattack: the PF still answers: MAC %02x:%02x:%02x:%02x:%02x:%02x\n",
		       vf.mac[0], vf.mac[1], vf.mac[2], vf.mac[3], vf.mac[4],
		       vf.mac[5]);
	}
	printf("mbxattack: %u check(s) failed\n", failures);
	return (int)failures;
}
