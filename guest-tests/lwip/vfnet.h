/* SPDX-License-Identifier: MIT */
/*
 * An lwIP netif over the guest's igb VF (lib/igbvf.c), and the start-up
 * every network guest shares: find the VF in the boot info, mailbox reset,
 * rings, netif, DHCP (with a static fallback from the command line).
 *
 * Polled: vfnet_poll() drains the receive ring into lwIP and runs its
 * timers; a guest's main loop calls it. Nothing here waits for an
 * interrupt, so the same loop can later sleep in vfnet_wait() until the
 * VF's MSI-X vector fires (irqs counts them) instead of spinning.
 */
#ifndef GUEST_LWIP_VFNET_H
#define GUEST_LWIP_VFNET_H

#include "lib/hv_abi.h"
#include "lib/igbvf.h"
#include "lwip/netif.h"

struct vfnet_stats {
	u64 rx_frames, rx_bytes, tx_frames, tx_bytes;
	u64 rx_nobuf;		/* dropped: no pbuf free (pool exhausted) */
	u64 rx_bad;		/* dropped: runt or oversized frame */
	u64 tx_err;		/* the VF did not send within its timeout */
	u64 irqs;		/* VF interrupts taken (0 while polled) */
	u64 link_changes;
};

struct vfnet {
	struct netif netif;
	struct igbvf vf;
	const struct hv_bi_dev *dev;
	struct vfnet_stats st;
	bool link;
	bool dhcp_bound;	/* false: static fallback or no address */
};

/* Brings up the VF and the netif; 0, or a message and -1. */
int vfnet_start(struct vfnet *n, const char *hostname);
/*
 * DHCP for up to timeout_ns; if no lease comes, the static "ip=A.B.C.D"
 * (with "gw=" and a /24 mask) of the command line, if any. 0 with an
 * address, -1 without.
 */
int vfnet_dhcp(struct vfnet *n, u64 timeout_ns);
/* Received frames into lwIP, lwIP's timers, the link state. */
void vfnet_poll(struct vfnet *n);
/* One line of counters on the console, prefixed by who. */
void vfnet_report(const struct vfnet *n, const char *who);
/* "a.b.c.d" of the netif's address into buf (16 bytes). */
const char *vfnet_ip(const struct vfnet *n, char buf[16]);
/* "key=A.B.C.D" from the command line into *ip; false if absent/bad. */
bool vfnet_cmdline_ip(const char *key, ip4_addr_t *ip);

#endif
