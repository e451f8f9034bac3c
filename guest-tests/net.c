// SPDX-License-Identifier: MIT
/*
 * net: drives the igb VF the VMM assigned to it, with the same VF driver
 * core the hypervisor's self-test uses (lib/igbvf.c): mailbox reset and
 * MAC from the PF, one TX and one RX ring in its own RAM (DMA addresses
 * are guest-physical; VT-d translates them with the guest's memory map),
 * then an ARP request for the QEMU user-net gateway 10.0.2.2. Exits 0 when
 * the reply arrives, 1 if it does not, 2 without a VF.
 *
 * With "dma_outside=N" on its command line it misbehaves instead: it points
 * a transmit descriptor outside its RAM, at target N of outside_gpa[]
 * below. VT-d must block that read and the VMM must stop this guest (and
 * only this guest). "dma_rx_outside=N" does the same with its receive
 * buffers: the gateway's ARP reply is then written to target N. Into
 * 0xFEEx_xxxx a DMA write is an interrupt request, not memory: interrupt
 * remapping must refuse it (no IRTE of this VF's requester id is there)
 * and nothing may be delivered anywhere.
 */
#include "guest-tests/rt/rt.h"
#include "guest-tests/vf_mmio.h"
#include "lib/arp.h"
#include "lib/igbvf.h"

#define ARP_TIMEOUT_NS 3000000000ull
#define ARP_RETRY_NS 500000000ull

static const u8 my_ip[4] = { 10, 0, 2, 15 };
static const u8 gw_ip[4] = { 10, 0, 2, 2 };

/* Rings and buffers: DMA-reachable guest RAM (the ELF's .bss). */
static u8 dma_mem[IGBVF_MEM_SIZE] __aligned(4096);
static u8 frame[IGBVF_BUF];

/*
 * Where a misbehaving guest sends its VF. None of these is in its domain,
 * whatever the host has at the same address: the hypervisor's own memory,
 * another guest's, the VT-d unit's or the local APIC's registers.
 */
static const u64 outside_gpa[] = {
	0,
	0x40000000ull,		/* 1: 1 GiB, beyond its RAM */
	0x100000000ull,		/* 2: 4 GiB */
	0xfed90000ull,		/* 3: where q35's VT-d registers are */
	0xfee00000ull,		/* 4: the local APIC / MSI address range */
	0xfffff000ull,		/* 5: the last page below 4 GiB */
};
static u64 dma_target;
static u64 (*own_dma_addr)(void *ctx, const void *p);

static u64 vf_dma_outside(void *ctx, const void *p)
{
	return dma_target;
}

/* Rings and the TX buffer where they are; every RX buffer at the target. */
static u64 vf_rx_outside(void *ctx, const void *p)
{
	if ((const u8 *)p >= dma_mem + IGBVF_MEM_RX_BUF)
		return dma_target;
	return own_dma_addr(ctx, p);
}

/* Transmits from outside its memory; the VMM should stop us meanwhile. */
static int dma_outside(struct igbvf *vf)
{
	u64 t0 = rt_time_ns();
	u32 len = arp_build_request(frame, vf->mac, my_ip, gw_ip);

	printf("net: transmitting from GPA %#llx, outside my RAM\n",
	       dma_target);
	vf->ops.dma_addr = vf_dma_outside;
	igbvf_send(vf, frame, len);
	while (rt_time_ns() - t0 < ARP_TIMEOUT_NS)
		;
	printf("net: still running 3 s after the bad DMA\n");
	return 1;
}

/* Receives into outside memory: re-arms the RX ring, asks the gateway. */
static int dma_rx_outside(struct igbvf *vf)
{
	u32 len = arp_build_request(frame, vf->mac, my_ip, gw_ip);
	u64 t0 = rt_time_ns(), last = 0;
	u32 sent = 0;

	printf("net: receiving into GPA %#llx, outside my RAM\n", dma_target);
	own_dma_addr = vf->ops.dma_addr;
	vf->ops.dma_addr = vf_rx_outside;
	if (igbvf_rings_start(vf))
		return 1;
	while (rt_time_ns() - t0 < ARP_TIMEOUT_NS) {
		if (rt_time_ns() - last >= ARP_RETRY_NS) {
			igbvf_send(vf, frame, len);
			last = rt_time_ns();
			sent++;
		}
	}
	printf("net: still running 3 s after %u request(s) into the bad buffer\n",
	       sent);
	return 1;
}

static const struct hv_bi_dev *find_vf(const struct hv_boot_info *bi)
{
	u32 i;

	for (i = 0; i < bi->ndev; i++)
		if (bi->dev[i].kind == HV_BI_DEV_VF)
			return &bi->dev[i];
	return NULL;
}

static int arp_gateway(struct igbvf *vf)
{
	struct igbvf_arp_result r;
	int err = igbvf_arp(vf, my_ip, gw_ip, rt_time_ns, ARP_TIMEOUT_NS,
			    ARP_RETRY_NS, &r);

	if (!err) {
		printf("net: 10.0.2.2 is at %02x:%02x:%02x:%02x:%02x:%02x (%u request(s), %u frame(s), %llu us)\n",
		       r.mac[0], r.mac[1], r.mac[2], r.mac[3], r.mac[4],
		       r.mac[5], r.sent, r.seen, r.elapsed_ns / 1000);
		return 0;
	}
	if (r.tx_err)
		printf("net: transmit failed\n");
	else
		printf("net: no ARP reply from 10.0.2.2 (%u request(s), %u frame(s))\n",
		       r.sent, r.seen);
	return 1;
}

/* Picks a target from the command line; *which is 0 without one. */
static int pick_target(const char *key, u64 *which)
{
	*which = (u64)rt_cmdline_num(key, 0);
	if (*which >= ARRAY_SIZE(outside_gpa)) {
		printf("net: %s=%llu: no such target\n", key, *which);
		return -1;
	}
	dma_target = outside_gpa[*which];
	return 0;
}

static int attack_or_arp(struct igbvf *vf)
{
	u64 tx, rx;
	int err;

	if (pick_target("dma_outside", &tx))
		return 3;
	if (tx)
		return dma_outside(vf);
	if (pick_target("dma_rx_outside", &rx))
		return 3;
	if (rx)
		return dma_rx_outside(vf);
	err = arp_gateway(vf);
	igbvf_stop(vf);
	return err;
}

int guest_main(const struct hv_boot_info *bi)
{
	const struct hv_bi_dev *d = find_vf(bi);
	struct igbvf_ops ops;
	struct igbvf vf;
	int err;

	if (!d) {
		printf("net: no VF in the boot info (%u device(s))\n", bi->ndev);
		return 2;
	}
	printf("net: VF %02x:%02x.%u, registers at GPA %#llx (%llu KiB)\n",
	       d->bus, d->dev, d->fn, d->mmio_gpa, d->mmio_size >> 10);
	vf_mmio_ops(&ops, d->mmio_gpa);
	igbvf_init(&vf, &ops, dma_mem);
	err = igbvf_reset(&vf);
	if (err) {
		printf("net: mailbox reset failed (%d)\n", err);
		return 1;
	}
	printf("net: MAC %02x:%02x:%02x:%02x:%02x:%02x from the PF\n",
	       vf.mac[0], vf.mac[1], vf.mac[2], vf.mac[3], vf.mac[4],
	       vf.mac[5]);
	err = igbvf_rings_start(&vf);
	if (err) {
		printf("net: rings did not start (%d)\n", err);
		return 1;
	}
	return attack_or_arp(&vf);
}
