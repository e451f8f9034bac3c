// SPDX-License-Identifier: MIT
/*
 * vfirq: finds its igb VF the way a guest on real hardware would, through
 * PCI config space (guest-tests/rt/pci.c; never the boot-info device list),
 * programs its three MSI-X vectors (RX, TX, mailbox), and resolves the QEMU
 * gateway 10.0.2.2 by ARP, sleeping in `hlt` until the RX interrupt says a
 * frame is there: the RX ring is read only after an RX interrupt. Exits 0
 * when the reply came by interrupt, 1 if not, 2 without a VF on its bus.
 *
 * With "hostile=1" it attacks its virtual bus instead (tests/boot/
 * vpci_msix.sh): a BAR outside the MMIO window, writes to hidden or
 * read-only registers, a nonexistent function, and MSI-X entries the VMM
 * must refuse (NMI delivery, a foreign APIC id, vector 0x0f). It exits 0
 * if each was refused as docs/vpci.md says and no interrupt came.
 */
#include "guest-tests/rt/pci.h"
#include "guest-tests/rt/rt.h"
#include "guest-tests/vf_mmio.h"
#include "lib/arp.h"
#include "lib/igbvf.h"

#define IGB_VENDOR 0x8086
#define IGB_VF_DEVICE 0x10ca
#define ARP_TIMEOUT_NS 3000000000ull
#define ARP_RETRY_NS 500000000ull
#define WAKE_HZ 20			/* timer: retries and the time limit */
#define MY_APIC_ID 0
/* Guest vectors of MSI-X entries 0 (RX), 1 (TX), 2 (mailbox). */
#define VEC_RX 33
#define VEC_TX 34
#define VEC_MBX 35
#define MSI_DELIVERY_NMI (4u << 8)	/* SDM Vol. 3A §11.11.2 */
#define BAR_OUTSIDE 0x80000000u		/* guest RAM's GiB, not the window */
#define BAR_MOVED 0xf0800000u		/* inside the window: allowed */
#define IGBVF_STATUS_OFF 0x8
#define PCIE_CAP_ID 0x10
#define ECAM_FIRST_ECAP 0x100

static const u8 my_ip[4] = { 10, 0, 2, 15 };
static const u8 gw_ip[4] = { 10, 0, 2, 2 };
static u8 dma_mem[IGBVF_MEM_SIZE] __aligned(4096);
static u8 frame[IGBVF_BUF];
static volatile u32 irqs[3];		/* RX, TX, mailbox */

static bool on_vector(struct rt_frame *f)
{
	irqs[f->vector - VEC_RX]++;
	wrmsr(HV_MSR_X2APIC_EOI, 0);
	return true;
}

static void wake_tick(void)
{
}

/* Type-1 enumeration of bus 0, each device checked against ECAM too. */
static int enumerate(void)
{
	int vf = -1;
	u8 dev;

	printf("vfirq: ECAM at GPA %#llx\n", rt_bi->ecam_gpa);
	for (dev = 0; dev < 32; dev++) {
		u32 id = rt_pci_read(dev, 0, RT_PCI_VENDOR, 4);
		u32 cls = rt_pci_read(dev, 0, RT_PCI_CLASS, 4) >> 8;

		if ((u16)id == 0xffff)
			continue;
		printf("vfirq: pci 00:%02x.0 %04x:%04x class %06x, ECAM %s\n",
		       dev, id & 0xffff, id >> 16, cls,
		       rt_pci_ecam_read(dev, 0, RT_PCI_VENDOR, 4) == id ?
		       "agrees" : "DISAGREES");
		if ((u16)id == IGB_VENDOR && id >> 16 == IGB_VF_DEVICE &&
		    vf < 0)
			vf = dev;
	}
	return vf;
}

static void msix_program(struct rt_msix *m)
{
	static const u8 vec[3] = { VEC_RX, VEC_TX, VEC_MBX };
	u16 i;

	for (i = 0; i < 3; i++) {
		rt_set_handler(vec[i], on_vector);
		rt_msix_set(m, i, RT_MSI_ADDR(MY_APIC_ID), vec[i]);
	}
	rt_msix_enable(m, true);
}

/* Sleeps until an RX interrupt beyond `seen` or the deadline. */
static bool wait_rx(u32 seen, u64 deadline)
{
	bool got;

	cli();
	for (; irqs[0] == seen && rt_time_ns() < deadline; cli())
		sti_hlt();
	got = irqs[0] != seen;
	sti();
	return got;
}

