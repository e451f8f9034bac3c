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
#include "kernel/timer.h"
#include "lib/string.h"

#define RESET_TIMEOUT_US 100000
#define LINK_TIMEOUT_US 3000000
#define MBX_LOCK_TRIES 10
#define DEFAULT_FRAME 1522	/* 1518 + one VLAN tag */

u32 igb_rd(const struct igb_pf *pf, u32 reg)
{
	return *(volatile u32 *)(pf->regs + reg);
}

static void igb_wr(struct igb_pf *pf, u32 reg, u32 v)
{
	*(volatile u32 *)(pf->regs + reg) = v;
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
	for (i = 0; i < IGB_MAX_VFS; i++)
		igb_wr(pf, IGB_VMOLR(i), (u32)IGB_VMOLR_STRCRC |
			   IGB_VMOLR_RLPML(DEFAULT_FRAME));
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
	u16 cmd;
	u32 i;

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
	for (i = 0; i < pf->num_vfs; i++) {
		pf->vf[i].index = (u16)i;
		igb_vf_mac(pf->mac, (u16)i, pf->vf[i].mac);
	}
	/* §7.10.2.9.1: from now on VFs see RSTD and may talk to us. */
	igb_wr(pf, IGB_CTRL_EXT, igb_rd(pf, IGB_CTRL_EXT) | (u32)IGB_CTRL_EXT_PFRSTD);
	pf->up = true;
	igb_pf_setup_irq(pf);
	pr_info("PF %02x:%02x.%u up: MAC %02x:%02x:%02x:%02x:%02x:%02x, %u VF pools, PFRSTD set, mailbox %s\n",
		dev->addr.bus, dev->addr.dev, dev->addr.fn, pf->mac[0],
		pf->mac[1], pf->mac[2], pf->mac[3], pf->mac[4], pf->mac[5],
		pf->num_vfs, pf->irq_mode ? "on MSI-X" : "polled");
	return 0;
}

/* ---- applying mailbox actions to the hardware ------------------------- */

static void apply_reset(struct igb_pf *pf, u16 v)
{
	const u8 *m = pf->vf[v].mac;
	u32 bit = 1u << v;

	igb_wr(pf, IGB_RAL(1 + v), (u32)m[0] | (u32)m[1] << 8 |
				       (u32)m[2] << 16 | (u32)m[3] << 24);
	igb_wr(pf, IGB_RAH(1 + v), (u32)m[4] | (u32)m[5] << 8 |
				       (u32)(IGB_RAH_AV | IGB_RAH_POOL(v)));
	igb_wr(pf, IGB_VMOLR(v), (u32)(IGB_VMOLR_STRCRC | IGB_VMOLR_AUPE |
				       IGB_VMOLR_BAM) |
				      IGB_VMOLR_RLPML(DEFAULT_FRAME));
	igb_wr(pf, IGB_VFRE, igb_rd(pf, IGB_VFRE) | bit);
	igb_wr(pf, IGB_VFTE, igb_rd(pf, IGB_VFTE) | bit);
}

/* The MTA is shared by all pools: a VF's hashes add bits, ROMPE lets the
 * pool accept them (§7.10.3.4). Bits other VFs set are left alone. */
static void apply_multicast(struct igb_pf *pf, u16 v)
{
	const struct igb_vf_state *s = &pf->vf[v];
	u32 i, vmolr = igb_rd(pf, IGB_VMOLR(v));

	for (i = 0; i < s->nmc; i++) {
		u32 h = s->mc_hash[i] & 0xfff;

		igb_wr(pf, IGB_MTA(h >> 5), igb_rd(pf, IGB_MTA(h >> 5)) | 1u << (h & 31));
	}
	if (s->nmc)
		vmolr |= (u32)IGB_VMOLR_ROMPE;
	else
		vmolr &= ~(u32)IGB_VMOLR_ROMPE;
	igb_wr(pf, IGB_VMOLR(v), vmolr);
}

