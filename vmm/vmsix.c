// SPDX-License-Identifier: MIT
/*
 * MSI-X emulation on a shadow table; see vmsix.h. Layouts: PCIe 6.0
 * §7.7.2 (capability, table, PBA), Intel SDM Vol. 3A §11.11 (MSI address
 * and data), VT-d 4.1 §5.1.5.2 (remappable MSI, produced by the IOMMU).
 */
#include "drivers/pci_regs.h"
#include "lib/string.h"
#include "vmm/vmsix.h"

#define MSIX_PBA 0x08		/* capability: PBA offset / BIR */
#define MSIX_OFF_MASK (~(u32)PCI_MSIX_BIR)
#define MSIX_MAX_BIR 5
#define ALL_ONES_64 (~0ull)

static u32 ent_off(u16 i, u32 reg)
{
	return (u32)i * VMSIX_ENTRY_SIZE + reg;
}

static bool masked(const struct vmsix *v, u16 i)
{
	return !v->enabled || v->fmask || (v->e[i].ctrl & VMSIX_CTRL_MASKED);
}

static u32 table_bytes(const struct vmsix *v)
{
	return (u32)v->c.nvec * VMSIX_ENTRY_SIZE;
}

static u32 pba_bytes(const struct vmsix *v)
{
	return (u32)ALIGN_UP(v->c.nvec, 64) / 8;
}

/* ---- the real table ------------------------------------------------ */

static void real_mask(struct vmsix *v, u16 i)
{
	const struct vmsix_hw *hw = &v->c.hw;
	u32 ctl = hw->table_read(hw->ctx, ent_off(i, VMSIX_ENTRY_CTRL));

	hw->table_write(hw->ctx, ent_off(i, VMSIX_ENTRY_CTRL),
			ctl | VMSIX_CTRL_MASKED);
}

/* Masked while address and data change, so the device never sends a
 * half-written message. */
static void real_load(struct vmsix *v, u16 i)
{
	const struct vmsix_hw *hw = &v->c.hw;
	u32 ctl;

	real_mask(v, i);
	hw->table_write(hw->ctx, ent_off(i, VMSIX_ENTRY_ADDR_LO),
			(u32)v->e[i].msi.address);
	hw->table_write(hw->ctx, ent_off(i, VMSIX_ENTRY_ADDR_HI),
			(u32)(v->e[i].msi.address >> 32));
	hw->table_write(hw->ctx, ent_off(i, VMSIX_ENTRY_DATA), v->e[i].msi.data);
	ctl = hw->table_read(hw->ctx, ent_off(i, VMSIX_ENTRY_CTRL));
	hw->table_write(hw->ctx, ent_off(i, VMSIX_ENTRY_CTRL),
			ctl & ~(u32)VMSIX_CTRL_MASKED);
}

static void real_ctrl(struct vmsix *v, bool maskall)
{
	u16 ctl = (v->enabled ? PCI_MSIX_FLAGS_ENABLE : 0) |
		  (maskall || v->fmask ? PCI_MSIX_FLAGS_MASKALL : 0);

	v->c.hw.ctrl_write(v->c.hw.ctx, ctl);
}

/* ---- validation (Intel SDM Vol. 3A §11.11) ------------------------- */

static bool find_vcpu(const struct vmsix *v, u32 apic_id, u32 *vcpu)
{
	u32 i;

	for (i = 0; i < v->c.nvcpus; i++)
		if (v->c.apic_id[i] == apic_id) {
			*vcpu = i;
			return true;
		}
	return false;
}