/* Reads the RX ring only when an RX interrupt said a frame is there. */
static int arp_by_irq(struct igbvf *vf, u8 mac[6])
{
	u64 t0 = rt_time_ns(), last = 0;
	u32 seen = irqs[0], sent = 0, frames = 0, len;

	while (rt_time_ns() - t0 < ARP_TIMEOUT_NS) {
		if (!sent || rt_time_ns() - last >= ARP_RETRY_NS) {
			len = arp_build_request(frame, vf->mac, my_ip, gw_ip);
			if (igbvf_send(vf, frame, len))
				return 1;
			last = rt_time_ns();
			sent++;
		}
		if (!wait_rx(seen, MIN(last + ARP_RETRY_NS, t0 + ARP_TIMEOUT_NS)))
			continue;
		seen = irqs[0];
		while ((len = igbvf_poll_rx(vf, frame, sizeof(frame)))) {
			frames++;
			if (arp_is_reply(frame, len, vf->mac, my_ip, gw_ip, mac)) {
				printf("vfirq: ARP reply after %u request(s), %u frame(s), %llu us\n",
				       sent, frames, (rt_time_ns() - t0) / 1000);
				return 0;
			}
		}
	}
	printf("vfirq: no ARP reply by interrupt (%u request(s), %u RX interrupts)\n",
	       sent, irqs[0]);
	return 1;
}