static void apply_vlan(struct igb_pf *pf, u16 v)
{
	const struct igb_vf_state *s = &pf->vf[v];
	u32 i, j;

	for (i = 0; i < IGB_VLVF_ENTRIES; i++) {
		u32 e = igb_rd(pf, IGB_VLVF(i)) & ~(u32)IGB_VLVF_POOL(v);

		if (!(e & GENMASK(19, 12)))
			e = 0;
		igb_wr(pf, IGB_VLVF(i), e);
	}
	for (j = 0; j < s->nvlans; j++) {
		int free = -1;

		for (i = 0; i < IGB_VLVF_ENTRIES; i++) {
			u32 e = igb_rd(pf, IGB_VLVF(i));

			if ((e & IGB_VLVF_VIEN) && (e & 0xfff) == s->vlans[j])
				break;
			if (!(e & IGB_VLVF_VIEN) && free < 0)
				free = (int)i;
		}
		if (i == IGB_VLVF_ENTRIES) {
			if (free < 0) {
				pr_warn("VF%u: VLVF full, VLAN %u not filtered\n", v,
					s->vlans[j]);
				continue;
			}
			i = (u32)free;
			igb_wr(pf, IGB_VLVF(i), (u32)IGB_VLVF_VIEN | s->vlans[j]);
		}
		igb_wr(pf, IGB_VLVF(i), igb_rd(pf, IGB_VLVF(i)) | (u32)IGB_VLVF_POOL(v));
	}
}

static void apply_lpe(struct igb_pf *pf, u16 v)
{
	u16 f = pf->vf[v].max_frame ? pf->vf[v].max_frame : DEFAULT_FRAME;
	u32 vmolr = igb_rd(pf, IGB_VMOLR(v)) & ~(u32)(0x3fff | IGB_VMOLR_LPE);

	vmolr |= IGB_VMOLR_RLPML(f);
	if (f > DEFAULT_FRAME)
		vmolr |= (u32)IGB_VMOLR_LPE;
	igb_wr(pf, IGB_VMOLR(v), vmolr);
}

/* ---- the mailbox (§7.10.2.9) ------------------------------------------ */

/* Takes the buffer: PFU sticks only while the VF does not hold VFU. */
static bool mbx_lock(struct igb_pf *pf, u16 v)
{
	u32 i;

	for (i = 0; i < MBX_LOCK_TRIES; i++) {
		igb_wr(pf, IGB_P2VMAILBOX(v), (u32)IGB_P2VMAILBOX_PFU);
		if (igb_rd(pf, IGB_P2VMAILBOX(v)) & IGB_P2VMAILBOX_PFU)
			return true;
		udelay(10);
	}
	return false;
}

static void handle_msg(struct igb_pf *pf, u16 v)
{
	struct igb_vf_state *s = &pf->vf[v];
	struct igb_mbx_result r;
	u32 msg[IGB_MBX_WORDS], i;

	if (!mbx_lock(pf, v)) {
		pr_warn("VF%u: mailbox held by the VF, message left for later\n", v);
		return;
	}
	for (i = 0; i < IGB_MBX_WORDS; i++)
		msg[i] = igb_rd(pf, IGB_VMBMEM(v) + 4 * i);
	igb_wr(pf, IGB_MBVFICR, (u32)IGB_MBVFICR_VFREQ(v));
	/* ACK without PFU: acknowledges and releases the buffer. */
	igb_wr(pf, IGB_P2VMAILBOX(v), (u32)IGB_P2VMAILBOX_ACK);
	pf->msgs++;

	igb_mbx_handle(s, msg, IGB_MBX_WORDS, &r);
	if (r.actions & IGB_ACT_RESET)
		apply_reset(pf, v);
	if (r.actions & IGB_ACT_MULTICAST)
		apply_multicast(pf, v);
	if (r.actions & IGB_ACT_VLAN)
		apply_vlan(pf, v);
	if (r.actions & IGB_ACT_LPE)
		apply_lpe(pf, v);
	if (!r.nack)
		pr_info("VF%u: %s -> ACK\n", v, igb_msg_name(msg[0]));

	if (!mbx_lock(pf, v)) {
		pr_warn("VF%u: cannot take the mailbox to reply to %s\n", v,
			igb_msg_name(msg[0]));
		return;
	}
	igb_wr(pf, IGB_MBVFICR, (u32)IGB_MBVFICR_VFACK(v));
	for (i = 0; i < r.reply_len; i++)
		igb_wr(pf, IGB_VMBMEM(v) + 4 * i, r.reply[i]);
	/* STS without PFU: message ready, buffer released. */
	igb_wr(pf, IGB_P2VMAILBOX(v), (u32)IGB_P2VMAILBOX_STS);
}

