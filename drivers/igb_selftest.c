// SPDX-License-Identifier: MIT
/*
 * The igb VF self-test: the hypervisor plays the guest and drives a VF
 * through lib/igbvf.c, the same code guests use.
 */
#define LOG_SUBSYS "igb"
#include "drivers/igb_selftest.h"
#include "drivers/pci_regs.h"
#include "iommu/iommu.h"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/selftest.h"
#include "kernel/timer.h"
#include "lib/igbvf.h"
#include "lib/string.h"

#define ARP_TIMEOUT_MS 3000
#define ARP_RETRY_MS 500

/* QEMU user-mode networking: the guest is 10.0.2.15, the gateway .2. */
static const u8 my_ip[4] = { 10, 0, 2, 15 };
static const u8 gw_ip[4] = { 10, 0, 2, 2 };

struct vf_ctx {
	volatile u8 *regs;
	struct igb_pf *pf;
};

static u32 vf_read32(void *ctx, u32 reg)
{
	return *(volatile u32 *)(((struct vf_ctx *)ctx)->regs + reg);
}

static void vf_write32(void *ctx, u32 reg, u32 v)
{
	*(volatile u32 *)(((struct vf_ctx *)ctx)->regs + reg) = v;
}

/*
 * While the VF waits, the PF side runs: from its interrupt (enabled for
 * the wait), or polled when MSI-X delivery did not work.
 */
static void vf_udelay(void *ctx, u32 us)
{
	struct igb_pf *pf = ((struct vf_ctx *)ctx)->pf;
	u64 flags;

	if (pf->irq_mode) {
		flags = irq_save();
		irq_enable();
		udelay(us);
		irq_restore(flags);
		return;
	}
	udelay(us);
	igb_pf_service(pf);
}

/* The hypervisor's IOMMU domain identity-maps RAM, so IOVA = PA. */
static u64 vf_dma_addr(void *ctx, const void *p)
{
	return virt_to_phys(p);
}

void igb_selftest_vf_bars(struct igb_pf *pf, struct pci_dev *first, u16 n)
{
	u32 pf_status = igb_rd(pf, IGB_STATUS), ok = 0, i;
	u32 st = 0;

	for (i = 0; i < n; i++) {
		struct pci_dev *vf = first + i;
		volatile u8 *r = mmio_map(vf->bar[0].base, vf->bar[0].size);

		if (!r)
			continue;
		st = *(volatile u32 *)(r + IGBVF_STATUS);
		/* The VF's STATUS mirrors the device's: all ones = no decode. */
		if (st != 0xffffffffu && st == pf_status)
			ok++;
		pr_info("VF%u %02x:%02x.%u BAR0 %#llx: STATUS %#x\n", i,
			vf->addr.bus, vf->addr.dev, vf->addr.fn, vf->bar[0].base, st);
	}
	selftest_check(ok == n && n, "igb VF BARs decode",
		       "%u of %u VFs answer through BAR0 (STATUS %#x, PF %#x)",
		       ok, n, st, pf_status);
}

static bool arp_test(struct igbvf *v)
{
	struct igbvf_arp_result r;
	int err = igbvf_arp(v, my_ip, gw_ip, time_ns,
			    ARP_TIMEOUT_MS * 1000000ull,
			    ARP_RETRY_MS * 1000000ull, &r);

	if (!err) {
		selftest_check(true, "igb VF ARP",
			       "10.0.2.2 is at %02x:%02x:%02x:%02x:%02x:%02x, %u request(s), %u frame(s), %llu us",
			       r.mac[0], r.mac[1], r.mac[2], r.mac[3], r.mac[4],
			       r.mac[5], r.sent, r.seen, r.elapsed_ns / 1000);
		return true;
	}
	if (r.tx_err)
		pr_err("VF TX failed (%d)\n", r.tx_err);
	else
		selftest_check(false, "igb VF ARP", "no reply from 10.0.2.2 in %u ms (%u requests, %u frames seen)",
			       ARP_TIMEOUT_MS, r.sent, r.seen);
	return false;
}