enum vmsix_refusal vmsix_validate(const struct vmsix *v, u32 addr_lo,
				  u32 addr_hi, u32 data, u32 *vcpu)
{
	u32 dm = MSI_DATA_DELIVERY(data);
	u32 vec = MSI_DATA_VECTOR(data);

	if (addr_hi || (addr_lo & MSI_ADDR_BASE_MASK) != MSI_ADDR_BASE ||
	    (addr_lo & MSI_ADDR_RSVD))
		return VMSIX_BAD_ADDRESS;
	/* Physical mode names one APIC; RH only matters for logical mode. */
	if (addr_lo & MSI_ADDR_DM)
		return VMSIX_LOGICAL_DEST;
	if (!find_vcpu(v, MSI_ADDR_DEST(addr_lo), vcpu))
		return VMSIX_FOREIGN_APIC;
	if (data & MSI_DATA_RSVD)
		return VMSIX_RSVD_DATA;
	if (dm != MSI_DELIVERY_FIXED && dm != MSI_DELIVERY_LOWPRI)
		return VMSIX_BAD_DELIVERY;
	if (data & MSI_DATA_LEVEL_TRIGGER)
		return VMSIX_LEVEL;
	if (vec < MSI_VECTOR_MIN || vec > MSI_VECTOR_MAX)
		return VMSIX_BAD_VECTOR;
	return VMSIX_OK;
}

/*
 * Where the IRTE format is chosen. With a posted-interrupt descriptor
 * (pi_desc_pa != 0) the IOMMU writes a posted-format IRTE when its unit
 * reports CAP.PI (VT-d §9.11): the device's message sets guest_vector in
 * the vCPU's descriptor and the CPU delivers it without a VM exit. Without
 * CAP.PI (QEMU's intel-iommu, PLATFORM.md) or without a descriptor it
 * writes a remapped-format IRTE (§9.10) to host_vector on the CPU the
 * vCPU runs on, and the VMM injects guest_vector when host_vector fires
 * (vmsix_deliver). Both formats carry SVT/SQ source-id verification.
 */
void vmsix_irq_target(struct iommu_irq_target *t, u32 host_apic_id,
		      u8 host_vector, u64 pi_desc_pa, u8 guest_vector)
{
	*t = (struct iommu_irq_target){
		.dest_apic_id = host_apic_id, .vector = host_vector,
		.level = false, .pi_desc_pa = pi_desc_pa,
		.guest_vector = guest_vector,
	};
}

/* ---- arming and disarming entries ---------------------------------- */

static void disarm(struct vmsix *v, u16 i)
{
	struct vmsix_entry *e = &v->e[i];

	if (e->irte < 0)
		return;
	real_mask(v, i);
	v->c.irq.free(v->c.irq.ctx, e->irte);
	e->irte = -1;
}

static void refuse(struct vmsix *v, u16 i, enum vmsix_refusal why)
{
	struct vmsix_entry *e = &v->e[i];
	struct vmsix_event ev = { i, (u8)why, e->addr_lo, e->addr_hi, e->data };

	v->refused++;
	if (e->reported)
		return;
	e->reported = true;
	if (v->c.event)
		v->c.event(v->c.event_ctx, &ev);
}

static enum vmsix_refusal get_irte(struct vmsix *v, u16 i, u32 vcpu)
{
	struct vmsix_entry *e = &v->e[i];
	const struct vmsix_irq_ops *irq = &v->c.irq;
	int h = irq->alloc(irq->ctx, v->c.segment, v->c.rid);

	if (h < 0)
		return VMSIX_NO_IRTE;
	if (irq->program(irq->ctx, h, vcpu, (u8)MSI_DATA_VECTOR(e->data), i,
			 &e->msi)) {
		irq->free(irq->ctx, h);
		return VMSIX_NO_IRTE;
	}
	e->irte = h;
	e->vcpu = vcpu;
	return VMSIX_OK;
}

/* Gives an unmasked entry its IRTE and real entry, or refuses it. */
static void arm(struct vmsix *v, u16 i)
{
	struct vmsix_entry *e = &v->e[i];
	enum vmsix_refusal why;
	u32 vcpu = 0;

	if (e->irte >= 0)
		return;
	why = vmsix_validate(v, e->addr_lo, e->addr_hi, e->data, &vcpu);
	if (why == VMSIX_OK)
		why = get_irte(v, i, vcpu);
	if (why != VMSIX_OK) {
		refuse(v, i, why);
		return;
	}
	real_load(v, i);
	if (v->pending & BIT(i)) {
		v->pending &= ~BIT(i);
		v->c.irq.inject(v->c.irq.ctx, vcpu, (u8)MSI_DATA_VECTOR(e->data));
	}
}

