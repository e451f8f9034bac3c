/* SPDX-License-Identifier: MIT */
/*
 * The igb PF's service pass: which VF raised which event (VF reset through
 * VFLRE, mailbox request or acknowledgement through MBVFICR), handled in
 * an order that attributes each one to the VF that raised it, with
 * bounded work per VF and per pass so one hostile VF cannot starve the
 * others or flood the console.
 *
 * Registers are reached through struct igb_io: the PF driver passes its
 * MMIO accessors, tests/unit/test_igb_service.c a model of the 82576's
 * virtualization registers (§8.14) and of VFs racing the PF.
 */
#ifndef DRIVERS_IGB_SERVICE_H
#define DRIVERS_IGB_SERVICE_H

#include "drivers/igb_mbx.h"
#include "lib/types.h"

#define IGB_MAX_VFS 8
#define IGB_DEFAULT_FRAME 1522	/* 1518 + one VLAN tag */

/* Per VF and per window: what one VF may cost the PF. */
#define IGB_SVC_WINDOW_NS 1000000000ull	/* 1 s */
#define IGB_SVC_MSG_BUDGET 64		/* messages served per window */
#define IGB_SVC_LOG_BUDGET 16		/* log lines per window */
#define IGB_SVC_LOCK_TRIES 3		/* mailbox lock attempts, 10 us apart */

struct igb_io {
	u32 (*read32)(void *ctx, u32 reg);
	void (*write32)(void *ctx, u32 reg, u32 v);
	void (*udelay)(void *ctx, u32 us);
	u64 (*now_ns)(void *ctx);
	void *ctx;
};

struct igb_vf_limit {
	u64 window_start;
	u32 msgs;		/* served in this window */
	u32 lines;		/* logged in this window */
	u32 muted;		/* lines not printed in this window */
	u32 deferred;		/* requests left pending in this window */
	bool flood_logged;
};

struct igb_service {
	struct igb_io io;
	u16 num_vfs;
	struct igb_vf_state vf[IGB_MAX_VFS];
	struct igb_vf_limit lim[IGB_MAX_VFS];
	u32 passes, msgs, vflr_events, deferred;
};

/* VF n gets igb_vf_mac(pf_mac, n); every VF starts without handshake. */
void igb_service_init(struct igb_service *s, const struct igb_io *io,
		      u16 num_vfs, const u8 pf_mac[6]);

/*
 * One pass over every VF: reads MBVFICR, then VFLRE; clears exactly the
 * VFLRE bits it saw; then per VF, its reset event before its request.
 * At most one request per VF is served per pass, each bounded in time
 * (IGB_SVC_LOCK_TRIES); a VF over its budget waits for the next window.
 */
void igb_service_pass(struct igb_service *s);

#endif
