// SPDX-License-Identifier: MIT
/*
 * The VT-d interrupt request model; see vtd_ir_model.h. Each step is one
 * rule of the spec, in the order the hardware applies them.
 */
#include "tests/unit/vtd_ir_model.h"

#define MSI_ADDR_MASK	GENMASK(31, 20)	/* 0xFEEx_xxxx is an interrupt */
#define MSI_SUBHANDLE(d) ((d) & 0xffffu)

static void fault(struct irm_result *out, u8 reason, bool recorded)
{
	out->fault = reason;
	out->fault_recorded = recorded;
}

/* 5.1.4 / 5.1.5.2: the interrupt index a remappable request names. */
static bool request_index(const struct irm_request *r, u16 *index)
{
	u32 handle = (u32)((r->address >> 5) & 0x7fff) |
		     (u32)((r->address >> 2) & 1) << 15;

	if (!(r->address & VTD_MSI_ADDR_IF))
		return false;
	if (r->address & VTD_MSI_ADDR_SHV)
		handle += MSI_SUBHANDLE(r->data);
	*index = (u16)handle;
	return true;
}

/* 9.10 SVT/SQ: may requester sid use this entry? SVT 3 is reserved. */
static bool source_ok(u64 hi, u16 sid, bool *reserved)
{
	u16 want = (u16)hi;
	unsigned svt = (hi >> 18) & 3, sq = (hi >> 16) & 3;
	/* SQ 1..3: ignore function bits 2, 2:1, 2:0 */
	static const u16 sq_mask[4] = { 0xffff, 0xfffb, 0xfff9, 0xfff8 };

	*reserved = svt == 3;
	if (svt == VTD_SVT_NONE)
		return true;
	if (svt == VTD_SVT_RID)
		return ((want ^ sid) & sq_mask[sq]) == 0;
	if (svt == VTD_SVT_BUS)	/* SID[15:8] <= bus <= SID[7:0] */
		return (sid >> 8) >= (want >> 8) && (sid >> 8) <= (want & 0xff);
	return false;
}

static u32 decode_dest(u32 raw, bool eime)
{
	return eime ? raw : (raw >> 8) & 0xff;
}

/* 9.10: the remapped format sends vector V to DST. */
static void remapped(const struct irm_unit *u, struct vtd_u128 e,
		     struct irm_result *out)
{
	out->remapped = true;
	out->vector = (u8)(e.lo >> 16);
	out->dest = decode_dest((u32)(e.lo >> 32), u->eime);
}

/*
 * 5.2.3: set PIR[VV]; if ON was clear and either URG is set or SN clear,
 * set ON and send NV to NDST. One atomic update of the descriptor, as the
 * hardware does it (a lock-prefixed read-modify-write).
 */
static void posted(const struct irm_unit *u, struct vtd_u128 e,
		   struct irm_result *out)
{
	u8 vv = (u8)(e.lo >> 16);
	bool urg = e.lo & VTD_IRTE_URG;
	u64 pa = (e.lo >> 32 & GENMASK(31, 6)) | (e.hi & GENMASK(63, 32));
	struct pi_desc *pd = u->pd_at(pa);
	u32 ctl;

	out->pd_pa = pa;
	if (!pd) {
		fault(out, VTD_FR_PID_READ, !(e.lo & VTD_IRTE_FPD));
		return;
	}
	ctl = __atomic_load_n(&pd->control, __ATOMIC_SEQ_CST);
	if (ctl & VTD_PID_CONTROL_RSVD) {
		fault(out, VTD_FR_PID_RSVD, !(e.lo & VTD_IRTE_FPD));
		return;
	}
	out->posted = true;
	__atomic_fetch_or(&pd->pir[vv >> 6], 1ull << (vv & 63), __ATOMIC_SEQ_CST);
	if (ctl & VTD_PID_ON || (ctl & VTD_PID_SN && !urg))
		return;
	if (__atomic_fetch_or(&pd->control, VTD_PID_ON, __ATOMIC_SEQ_CST) &
	    VTD_PID_ON)
		return;		/* someone else notified meanwhile */
	out->notified = true;
	out->nv = VTD_PID_NV_OF(ctl);
	out->ndst = decode_dest(pd->ndst, u->eime);
}

void irm_request(const struct irm_unit *u, const struct irm_request *r,
		 struct irm_result *out)
{
	struct vtd_u128 e;
	bool rsvd_svt;

	*out = (struct irm_result){ 0 };
	if ((r->address & MSI_ADDR_MASK) != VTD_MSI_ADDR_BASE) {
		out->dma = true;
		return;
	}
	if (!request_index(r, &out->index)) {
		fault(out, VTD_FR_IR_COMPAT, true);	/* GCMD.CFI clear */
		return;
	}
	if (out->index >= u->entries) {
		fault(out, VTD_FR_IR_INDEX, true);
		return;
	}
	e = u->irt[out->index];
	if (!(e.lo & VTD_IRTE_P)) {
		fault(out, VTD_FR_IR_NOT_PRESENT, !(e.lo & VTD_IRTE_FPD));
		return;
	}
	if ((e.lo & VTD_IRTE_IM) &&
	    (!u->cap_pi || (e.lo & VTD_IRTE_POSTED_RSVD_LO) ||
	     (e.hi & VTD_IRTE_POSTED_RSVD_HI))) {
		fault(out, VTD_FR_IR_RSVD, !(e.lo & VTD_IRTE_FPD));
		return;
	}
	if (!source_ok(e.hi, r->sid, &rsvd_svt)) {
		fault(out, rsvd_svt ? VTD_FR_IR_RSVD : VTD_FR_IR_SID,
		      !(e.lo & VTD_IRTE_FPD));
		return;
	}
	if (e.lo & VTD_IRTE_IM)
		posted(u, e, out);
	else
		remapped(u, e, out);
}
