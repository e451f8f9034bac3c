// SPDX-License-Identifier: MIT
/*
 * The igb PF's service pass (see igb_service.h).
 *
 * Attribution and ordering. A VF resets itself (VTCTRL.RST) or is reset
 * by FLR: the device clears its VFRE/VFTE bits and sets its VFLRE bit
 * (§8.14.7). A VF driver resets first and only then posts its RESET
 * message (MBVFICR.VFREQ, §8.14.5). So:
 *   - MBVFICR is read before VFLRE. Any reset that came before a message
 *     the pass is about to read is then already visible in VFLRE, and the
 *     reset is handled before the message, never after it. (The other
 *     order let a reset a VF made just before its handshake be handled in
 *     the next pass, after the handshake, disabling a VF that had just
 *     been enabled: issue 8, defect 7.)
 *   - VFLRE and MBVFICR are write-1-to-clear: only the bits this pass saw
 *     are written back, so an event raised meanwhile by any VF stays
 *     pending for the next pass instead of being lost.
 *   - Each action touches only the bits of the VF whose event it is.
 *     VFRE/VFTE have no per-bit set/clear registers, so they are
 *     read-modify-written; if the device clears another VF's bit between
 *     the read and the write, that VF's VFLRE is pending too and the next
 *     pass clears its bit again.
 *
 * Cost. Per pass a VF gets at most one request served (one VFREQ bit),
 * IGB_SVC_LOCK_TRIES lock attempts per mailbox access, IGB_SVC_MSG_BUDGET
 * requests and IGB_SVC_LOG_BUDGET log lines per window; a request over
 * the budget stays pending (the VF's own mailbox waits time out) and is
 * served in a later window.
 */
#define LOG_SUBSYS "igb"
#include "drivers/igb_service.h"
#include "kernel/log.h"
#include "lib/string.h"

#define LOCK_RETRY_US 10

static u32 rd(struct igb_service *s, u32 reg)
{
	return s->io.read32(s->io.ctx, reg);
}

static void wr(struct igb_service *s, u32 reg, u32 v)
{
	s->io.write32(s->io.ctx, reg, v);
}

static u32 vf_mask(const struct igb_service *s)
{
	return (u32)((1u << s->num_vfs) - 1);
}

void igb_service_init(struct igb_service *s, const struct igb_io *io,
		      u16 num_vfs, const u8 pf_mac[6])
{
	u16 v;

	memset(s, 0, sizeof(*s));
	s->io = *io;
	s->num_vfs = MIN(num_vfs, IGB_MAX_VFS);
	for (v = 0; v < s->num_vfs; v++) {
		s->vf[v].index = v;
		igb_vf_mac(pf_mac, v, s->vf[v].mac);
	}
}

/* ---- per-VF limits ----------------------------------------------------- */

static void roll_window(struct igb_service *s, u16 v, u64 now)
{
	struct igb_vf_limit *l = &s->lim[v];

	if (now - l->window_start < IGB_SVC_WINDOW_NS)
		return;
	if (l->muted || l->deferred)
		pr_warn("VF%u: rate limit: %u log line(s) suppressed, %u request(s) deferred in the last %llu ms\n",
			v, l->muted, l->deferred, IGB_SVC_WINDOW_NS / 1000000);
	memset(l, 0, sizeof(*l));
	l->window_start = now;
}

/* True if VF v may put one more line in the log in this window. */
static bool may_log(struct igb_service *s, u16 v)
{
	struct igb_vf_limit *l = &s->lim[v];

	if (l->lines < IGB_SVC_LOG_BUDGET) {
		l->lines++;
		return true;
	}
	l->muted++;
	return false;
}

/* ---- applying mailbox actions to the hardware ------------------------- */

static void apply_reset(struct igb_service *s, u16 v)
{
	const u8 *m = s->vf[v].mac;
	u32 bit = 1u << v;

	wr(s, IGB_RAL(1 + v), (u32)m[0] | (u32)m[1] << 8 | (u32)m[2] << 16 |
				      (u32)m[3] << 24);
	wr(s, IGB_RAH(1 + v), (u32)m[4] | (u32)m[5] << 8 |
				      (u32)(IGB_RAH_AV | IGB_RAH_POOL(v)));
	wr(s, IGB_VMOLR(v), (u32)(IGB_VMOLR_STRCRC | IGB_VMOLR_AUPE |
				  IGB_VMOLR_BAM) |
				    IGB_VMOLR_RLPML(IGB_DEFAULT_FRAME));
	wr(s, IGB_VFRE, rd(s, IGB_VFRE) | bit);
	wr(s, IGB_VFTE, rd(s, IGB_VFTE) | bit);
}