static int run_vf(u8 dev)
{
	struct rt_msix m;
	struct igbvf_ops ops;
	struct igbvf vf;
	u64 bar0, size;
	u8 mac[6];
	int err;

	if (!rt_pci_bar(dev, 0, &bar0, &size)) {
		printf("vfirq: BAR0 is not a memory BAR\n");
		return 1;
	}
	printf("vfirq: VF at 00:%02x.0, BAR0 at GPA %#llx (%llu KiB)\n", dev,
	       bar0, size >> 10);
	rt_pci_write(dev, 0, RT_PCI_COMMAND, 2,
		     RT_PCI_COMMAND_MEM | RT_PCI_COMMAND_MASTER);
	if (!rt_msix_init(&m, dev)) {
		printf("vfirq: no MSI-X capability\n");
		return 1;
	}
	printf("vfirq: MSI-X capability at %#x, %u vectors, table at GPA %#llx\n",
	       m.cap, m.nvec, (u64)m.table);
	vf_mmio_ops(&ops, bar0);
	igbvf_init(&vf, &ops, dma_mem);
	err = igbvf_reset(&vf);
	if (!err)
		err = igbvf_rings_start(&vf);
	if (err) {
		printf("vfirq: VF did not come up (%d)\n", err);
		return 1;
	}
	msix_program(&m);
	igbvf_irq_enable(&vf, 0, 1, 2);
	rt_timer_start(WAKE_HZ, wake_tick);
	sti();
	err = arp_by_irq(&vf, mac);
	cli();
	rt_timer_stop();
	igbvf_irq_disable(&vf);
	rt_msix_enable(&m, false);
	igbvf_stop(&vf);
	if (!err)
		printf("vfirq: 10.0.2.2 is at %02x:%02x:%02x:%02x:%02x:%02x\n",
		       mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	printf("vfirq: interrupts: %u RX, %u TX, %u mailbox; RX ring read only after an RX interrupt (no polling)\n",
	       irqs[0], irqs[1], irqs[2]);
	return err || !irqs[0];
}

/* ---- hostile=1 ------------------------------------------------------- */

static bool check(bool ok, const char *what)
{
	printf("vfirq: hostile: %s: %s\n", what, ok ? "refused" : "ALLOWED");
	return ok;
}

static bool attack_config(u8 dev)
{
	u16 pcie = rt_pci_find_cap(dev, PCIE_CAP_ID);
	u32 bar = rt_pci_read(dev, 0, RT_PCI_BAR0, 4), v;
	bool ok = true;

	rt_pci_write(dev, 0, RT_PCI_BAR0, 4, BAR_OUTSIDE);
	v = rt_pci_read(dev, 0, RT_PCI_BAR0, 4);
	ok &= check(*(volatile u32 *)(u64)(bar & RT_PCI_BAR_MEM_MASK) != 0xffffffffu,
		    "BAR0 at 0x80000000 (registers still at the old GPA)");
	printf("vfirq: hostile: BAR0 reads %#x after the write\n", v);
	rt_pci_write(dev, 0, RT_PCI_BAR0, 4, bar);
	/* A legal move: the registers follow to the new GPA. */
	rt_pci_write(dev, 0, RT_PCI_BAR0, 4, BAR_MOVED);
	v = *(volatile u32 *)(u64)(BAR_MOVED + IGBVF_STATUS_OFF);
	printf("vfirq: hostile: BAR0 moved to %#x inside the window: STATUS %#x there\n",
	       BAR_MOVED, v);
	ok &= v != 0xffffffffu;
	rt_pci_write(dev, 0, RT_PCI_BAR0, 4, bar);
	/* The first extended capability (AER, hidden) and a write to it. */
	rt_pci_ecam_write(dev, 0, ECAM_FIRST_ECAP + 4, 4, 0xffffffffu);
	v = rt_pci_ecam_read(dev, 0, ECAM_FIRST_ECAP + 4, 4);
	ok &= check(v == 0, "write to the hidden AER capability");
	/* PCIe Device Control (cap + 8): Initiate FLR (bit 15) must not reach
	 * the device, Max Payload Size is the VMM's. */
	if (pcie) {
		rt_pci_write(dev, 0, pcie + 8, 2, 0x80e0);
		v = rt_pci_read(dev, 0, pcie + 8, 2);
		ok &= check(!(v & 0x80e0), "FLR / MPS in PCIe Device Control");
	}
	rt_pci_write(dev, 1, RT_PCI_COMMAND, 2, RT_PCI_COMMAND_MEM);
	v = rt_pci_read(dev, 1, RT_PCI_VENDOR, 4);
	ok &= check(v == 0xffffffffu, "nonexistent function 1 of the VF");
	v = rt_pci_read(31, 0, RT_PCI_VENDOR, 4);
	ok &= check(v == 0xffffffffu, "nonexistent device 31");
	return ok;
}

static bool attack_msix(struct rt_msix *m, u8 dev, struct igbvf *vf)
{
	u32 v;
	bool ok = true;

	if (!rt_msix_init(m, dev))
		return check(false, "MSI-X capability present");
	rt_set_handler(VEC_RX, on_vector);
	rt_msix_set(m, 0, RT_MSI_ADDR(MY_APIC_ID), VEC_RX | MSI_DELIVERY_NMI);
	rt_msix_set(m, 1, RT_MSI_ADDR(1), VEC_RX);
	rt_msix_set(m, 2, RT_MSI_ADDR(MY_APIC_ID), 0x0f);
	rt_msix_enable(m, true);
	v = *(volatile u8 *)m->table;	/* a byte: refused, reads all ones */
	ok &= check(v == 0xff, "1-byte MSI-X table read");
	/* Fire each vector through the VF's cause-set register: refused
	 * entries are masked on the device, nothing may arrive. */
	vf->ops.write32(vf->ops.ctx, IGBVF_EICS, BIT(IGBVF_NVEC) - 1);
	sti();
	rt_timer_start(WAKE_HZ, wake_tick);
	hlt();
	hlt();
	rt_timer_stop();
	cli();
	ok &= check(irqs[0] == 0, "NMI, foreign APIC id and vector 0x0f entries");
	rt_msix_enable(m, false);
	return ok;
}

/*
 * Reads STATUS at BAR0 (so the TLB holds the page), moves BAR0 and reads
 * the old GPA again: the VMM flushed the nested TLB with the move, so that
 * read faults and stops us. Returning means the old mapping survived.
 */
static void stale_read(u8 dev, u64 bar0)
{
	volatile u32 *old = (volatile u32 *)(bar0 + IGBVF_STATUS_OFF);
	u32 v = *old;

	rt_pci_write(dev, 0, RT_PCI_BAR0, 4, BAR_MOVED);
	printf("vfirq: hostile: entry 0 live, BAR0 moved, now STATUS (%#x) at its old GPA %#llx\n",
	       v, bar0);
	v = *old;
	printf("vfirq: hostile: STALE MAPPING: STATUS %#x still at the old GPA\n", v);
}

static int hostile(u8 dev)
{
	struct igbvf_ops ops;
	struct igbvf vf;
	struct rt_msix m;
	u64 bar0, size;
	bool ok;

	if (!rt_pci_bar(dev, 0, &bar0, &size))
		return 1;
	ok = attack_config(dev);
	vf_mmio_ops(&ops, bar0);
	igbvf_init(&vf, &ops, dma_mem);
	ok &= igbvf_reset(&vf) == 0;	/* the mailbox would raise vector 2 */
	igbvf_irq_enable(&vf, 0, 1, 2);
	ok &= attack_msix(&m, dev, &vf);
	printf("vfirq: hostile: %s\n", ok ? "every attack refused" : "SOME ATTACK WORKED");
	if (!ok)
		return 1;
	/* Ends badly with a live entry: the VMM must mask and free it. */
	rt_msix_set(&m, 0, RT_MSI_ADDR(MY_APIC_ID), VEC_RX);
	rt_msix_enable(&m, true);
	stale_read(dev, bar0);
	return 1;
}

int guest_main(const struct hv_boot_info *bi)
{
	int dev;

	if (!bi->ecam_gpa) {
		printf("vfirq: no virtual PCI bus (boot info version %u)\n",
		       bi->version);
		return 2;
	}
	dev = enumerate();
	if (dev < 0) {
		printf("vfirq: no igb VF on the bus\n");
		return 2;
	}
	if (rt_cmdline_num("hostile", 0))
		return hostile((u8)dev);
	return run_vf((u8)dev);
}