static void mailbox_tests(struct igbvf *v, struct igb_pf *pf, u16 idx)
{
	const u8 *want = pf->svc.vf[idx].mac;
	u32 irqs = pf->irqs, msgs = pf->svc.msgs;
	u8 spoof[6];
	int err;

	err = igbvf_reset(v);
	selftest_check(!err && !memcmp(v->mac, want, 6),
		       "igb VF mailbox reset",
		       "err %d, reply %#x, MAC %02x:%02x:%02x:%02x:%02x:%02x (assigned %02x:%02x:%02x:%02x:%02x:%02x)",
		       err, v->last_reply, v->mac[0], v->mac[1], v->mac[2],
		       v->mac[3], v->mac[4], v->mac[5], want[0], want[1],
		       want[2], want[3], want[4], want[5]);
	memcpy(spoof, want, 6);
	spoof[5] ^= 0x40;
	err = igbvf_set_mac(v, spoof);
	selftest_check(err == IGBVF_ENACK, "igb VF MAC anti-spoofing",
		       "SET_MAC of a foreign MAC -> %s (reply %#x)",
		       err == IGBVF_ENACK ? "NACK" : "not refused", v->last_reply);
	err = igbvf_set_mac(v, want);
	selftest_check(!err, "igb VF own MAC accepted",
		       "SET_MAC of the assigned MAC -> %s (reply %#x)",
		       err ? "refused" : "ACK", v->last_reply);
	selftest_check(pf->svc.msgs - msgs == 3 && (!pf->irq_mode || pf->irqs > irqs),
		       "igb PF mailbox served",
		       "%u messages %s (%u interrupts)", pf->svc.msgs - msgs,
		       pf->irq_mode ? "from the MSI-X interrupt" :
		       "by polling (no MSI-X delivery)", pf->irqs - irqs);
}

void igb_selftest_vf(struct igb_pf *pf, struct pci_dev *vf)
{
	struct iommu_domain *dom = iommu_hv_domain();
	u16 rid = pci_rid(vf->addr);
	struct vf_ctx ctx = { .pf = pf };
	struct igbvf_ops ops = {
		.read32 = vf_read32, .write32 = vf_write32,
		.udelay = vf_udelay, .dma_addr = vf_dma_addr, .ctx = &ctx,
	};
	struct igbvf v;
	u32 vflr_before;
	u64 mem;
	int err;

	pr_info("self-test on VF%u %02x:%02x.%u\n", vf->vf_index, vf->addr.bus,
		vf->addr.dev, vf->addr.fn);
	/* Before a VF is given out: FLR, then its own MEM/BME again. */
	pci_flr(vf);
	pci_enable_mem_dma(vf);
	igb_pf_service(pf);
	ctx.regs = mmio_map(vf->bar[0].base, vf->bar[0].size);
	mem = frame_alloc(IGBVF_MEM_SIZE / PAGE_SIZE);
	if (!ctx.regs || !mem) {
		selftest_check(false, "igb VF mailbox reset", "no memory (regs %p, mem %#llx)",
			       ctx.regs, mem);
		return;
	}
	err = dom ? iommu_attach(dom, vf->addr.segment, rid) : IOMMU_ENODEV;
	if (err == IOMMU_ENODEV)
		pr_info("no IOMMU: VF %02x:%02x.%u DMA is untranslated\n",
			vf->addr.bus, vf->addr.dev, vf->addr.fn);
	else if (err)
		pr_err("iommu_attach(%#x): %s\n", rid, iommu_strerror(err));
	else
		pr_info("VF %02x:%02x.%u (rid %#x) attached to the hypervisor's IOMMU domain\n",
			vf->addr.bus, vf->addr.dev, vf->addr.fn, rid);
	selftest_check(err == IOMMU_OK || err == IOMMU_ENODEV, "igb VF DMA domain",
		       "%s", err == IOMMU_OK ? "VT-d, hypervisor domain" :
		       err == IOMMU_ENODEV ? "no IOMMU, untranslated" :
		       iommu_strerror(err));

	igbvf_init(&v, &ops, phys_to_virt(mem));
	mailbox_tests(&v, pf, vf->vf_index);
	err = igbvf_rings_start(&v);
	if (err)
		selftest_check(false, "igb VF ARP", "rings did not start (%d)", err);
	else
		arp_test(&v);
	igbvf_stop(&v);

	/* Taken back: FLR; the PF must see the reset event (VFLRE). */
	vflr_before = pf->svc.vflr_events;
	pci_flr(vf);
	pci_enable_mem_dma(vf);
	igb_pf_service(pf);
	selftest_check(pf->svc.vflr_events > vflr_before && !pf->svc.vf[vf->vf_index].cts,
		       "igb VF FLR re-arms", "VFLRE seen %u time(s), handshake %s",
		       pf->svc.vflr_events - vflr_before,
		       pf->svc.vf[vf->vf_index].cts ? "still valid" : "required again");
	if (err == IOMMU_OK && dom)
		iommu_detach(dom, vf->addr.segment, rid);
	frame_free(mem, IGBVF_MEM_SIZE / PAGE_SIZE);
}