/* The MTA is shared by all pools: a VF's hashes add bits, ROMPE lets the
 * pool accept them (§7.10.3.4). Bits other VFs set are left alone. */
static void apply_multicast(struct igb_service *s, u16 v)
{
	const struct igb_vf_state *st = &s->vf[v];
	u32 i, vmolr = rd(s, IGB_VMOLR(v));

	for (i = 0; i < st->nmc; i++) {
		u32 h = st->mc_hash[i] & IGB_MTA_HASH_MASK;

		wr(s, IGB_MTA(h >> 5), rd(s, IGB_MTA(h >> 5)) | 1u << (h & 31));
	}
	if (st->nmc)
		vmolr |= (u32)IGB_VMOLR_ROMPE;
	else
		vmolr &= ~(u32)IGB_VMOLR_ROMPE;
	wr(s, IGB_VMOLR(v), vmolr);
}

/* Index of the VLVF entry filtering vid, else of a free one, else -1. */
static int vlvf_slot(struct igb_service *s, u16 vid)
{
	int free = -1;
	u32 i;

	for (i = 0; i < IGB_VLVF_ENTRIES; i++) {
		u32 e = rd(s, IGB_VLVF(i));

		if ((e & IGB_VLVF_VIEN) && (e & IGB_VLVF_VLANID_MASK) == vid)
			return (int)i;
		if (!(e & IGB_VLVF_VIEN) && free < 0)
			free = (int)i;
	}
	if (free >= 0)
		wr(s, IGB_VLVF((u32)free), (u32)IGB_VLVF_VIEN | vid);
	return free;
}

static void apply_vlan(struct igb_service *s, u16 v)
{
	const struct igb_vf_state *st = &s->vf[v];
	u32 i, j;

	for (i = 0; i < IGB_VLVF_ENTRIES; i++) {
		u32 e = rd(s, IGB_VLVF(i)) & ~(u32)IGB_VLVF_POOL(v);

		if (!(e & IGB_VLVF_POOL_MASK))
			e = 0;
		wr(s, IGB_VLVF(i), e);
	}
	for (j = 0; j < st->nvlans; j++) {
		int slot = vlvf_slot(s, st->vlans[j]);

		if (slot < 0) {
			if (may_log(s, v))
				pr_warn("VF%u: VLVF full, VLAN %u not filtered\n", v,
					st->vlans[j]);
			continue;
		}
		wr(s, IGB_VLVF((u32)slot),
		   rd(s, IGB_VLVF((u32)slot)) | (u32)IGB_VLVF_POOL(v));
	}
}

static void apply_lpe(struct igb_service *s, u16 v)
{
	u16 f = s->vf[v].max_frame ? s->vf[v].max_frame : IGB_DEFAULT_FRAME;
	u32 vmolr = rd(s, IGB_VMOLR(v)) &
		    ~(u32)(IGB_VMOLR_RLPML_MASK | IGB_VMOLR_LPE);

	vmolr |= IGB_VMOLR_RLPML(f);
	if (f > IGB_DEFAULT_FRAME)
		vmolr |= (u32)IGB_VMOLR_LPE;
	wr(s, IGB_VMOLR(v), vmolr);
}

static void apply(struct igb_service *s, u16 v, u32 actions)
{
	if (actions & IGB_ACT_RESET)
		apply_reset(s, v);
	if (actions & IGB_ACT_MULTICAST)
		apply_multicast(s, v);
	if (actions & IGB_ACT_VLAN)
		apply_vlan(s, v);
	if (actions & IGB_ACT_LPE)
		apply_lpe(s, v);
}

/* ---- the mailbox (§7.10.2.9) ------------------------------------------ */

/* Takes the buffer: PFU sticks only while the VF does not hold VFU. */
static bool mbx_lock(struct igb_service *s, u16 v)
{
	u32 i;

	for (i = 0; i < IGB_SVC_LOCK_TRIES; i++) {
		wr(s, IGB_P2VMAILBOX(v), (u32)IGB_P2VMAILBOX_PFU);
		if (rd(s, IGB_P2VMAILBOX(v)) & IGB_P2VMAILBOX_PFU)
			return true;
		s->io.udelay(s->io.ctx, LOCK_RETRY_US);
	}
	return false;
}