static void update(struct vmsix *v, u16 i)
{
	if (masked(v, i))
		disarm(v, i);
	else
		arm(v, i);
}

static void update_all(struct vmsix *v)
{
	u16 i;

	for (i = 0; i < v->c.nvec; i++)
		update(v, i);
}

/* ---- setup --------------------------------------------------------- */

bool vmsix_layout_read(const struct vpci_cfg_backend *cfg, u16 cap,
		       struct vmsix_layout *out)
{
	u32 ctl = cfg->read(cfg->ctx, cap + PCI_MSIX_FLAGS, 2);
	u32 tab = cfg->read(cfg->ctx, cap + PCI_MSIX_TABLE, 4);
	u32 pba = cfg->read(cfg->ctx, cap + MSIX_PBA, 4);

	out->nvec = (u16)((ctl & PCI_MSIX_FLAGS_QSIZE) + 1);
	out->table_bar = tab & PCI_MSIX_BIR;
	out->table_off = tab & MSIX_OFF_MASK;
	out->pba_bar = pba & PCI_MSIX_BIR;
	out->pba_off = pba & MSIX_OFF_MASK;
	return out->table_bar <= MSIX_MAX_BIR && out->pba_bar <= MSIX_MAX_BIR;
}

static bool config_ok(const struct vmsix_config *c)
{
	return c->nvec >= 1 && c->nvec <= VMSIX_MAX_VECTORS &&
	       c->nvcpus <= VMSIX_MAX_VCPUS && c->hw.table_read &&
	       c->hw.table_write && c->hw.pba_read && c->hw.ctrl_write &&
	       c->irq.alloc && c->irq.program && c->irq.free && c->irq.inject;
}

int vmsix_init(struct vmsix *v, const struct vmsix_config *c)
{
	u16 i;

	if (!config_ok(c))
		return VPCI_EINVAL;
	memset(v, 0, sizeof(*v));
	v->c = *c;
	/* PCIe §7.7.2.4: every vector starts masked. */
	for (i = 0; i < c->nvec; i++) {
		v->e[i].ctrl = VMSIX_CTRL_MASKED;
		v->e[i].irte = -1;
	}
	vmsix_resync(v);
	return VPCI_OK;
}

void vmsix_release(struct vmsix *v)
{
	u16 i;

	v->enabled = false;
	real_ctrl(v, true);
	for (i = 0; i < v->c.nvec; i++)
		disarm(v, i);
	v->c.hw.ctrl_write(v->c.hw.ctx, 0);
}

void vmsix_resync(struct vmsix *v)
{
	u16 i;

	real_ctrl(v, true);
	for (i = 0; i < v->c.nvec; i++) {
		if (v->e[i].irte >= 0)
			real_load(v, i);
		else
			real_mask(v, i);
	}
	real_ctrl(v, false);
}

/* ---- message control ----------------------------------------------- */

u16 vmsix_ctrl_read(const struct vmsix *v, u16 real)
{
	return (u16)((real & ~(PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL)) |
		     (v->enabled ? PCI_MSIX_FLAGS_ENABLE : 0) |
		     (v->fmask ? PCI_MSIX_FLAGS_MASKALL : 0));
}

/*
 * Masking takes effect on the real function first (one write holds every
 * vector) and the entries follow; unmasking arms the entries first and
 * then lets the function go.
 */
void vmsix_ctrl_write(struct vmsix *v, u16 ctrl)
{
	v->enabled = ctrl & PCI_MSIX_FLAGS_ENABLE;
	v->fmask = ctrl & PCI_MSIX_FLAGS_MASKALL;
	if (!v->enabled || v->fmask) {
		real_ctrl(v, false);
		update_all(v);
	} else {
		update_all(v);
		real_ctrl(v, false);
	}
}

/* ---- guest accesses ------------------------------------------------ */

static bool access_ok(struct vmsix *v, u32 off, u8 size, u32 limit)
{
	if ((size == 4 || size == 8) && IS_ALIGNED(off, size) &&
	    off < limit && size <= limit - off)
		return true;
	v->bad_access++;
	return false;
}

