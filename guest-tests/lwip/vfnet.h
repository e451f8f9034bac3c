/* SPDX-License-Identifier: MIT */
/*
 * An lwIP netif over the guest's igb VF (lib/igbvf.c), and the start-up
 * every network guest shares: find the VF on the virtual PCI bus, MSI-X,
 * mailbox reset, rings, netif, DHCP (with a static fallback from the
 * command line).
 *
 * Interrupt-driven: vfnet_wait() sleeps in `hlt` until the VF's queue
 * vector (RX and TX of queue 0, moderated by EITR), its mailbox vector or
 * the one-shot APIC timer set for lwIP's next timeout wakes it, then
 * drains the receive ring into lwIP and runs its timers. Polling (the
 * same loop, never sleeping) is the fallback when MSI-X cannot be used;
 * the console says so once and st.polled records it.
 */
#ifndef GUEST_LWIP_VFNET_H
#define GUEST_LWIP_VFNET_H

#include "guest-tests/rt/pci.h"
#include "lib/hv_abi.h"
#include "lib/igbvf.h"
#include "lwip/netif.h"

/* MSI-X entries the netif uses, and their guest vectors. */
#define VFNET_MSIX_QUEUE 0	/* queue 0 RX and TX completion */
#define VFNET_MSIX_MBX 1	/* PF mailbox: link and reset events */
#define VFNET_VEC_QUEUE 33	/* rt/start.S has stubs for 32..35 */
#define VFNET_VEC_MBX 34
/* Moderation of the queue vector: at most one interrupt per 50 us. */
#define VFNET_EITR_US 50

struct vfnet_stats {
	u64 rx_frames, rx_bytes, tx_frames, tx_bytes;
	u64 rx_nobuf;		/* dropped: no pbuf free (pool exhausted) */
	u64 rx_bad;		/* dropped: runt or oversized frame */
	u64 tx_err;		/* the VF did not send within its timeout */
	u64 irqs;		/* VF interrupts taken, both vectors */
	u64 irq_queue, irq_mbx;
	u64 sleeps;		/* hlt waits */
	u64 timer_fires;	/* one-shot timer interrupts (lwIP deadlines) */
	u64 link_changes;
	bool polled;		/* MSI-X unavailable: the polling fallback */
};

struct vfnet {
	struct netif netif;
	struct igbvf vf;
	u8 pci_dev;		/* its device number on the virtual bus */
	const struct hv_bi_dev *host;	/* host numbering, for the log */
	struct rt_msix msix;
	struct vfnet_stats st;
	u64 mbx_seen;		/* irq_mbx when the mailbox was last looked at */
	u64 timer_at;		/* the one-shot timer's deadline, 0 if idle */
	bool link;
	bool dhcp_bound;	/* false: static fallback or no address */
};

/* Brings up the VF and the netif; 0, or a message and -1. */
int vfnet_start(struct vfnet *n, const char *hostname);
/*
 * DHCP for up to "dhcp_ms=N" of the command line (10 s by default: QEMU's
 * server answers in ~1 s; a test with no server says less, to not wait
 * out 10 s); if no lease comes, the static "ip=A.B.C.D" (with "gw=" and a
 * /24 mask) of the command line, if any. 0 with an address, -1 without.
 */
int vfnet_dhcp(struct vfnet *n);
/* Received frames into lwIP, lwIP's timers, the link state; no wait. */
void vfnet_poll(struct vfnet *n);
/*
 * Sleeps until an interrupt, lwIP's next timeout or until_ns (rt_time_ns),
 * whichever is first (not at all when polled or a frame waits), then
 * vfnet_poll(). A guest's main loop calls it instead of vfnet_poll.
 */
void vfnet_wait(struct vfnet *n, u64 until_ns);
/* One line of counters on the console, prefixed by who. */
void vfnet_report(const struct vfnet *n, const char *who);
/* "a.b.c.d" of the netif's address into buf (16 bytes). */
const char *vfnet_ip(const struct vfnet *n, char buf[16]);
/* "NN:NN.N" of the VF as the host numbers it (16 bytes), for the log. */
const char *vfnet_host_bdf(const struct vfnet *n, char buf[16]);
/* "key=A.B.C.D" from the command line into *ip; false if absent/bad. */
bool vfnet_cmdline_ip(const char *key, ip4_addr_t *ip);

#endif
