// SPDX-License-Identifier: MIT
/*
 * igb (82576) PF driver. Bring-up order (datasheet §4.6 initialization,
 * §7.10 virtualization): mask interrupts, CTRL.RST, mask again, read the
 * MAC from RAL0/RAH0, Set Link Up and wait for STATUS.LU, VMDq (MRQC,
 * VT_CTL), per-pool VMOLR, RX/TX enable, VFRE/VFTE cleared until each VF
 * completes its reset handshake, then CTRL_EXT.PFRSTD so the VFs see
 * "PF reset done" in their mailbox.
 */
#define LOG_SUBSYS "igb"
#include "drivers/igb.h"
#include "drivers/pci_regs.h"
#include "iommu/iommu.h"
#include "kernel/apic.h"
#include "kernel/cpu.h"
#include "kernel/trap.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/percpu.h"
#include "kernel/timer.h"
#include "lib/string.h"

/* x86 MSI address (SDM Vol. 3A §11.11.1): 0xfee, destination APIC id. */
#define MSI_ADDR_BASE 0xfee00000ull
#define MSI_ADDR_DEST_SHIFT 12

#define RESET_TIMEOUT_US 100000
#define LINK_TIMEOUT_US 3000000

static struct igb_pf *driven_pf;	/* one igb PF is driven today */

u32 igb_rd(const struct igb_pf *pf, u32 reg)
{
	return *(volatile u32 *)(pf->regs + reg);
}

static void igb_wr(struct igb_pf *pf, u32 reg, u32 v)
{
	*(volatile u32 *)(pf->regs + reg) = v;
}

/* The service pass reaches the registers through these. */
static u32 io_read32(void *pf, u32 reg)
{
	return igb_rd(pf, reg);
}

static void io_write32(void *pf, u32 reg, u32 v)
{
	igb_wr(pf, reg, v);
}

static void io_udelay(void *pf, u32 us)
{
	udelay(us);
}

static u64 io_now_ns(void *pf)
{
	return time_ns();
}

static void mask_irqs(struct igb_pf *pf)
{
	igb_wr(pf, IGB_IMC, 0xffffffffu);
	igb_wr(pf, IGB_EIMC, 0xffffffffu);
	(void)igb_rd(pf, IGB_ICR); /* clear pending causes */
}

static int reset(struct igb_pf *pf)
{
	u64 t0 = time_ns();
	u32 us;

	mask_irqs(pf);
	igb_wr(pf, IGB_CTRL, igb_rd(pf, IGB_CTRL) | (u32)IGB_CTRL_RST);
	/* §4.3.1: wait at least 1 us before polling; RST self-clears. */
	for (us = 0; us < RESET_TIMEOUT_US; us += 10) {
		udelay(10);
		if (!(igb_rd(pf, IGB_CTRL) & IGB_CTRL_RST))
			break;
	}
	if (us >= RESET_TIMEOUT_US) {
		pr_err("CTRL.RST did not clear in %u ms\n", RESET_TIMEOUT_US / 1000);
		return -1;
	}
	mask_irqs(pf);
	pr_info("PF reset in %llu us\n", (time_ns() - t0) / 1000);
	return 0;
}

static int read_mac(struct igb_pf *pf)
{
	u32 lo = igb_rd(pf, IGB_RAL(0)), hi = igb_rd(pf, IGB_RAH(0));
	u32 i;

	if (!(hi & IGB_RAH_AV)) {
		pr_err("RAH0.AV clear: no MAC address from the EEPROM\n");
		return -1;
	}
	for (i = 0; i < 4; i++)
		pf->mac[i] = (u8)(lo >> (8 * i));
	pf->mac[4] = (u8)hi;
	pf->mac[5] = (u8)(hi >> 8);
	return 0;
}

/* Writes a PHY register through MDIC (§8.2.4); bounded wait for READY. */
static int phy_write(struct igb_pf *pf, u32 reg, u16 val)
{
	u32 i, v = 0;

	igb_wr(pf, IGB_MDIC, IGB_MDIC_DATA(val) | IGB_MDIC_REG(reg) |
				     IGB_MDIC_PHY(IGB_PHY_ADDR) | IGB_MDIC_OP_WRITE);
	for (i = 0; i < 1000; i++) {
		v = igb_rd(pf, IGB_MDIC);
		if (v & IGB_MDIC_READY)
			break;
		udelay(10);
	}
	if (!(v & IGB_MDIC_READY) || (v & IGB_MDIC_ERROR)) {
		pr_warn("PHY register %u write failed (MDIC %#x)\n", reg, v);
		return -1;
	}
	return 0;
}