/* Reads the request and releases the buffer with ACK; false if locked. */
static bool mbx_take(struct igb_service *s, u16 v, u32 *msg)
{
	u32 i;

	if (!mbx_lock(s, v))
		return false;
	for (i = 0; i < IGB_MBX_WORDS; i++)
		msg[i] = rd(s, IGB_VMBMEM(v) + 4 * i);
	wr(s, IGB_MBVFICR, (u32)IGB_MBVFICR_VFREQ(v));
	/* ACK without PFU: acknowledges and releases the buffer. */
	wr(s, IGB_P2VMAILBOX(v), (u32)IGB_P2VMAILBOX_ACK);
	return true;
}

static bool mbx_reply(struct igb_service *s, u16 v,
		      const struct igb_mbx_result *r)
{
	u32 i;

	if (!mbx_lock(s, v))
		return false;
	wr(s, IGB_MBVFICR, (u32)IGB_MBVFICR_VFACK(v));
	for (i = 0; i < r->reply_len; i++)
		wr(s, IGB_VMBMEM(v) + 4 * i, r->reply[i]);
	/* STS without PFU: message ready, buffer released. */
	wr(s, IGB_P2VMAILBOX(v), (u32)IGB_P2VMAILBOX_STS);
	return true;
}

/* True if the request must wait for the next window. */
static bool over_budget(struct igb_service *s, u16 v)
{
	struct igb_vf_limit *l = &s->lim[v];

	if (l->msgs < IGB_SVC_MSG_BUDGET) {
		l->msgs++;
		return false;
	}
	l->deferred++;
	s->deferred++;
	if (!l->flood_logged) {
		l->flood_logged = true;
		pr_warn("VF%u: mailbox flood: %u requests in under %llu ms, the rest wait for the next window\n",
			v, l->msgs, IGB_SVC_WINDOW_NS / 1000000);
	}
	return true;
}

static void handle_request(struct igb_service *s, u16 v)
{
	struct igb_vf_state *st = &s->vf[v];
	struct igb_mbx_result r;
	u32 msg[IGB_MBX_WORDS];

	if (over_budget(s, v))
		return;
	if (!mbx_take(s, v, msg)) {
		s->lim[v].deferred++;
		s->deferred++;
		if (may_log(s, v))
			pr_warn("VF%u: mailbox held by the VF, request left for a later pass\n", v);
		return;
	}
	s->msgs++;
	/* The parser logs each refusal; the VF's line budget decides. */
	st->quiet = s->lim[v].lines >= IGB_SVC_LOG_BUDGET;
	igb_mbx_handle(st, msg, IGB_MBX_WORDS, &r);
	if (r.nack)
		(void)may_log(s, v);
	st->quiet = false;
	apply(s, v, r.actions);
	if (!r.nack && may_log(s, v))
		pr_info("VF%u: %s -> ACK\n", v, igb_msg_name(msg[0]));
	if (!mbx_reply(s, v, &r) && may_log(s, v))
		pr_warn("VF%u: mailbox held by the VF, reply to %s dropped\n", v,
			igb_msg_name(msg[0]));
}

/*
 * A VF reset or FLR (VFLRE): the device already stopped its RX/TX; the
 * PF forgets the handshake and its MAC filter, so only RESET is accepted
 * until the VF asks again.
 */
static void handle_vflr(struct igb_service *s, u16 v)
{
	u32 bit = 1u << v;

	s->vf[v].cts = false;
	s->vflr_events++;
	wr(s, IGB_RAH(1 + v), 0);
	wr(s, IGB_VFRE, rd(s, IGB_VFRE) & ~bit);
	wr(s, IGB_VFTE, rd(s, IGB_VFTE) & ~bit);
	if (may_log(s, v))
		pr_info("VF%u: reset event (VFLRE), RX/TX off until RESET handshake\n", v);
}

void igb_service_pass(struct igb_service *s)
{
	u32 mask = vf_mask(s), icr, vflre;
	u64 now = s->io.now_ns(s->io.ctx);
	u16 v;

	s->passes++;
	/* Order matters: see the top of this file. */
	icr = rd(s, IGB_MBVFICR) &
	      (mask << IGB_MBVFICR_VFREQ_SHIFT | mask << IGB_MBVFICR_VFACK_SHIFT);
	vflre = rd(s, IGB_VFLRE) & mask;
	if (vflre)
		wr(s, IGB_VFLRE, vflre);
	for (v = 0; v < s->num_vfs; v++) {
		roll_window(s, v, now);
		if (vflre & (1u << v))
			handle_vflr(s, v);
		/* The VF acknowledged our last reply: nothing to do. */
		if (icr & IGB_MBVFICR_VFACK(v))
			wr(s, IGB_MBVFICR, (u32)IGB_MBVFICR_VFACK(v));
		if (icr & IGB_MBVFICR_VFREQ(v))
			handle_request(s, v);
	}
}