/*
 * A VF reset (VTCTRL.RST) or FLR clears its VFRE/VFTE and sets its VFLRE
 * bit (§8.14.7): forget the handshake, so only RESET is accepted until the
 * VF asks again.
 */
static void handle_vflr(struct igb_pf *pf, u32 vflre)
{
	u16 v;

	igb_wr(pf, IGB_VFLRE, vflre);
	for (v = 0; v < pf->num_vfs; v++) {
		if (!(vflre & (1u << v)))
			continue;
		pf->vf[v].cts = false;
		pf->vflr_events++;
		igb_wr(pf, IGB_RAH(1 + v), 0);
		igb_wr(pf, IGB_VFRE, igb_rd(pf, IGB_VFRE) & ~(1u << v));
		igb_wr(pf, IGB_VFTE, igb_rd(pf, IGB_VFTE) & ~(1u << v));
		pr_info("VF%u: reset event (VFLRE), RX/TX off until RESET handshake\n", v);
	}
}

static void service(struct igb_pf *pf)
{
	u32 vflre, icr;
	u16 v;

	vflre = igb_rd(pf, IGB_VFLRE) & ((1u << pf->num_vfs) - 1);
	if (vflre)
		handle_vflr(pf, vflre);
	icr = igb_rd(pf, IGB_MBVFICR);
	for (v = 0; v < pf->num_vfs; v++) {
		if (icr & IGB_MBVFICR_VFREQ(v))
			handle_msg(pf, v);
		if (icr & IGB_MBVFICR_VFACK(v))
			igb_wr(pf, IGB_MBVFICR, (u32)IGB_MBVFICR_VFACK(v));
	}
}

void igb_pf_service(struct igb_pf *pf)
{
	u64 flags;

	if (!pf->up)
		return;
	/* The interrupt handler runs service() too, on this CPU. */
	flags = irq_save();
	service(pf);
	irq_restore(flags);
}

/* ---- the PF interrupt (MSI-X vector 0, §7.3) --------------------------- */

#define IRQ_TEST_US 50000

static struct igb_pf *irq_pf;	/* one igb PF is driven today */

static void igb_irq(struct regs *regs)
{
	struct igb_pf *pf = irq_pf;

	if (!pf)
		return;
	pf->irqs++;
	/* GPIE.NSICR: reading ICR clears it, so the next VMMB raises anew. */
	(void)igb_rd(pf, IGB_ICR);
	igb_wr(pf, IGB_EICR, 1);
	if (pf->up)
		service(pf);
}

/* MSI address/data for our vector: remapped when there is an IOMMU. */
static int msi_message(struct igb_pf *pf, u64 *addr, u32 *data)
{
	struct iommu_irq_target t = { .dest_apic_id = apic_id(),
				      .vector = pf->vector };
	struct iommu_msi msi;
	int h, err;

	if (!iommu_present()) {
		if (t.dest_apic_id > 255)
			return -1; /* needs remapping to reach */
		*addr = 0xfee00000ull | (u64)t.dest_apic_id << 12;
		*data = pf->vector;
		return 0;
	}
	h = iommu_irq_alloc(pf->dev->addr.segment, pci_rid(pf->dev->addr));
	err = h < 0 ? h : iommu_irq_program(h, &t, &msi);
	if (err) {
		pr_warn("interrupt remapping entry: %s\n", iommu_strerror(err));
		return -1;
	}
	*addr = msi.address;
	*data = msi.data;
	return 0;
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
	u64 addr, t0, flags;
	u32 data;
	u16 ctl;

	if (!d->cap_msix || !(pf->vector = irq_alloc_vector(igb_irq)))
		goto poll;
	e = msix_entry0(pf);
	if (!e || msi_message(pf, &addr, &data))
		goto poll;
	irq_pf = pf;
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
	pr_warn("test interrupt not delivered in %u ms\n", IRQ_TEST_US / 1000);
poll:
	pf->irq_mode = false;
	pr_warn("mailbox polled (no MSI-X delivery)\n");
}