/*
 * Link: Set Link Up, then restart auto-negotiation in the PHY so the MAC
 * learns the result (after CTRL.RST the PHY does not renegotiate by
 * itself); STATUS.LU follows when negotiation completes.
 */
static int link_up(struct igb_pf *pf)
{
	u64 t0 = time_ns();
	u32 us;

	igb_wr(pf, IGB_CTRL, igb_rd(pf, IGB_CTRL) | (u32)IGB_CTRL_SLU);
	if (!(igb_rd(pf, IGB_STATUS) & IGB_STATUS_LU))
		phy_write(pf, MII_BMCR, (u16)(MII_BMCR_AUTOEN | MII_BMCR_ANRESTART |
					      MII_BMCR_FD | MII_BMCR_SPEED1000));
	for (us = 0; us < LINK_TIMEOUT_US; us += 1000) {
		if (igb_rd(pf, IGB_STATUS) & IGB_STATUS_LU)
			break;
		udelay(1000);
	}
	if (us >= LINK_TIMEOUT_US) {
		pr_warn("link still down after %u ms; continuing\n",
			LINK_TIMEOUT_US / 1000);
		return -1;
	}
	pr_info("link up after %llu ms, STATUS %#x\n",
		(time_ns() - t0) / 1000000, igb_rd(pf, IGB_STATUS));
	return 0;
}

/*
 * VMDq (§7.10.3): pools 0..num_vfs-1 belong to the VFs (VF n owns queues
 * n and n + 8); the PF receives nothing itself yet, so the default pool
 * is disabled and an unmatched unicast frame is dropped, not spilled into
 * some VF.
 */
static void setup_vmdq(struct igb_pf *pf)
{
	u32 i;

	igb_wr(pf, IGB_VFRE, 0);
	igb_wr(pf, IGB_VFTE, 0);
	igb_wr(pf, IGB_MRQC, IGB_MRQC_VMDQ);
	igb_wr(pf, IGB_VT_CTL, (u32)(IGB_VT_CTL_DIS_DEF_POOL | IGB_VT_CTL_RPL_EN));
	/* Guests on two VFs of this port reach each other through the NIC. */
	igb_wr(pf, IGB_DTXSWC, (u32)IGB_DTXSWC_VMDQ_LOOPBACK_EN);
	for (i = 0; i < IGB_MAX_VFS; i++)
		igb_wr(pf, IGB_VMOLR(i), (u32)IGB_VMOLR_STRCRC |
			   IGB_VMOLR_RLPML(IGB_DEFAULT_FRAME));
	/* RAR 0 keeps the PF MAC; entries 1..8 are VF MACs. */
	for (i = 1; i < IGB_RAR_ENTRIES; i++) {
		igb_wr(pf, IGB_RAH(i), 0);
		igb_wr(pf, IGB_RAL(i), 0);
	}
	for (i = 0; i < 128; i++)
		igb_wr(pf, IGB_MTA(i), 0);
	for (i = 0; i < IGB_VLVF_ENTRIES; i++)
		igb_wr(pf, IGB_VLVF(i), 0);
	igb_wr(pf, IGB_MBVFIMR, (u32)((1u << pf->num_vfs) - 1));
	igb_wr(pf, IGB_RCTL, (u32)(IGB_RCTL_EN | IGB_RCTL_BAM | IGB_RCTL_SECRC));
	igb_wr(pf, IGB_TCTL, igb_rd(pf, IGB_TCTL) | (u32)(IGB_TCTL_EN | IGB_TCTL_PSP));
}

/*
 * The hypervisor drives the PF itself, so its requests (none yet: the PF
 * has no queues of its own) go through the hypervisor's IOMMU domain.
 */
static void attach_iommu(struct pci_dev *dev)
{
	struct iommu_domain *dom = iommu_hv_domain();
	int err = dom ? iommu_attach(dom, dev->addr.segment, pci_rid(dev->addr))
		      : IOMMU_ENODEV;

	if (err == IOMMU_ENODEV)
		pr_info("no IOMMU: PF DMA is untranslated\n");
	else if (err)
		pr_err("PF iommu_attach: %s\n", iommu_strerror(err));
	else
		pr_info("PF attached to the hypervisor's IOMMU domain\n");
}