static u32 table_dword(const struct vmsix *v, u32 off)
{
	const struct vmsix_entry *e = &v->e[off / VMSIX_ENTRY_SIZE];

	switch (off % VMSIX_ENTRY_SIZE) {
	case VMSIX_ENTRY_ADDR_LO:
		return e->addr_lo;
	case VMSIX_ENTRY_ADDR_HI:
		return e->addr_hi;
	case VMSIX_ENTRY_DATA:
		return e->data;
	default:
		return e->ctrl;
	}
}

/*
 * Address and data of an unmasked entry may be rewritten, but PCIe
 * §6.1.4.2 leaves the effect undefined: they take effect at the next
 * unmask. Vector Control's reserved bits are not kept.
 */
static void table_store(struct vmsix *v, u32 off, u32 val)
{
	u16 i = (u16)(off / VMSIX_ENTRY_SIZE);
	struct vmsix_entry *e = &v->e[i];

	switch (off % VMSIX_ENTRY_SIZE) {
	case VMSIX_ENTRY_ADDR_LO:
		e->addr_lo = val;
		break;
	case VMSIX_ENTRY_ADDR_HI:
		e->addr_hi = val;
		break;
	case VMSIX_ENTRY_DATA:
		e->data = val;
		break;
	default:
		e->ctrl = val & VMSIX_CTRL_MASKED;
		update(v, i);
		return;
	}
	e->reported = false;	/* new content: a new refusal is news */
}

bool vmsix_table_read(struct vmsix *v, u32 off, u8 size, u64 *val)
{
	*val = ALL_ONES_64;
	if (!access_ok(v, off, size, table_bytes(v)))
		return false;
	*val = table_dword(v, off);
	if (size == 8)
		*val |= (u64)table_dword(v, off + 4) << 32;
	return true;
}

bool vmsix_table_write(struct vmsix *v, u32 off, u8 size, u64 val)
{
	if (!access_ok(v, off, size, table_bytes(v)))
		return false;
	table_store(v, off, (u32)val);
	if (size == 8)
		table_store(v, off + 4, (u32)(val >> 32));
	return true;
}

/* Bits of PBA dword k: the device's and the VMM's, none past nvec. */
static u32 pba_dword(const struct vmsix *v, u32 k)
{
	u64 valid = v->c.nvec >= 64 ? ALL_ONES_64 : BIT(v->c.nvec) - 1;
	u64 soft = v->pending & valid;
	u32 real = v->c.hw.pba_read(v->c.hw.ctx, k * 4);
	u32 n = k * 32;

	if (n >= v->c.nvec)
		return 0;
	return (real | (u32)(soft >> n)) & (u32)(valid >> n);
}

bool vmsix_pba_read(struct vmsix *v, u32 off, u8 size, u64 *val)
{
	*val = ALL_ONES_64;
	if (!access_ok(v, off, size, pba_bytes(v)))
		return false;
	*val = pba_dword(v, off / 4);
	if (size == 8)
		*val |= (u64)pba_dword(v, off / 4 + 1) << 32;
	return true;
}

bool vmsix_deliver(struct vmsix *v, u16 entry)
{
	if (entry >= v->c.nvec)
		return false;
	if (masked(v, entry) || v->e[entry].irte < 0) {
		v->pending |= BIT(entry);
		return false;
	}
	return true;
}

const char *vmsix_refusal_name(u8 reason)
{
	static const char *const names[VMSIX_REFUSALS] = {
		[VMSIX_OK] = "ok",
		[VMSIX_BAD_ADDRESS] = "address is not 0xfeexxxxx (or sets reserved bits)",
		[VMSIX_LOGICAL_DEST] = "logical destination mode",
		[VMSIX_FOREIGN_APIC] = "APIC id is not one of the guest's",
		[VMSIX_BAD_DELIVERY] = "delivery mode is not fixed or lowest priority",
		[VMSIX_BAD_VECTOR] = "reserved vector",
		[VMSIX_LEVEL] = "level-triggered",
		[VMSIX_RSVD_DATA] = "reserved data bits set",
		[VMSIX_NO_IRTE] = "no interrupt remapping entry",
	};

	return reason < VMSIX_REFUSALS ? names[reason] : "unknown";
}
