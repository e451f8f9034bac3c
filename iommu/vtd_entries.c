// SPDX-License-Identifier: MIT
/*
 * VT-d structure encoding; see vtd_entries.h. Every bit position comes from
 * iommu/vtd_regs.h, which cites the specification.
 */
#include "iommu/vtd_entries.h"

struct vtd_u128 vtd_root_entry(u64 context_table_pa)
{
	struct vtd_u128 e = {
		.lo = (context_table_pa & VTD_RE_CTP) | VTD_RE_P,
		.hi = 0,
	};
	return e;
}

struct vtd_u128 vtd_context_entry(u64 sl_root_pa, u8 aw, u16 did)
{
	struct vtd_u128 e = {
		.lo = (sl_root_pa & VTD_CE_LO_SLPTPTR) | VTD_CE_LO_TT_SL |
		      VTD_CE_LO_P,
		.hi = VTD_CE_HI_AW(aw) | VTD_CE_HI_DID(did),
	};
	return e;
}

u8 vtd_levels_to_aw(unsigned levels)
{
	/* 9.3: AW 1 = 39-bit (3-level), 2 = 48-bit, 3 = 57-bit. */
	return levels >= 3 && levels <= 5 ? (u8)(levels - 2) : 0;
}

struct vtd_u128 vtd_qi_desc(const struct vtd_inv *r)
{
	struct vtd_u128 d = { 0, 0 };

	switch (r->kind) {
	case VTD_INV_CC:
		d.lo = VTD_QI_TYPE_CC | VTD_QI_CC_G(r->gran);
		if (r->gran >= VTD_GRAN_DOMAIN)
			d.lo |= VTD_QI_CC_DID(r->did);
		if (r->gran == VTD_GRAN_DEVICE)
			d.lo |= VTD_QI_CC_SID(r->sid) | VTD_QI_CC_FM(0);
		break;
	case VTD_INV_IOTLB:
		d.lo = VTD_QI_TYPE_IOTLB | VTD_QI_IOTLB_G(r->gran) |
		       VTD_QI_IOTLB_DR | VTD_QI_IOTLB_DW;
		if (r->gran >= VTD_GRAN_DOMAIN)
			d.lo |= VTD_QI_IOTLB_DID(r->did);
		if (r->gran == VTD_GRAN_PAGE)
			d.hi = (r->addr & GENMASK(63, 12)) |
			       VTD_QI_IOTLB_AM(r->am);
		break;
	case VTD_INV_IEC:
		d.lo = VTD_QI_TYPE_IEC;
		if (r->gran != VTD_GRAN_GLOBAL)
			d.lo |= VTD_QI_IEC_G_INDEX | VTD_QI_IEC_IM(r->im) |
				VTD_QI_IEC_IIDX(r->iidx);
		break;
	}
	return d;
}

struct vtd_u128 vtd_qi_wait_desc(u64 status_pa, u32 data)
{
	struct vtd_u128 d = {
		.lo = VTD_QI_TYPE_WAIT | VTD_QI_WAIT_SW | VTD_QI_WAIT_FN |
		      VTD_QI_WAIT_SDATA(data),
		.hi = status_pa & VTD_QI_WAIT_SADDR,
	};
	return d;
}

u64 vtd_ccmd_value(const struct vtd_inv *r)
{
	u64 v = VTD_CCMD_ICC;

	switch (r->gran) {
	case VTD_GRAN_DEVICE:
		return v | VTD_CCMD_CIRG_DEVICE | VTD_CCMD_FM(0) |
		       VTD_CCMD_SID(r->sid) | VTD_CCMD_DID(r->did);
	case VTD_GRAN_DOMAIN:
		return v | VTD_CCMD_CIRG_DOMAIN | VTD_CCMD_DID(r->did);
	default:
		return v | VTD_CCMD_CIRG_GLOBAL;
	}
}

u64 vtd_iotlb_value(const struct vtd_inv *r, u64 *iva)
{
	u64 v = VTD_IOTLB_IVT | VTD_IOTLB_DR | VTD_IOTLB_DW;

	*iva = 0;
	switch (r->gran) {
	case VTD_GRAN_PAGE:
		*iva = (r->addr & GENMASK(63, 12)) | VTD_IVA_AM(r->am);
		return v | VTD_IOTLB_IIRG_PAGE | VTD_IOTLB_DID(r->did);
	case VTD_GRAN_DOMAIN:
		return v | VTD_IOTLB_IIRG_DOMAIN | VTD_IOTLB_DID(r->did);
	default:
		return v | VTD_IOTLB_IIRG_GLOBAL;
	}
}

bool vtd_fault_is_ir(u8 reason)
{
	return reason >= VTD_FR_IR_FIRST && reason <= VTD_FR_IR_LAST;
}

bool vtd_fault_decode(u64 lo, u64 hi, struct vtd_fault *f)
{
	if (!(hi & VTD_FRCD_HI_F))
		return false;
	f->sid = VTD_FRCD_HI_SID(hi);
	f->reason = VTD_FRCD_HI_FR(hi);
	f->write = !(hi & VTD_FRCD_HI_T1);
	if (vtd_fault_is_ir(f->reason)) {
		f->addr = 0;
		f->ir_index = VTD_FRCD_IR_INDEX(lo);
		f->write = true;	/* interrupt requests are writes */
	} else {
		f->addr = VTD_FRCD_LO_FI(lo);
		f->ir_index = 0;
	}
	return true;
}

/* Appendix A, Table A-1 (DMA and interrupt remapping, legacy mode). */
static const char *const fault_names[] = {
	[0x01] = "root entry not present",
	[0x02] = "context entry not present",
	[0x03] = "invalid context entry",
	[0x04] = "address beyond the guest address width",
	[0x05] = "write to a page without write permission",
	[0x06] = "read from a page without read permission",
	[0x07] = "second-level table access error",
	[0x08] = "root table access error",
	[0x09] = "context table access error",
	[0x0a] = "root entry reserved field set",
	[0x0b] = "context entry reserved field set",
	[0x0c] = "second-level entry reserved field set",
	[0x0d] = "translation type blocked by context entry",
	[0x0e] = "output address in the interrupt range",
	[0x20] = "interrupt request reserved field set",
	[0x21] = "interrupt index beyond the table",
	[0x22] = "interrupt entry not present",
	[0x23] = "interrupt table access error",
	[0x24] = "interrupt entry reserved field set",
	[0x25] = "compatibility format interrupt blocked",
	[0x26] = "interrupt source-id verification failed",
	[0x27] = "posted-interrupt descriptor read failed",
	[0x28] = "posted-interrupt descriptor reserved field set",
	[0x29] = "interrupt remapping fault 0x29",
};

const char *vtd_fault_reason_name(u8 reason)
{
	if (reason < ARRAY_SIZE(fault_names) && fault_names[reason])
		return fault_names[reason];
	return "reserved fault reason";
}

int vtd_psi_mask(u64 addr, u64 size, unsigned max_am, u64 *base)
{
	u64 first = addr >> 12, last = (addr + size - 1) >> 12;
	unsigned am;

	for (am = 0; am <= max_am && am < 52; am++)
		if ((first >> am) == (last >> am)) {
			*base = (first >> am) << (am + 12);
			return (int)am;
		}
	return -1;
}