int igb_pf_init(struct igb_pf *pf, struct pci_dev *dev, u16 num_vfs)
{
	const struct pci_bar *b = &dev->bar[0];
	struct igb_io io = { io_read32, io_write32, io_udelay, io_now_ns, pf };
	u16 cmd;

	memset(pf, 0, sizeof(*pf));
	pf->dev = dev;
	pf->num_vfs = MIN(num_vfs, IGB_MAX_VFS);
	if (b->type != PCI_BAR_MEM32 && b->type != PCI_BAR_MEM64) {
		pr_err("BAR0 is not a memory BAR\n");
		return -1;
	}
	pf->regs = mmio_map(b->base, b->size);
	if (!pf->regs) {
		pr_err("cannot map BAR0 %#llx\n", b->base);
		return -1;
	}
	/* Bus mastering: descriptors and the VFs' DMA need it on the PF. */
	cmd = pci_cfg_read16(dev->addr, PCI_COMMAND);
	pci_cfg_write16(dev->addr, PCI_COMMAND,
			cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	if (igb_rd(pf, IGB_STATUS) == 0xffffffffu) {
		pr_err("BAR0 reads all ones: device not answering\n");
		return -1;
	}
	attach_iommu(dev);
	if (reset(pf) || read_mac(pf))
		return -1;
	link_up(pf);
	setup_vmdq(pf);
	igb_service_init(&pf->svc, &io, pf->num_vfs, pf->mac);
	/* §7.10.2.9.1: from now on VFs see RSTD and may talk to us. */
	igb_wr(pf, IGB_CTRL_EXT, igb_rd(pf, IGB_CTRL_EXT) | (u32)IGB_CTRL_EXT_PFRSTD);
	pf->up = true;
	driven_pf = pf;
	igb_pf_setup_irq(pf);
	pr_info("PF %02x:%02x.%u up: MAC %02x:%02x:%02x:%02x:%02x:%02x, %u VF pools, PFRSTD set, mailbox %s\n",
		dev->addr.bus, dev->addr.dev, dev->addr.fn, pf->mac[0],
		pf->mac[1], pf->mac[2], pf->mac[3], pf->mac[4], pf->mac[5],
		pf->num_vfs, pf->irq_mode ? "on MSI-X" : "polled");
	return 0;
}

/* ---- servicing the VFs ------------------------------------------------- */

void igb_pf_service(struct igb_pf *pf)
{
	u64 flags;

	if (!pf->up)
		return;
	/* The interrupt handler runs a pass too, on this CPU. */
	flags = irq_save();
	igb_service_pass(&pf->svc);
	irq_restore(flags);
}

void igb_pf_poll(void)
{
	struct igb_pf *pf = driven_pf;
	u64 now;

	if (!pf || !pf->up)
		return;
	now = time_ns();
	if (now - pf->last_poll_ns < IGB_POLL_PERIOD_US * 1000ull)
		return;
	pf->last_poll_ns = now;
	if (!pf->irq_mode && !pf->poll_announced) {
		pf->poll_announced = true;
		pr_warn("PF mailbox and VF reset events polled every %u ms on cpu%u while guests run: mailbox interrupt unavailable (%s)\n",
			IGB_POLL_PERIOD_US / 1000, this_cpu()->index,
			pf->no_irq_reason);
	}
	igb_pf_service(pf);
}

/* ---- the PF interrupt (MSI-X vector 0, §7.3) --------------------------- */

#define IRQ_TEST_US 50000

static void igb_irq(struct regs *regs)
{
	struct igb_pf *pf = driven_pf;

	if (!pf)
		return;
	pf->irqs++;
	/* GPIE.NSICR: reading ICR clears it, so the next VMMB raises anew. */
	(void)igb_rd(pf, IGB_ICR);
	igb_wr(pf, IGB_EICR, 1);
	if (pf->up)
		igb_service_pass(&pf->svc);
}

/*
 * MSI address/data for our vector: remapped when there is an IOMMU. An
 * IOMMU that does not remap interrupts gets no compatibility-format MSI:
 * the PF's interrupt would be as unconfined as every guest VF's DMA
 * write to 0xfeexxxxx. NULL, or why there is no message.
 */
static const char *msi_message(struct igb_pf *pf, u64 *addr, u32 *data)
{
	struct iommu_irq_target t = { .dest_apic_id = apic_id(),
				      .vector = pf->vector };
	struct iommu_msi msi;
	int h, err;

	if (!iommu_present()) {
		if (t.dest_apic_id > 255)
			return "APIC id above 255 needs interrupt remapping";
		*addr = MSI_ADDR_BASE | (u64)t.dest_apic_id << MSI_ADDR_DEST_SHIFT;
		*data = pf->vector;
		return NULL;
	}
	h = iommu_irq_alloc(pf->dev->addr.segment, pci_rid(pf->dev->addr));
	if (h == IOMMU_ENODEV)
		return "no interrupt remapping";
	err = h < 0 ? h : iommu_irq_program(h, &t, &msi);
	if (err)
		return iommu_strerror(err);
	*addr = msi.address;
	*data = msi.data;
	return NULL;
}

static volatile u32 *msix_entry0(struct igb_pf *pf)
{
	struct pci_dev *d = pf->dev;
	u32 tbl = pci_cfg_read32(d->addr, d->cap_msix + PCI_MSIX_TABLE);
	const struct pci_bar *b = &d->bar[tbl & PCI_MSIX_BIR];
	u8 *p;

	if ((tbl & PCI_MSIX_BIR) > 5 || !b->size ||
	    (b->type != PCI_BAR_MEM32 && b->type != PCI_BAR_MEM64))
		return NULL;
	p = mmio_map(b->base, b->size);
	return p ? (volatile u32 *)(p + (tbl & ~7u)) : NULL;
}

/*
 * Wires ICR.VMMB ("other" causes) to MSI-X vector 0 and checks delivery
 * with a self-raised cause (ICS); falls back to polling if it does not
 * arrive within 50 ms.
 */
void igb_pf_setup_irq(struct igb_pf *pf)
{
	struct pci_dev *d = pf->dev;
	volatile u32 *e;
	u64 addr = 0, t0, flags;
	u32 data = 0;
	u16 ctl;

	pf->irq_mode = false;
	if (!d->cap_msix) {
		pf->no_irq_reason = "no MSI-X capability";
		goto poll;
	}
	if (!(pf->vector = irq_alloc_vector(igb_irq))) {
		pf->no_irq_reason = "no free interrupt vector";
		goto poll;
	}
	e = msix_entry0(pf);
	pf->no_irq_reason = e ? msi_message(pf, &addr, &data) :
				"MSI-X table not mapped";
	if (pf->no_irq_reason)
		goto poll;
	e[0] = (u32)addr;
	e[1] = (u32)(addr >> 32);
	e[2] = data;
	e[3] = 0; /* unmasked */
	ctl = pci_cfg_read16(d->addr, d->cap_msix + PCI_MSIX_FLAGS);
	pci_cfg_write16(d->addr, d->cap_msix + PCI_MSIX_FLAGS,
			(ctl | PCI_MSIX_FLAGS_ENABLE) & ~PCI_MSIX_FLAGS_MASKALL);
	pci_cfg_write16(d->addr, PCI_COMMAND, pci_cfg_read16(d->addr, PCI_COMMAND) |
						      PCI_COMMAND_INTX_DISABLE);
	igb_wr(pf, IGB_GPIE, (u32)(IGB_GPIE_MSIX_MODE | IGB_GPIE_NSICR));
	igb_wr(pf, IGB_IVAR_MISC, IGB_IVAR_MISC_OTHER(0));
	igb_wr(pf, IGB_EIAC, 1);
	igb_wr(pf, IGB_EIMS, 1);
	igb_wr(pf, IGB_IMS, (u32)IGB_ICR_VMMB);

	t0 = time_ns();
	flags = irq_save();
	irq_enable();
	igb_wr(pf, IGB_ICS, (u32)IGB_ICR_VMMB);
	while (!pf->irqs && time_ns() - t0 < IRQ_TEST_US * 1000ull)
		cpu_relax();
	irq_restore(flags);
	if (pf->irqs) {
		pf->irq_mode = true;
		pr_info("mailbox interrupt: MSI-X vector 0 -> vector %#x (MSI %#llx/%#x%s), test interrupt in %llu us\n",
			pf->vector, addr, data,
			iommu_present() ? ", remapped" : "",
			(time_ns() - t0) / 1000);
		return;
	}
	igb_wr(pf, IGB_IMC, (u32)IGB_ICR_VMMB);
	igb_wr(pf, IGB_EIMC, 1);
	pf->no_irq_reason = "test interrupt not delivered";
poll:
	pr_warn("mailbox interrupt unavailable: %s\n", pf->no_irq_reason);
}
