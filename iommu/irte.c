// SPDX-License-Identifier: MIT
/*
 * IRTE encoding; see irte.h. Entries always carry source-id verification
 * (SVT = 1, SQ = 0: all 16 bits of the requester id must match), so a
 * device can only raise the interrupts it was given.
 */
#include "iommu/irte.h"

bool irte_encode_remapped(const struct irte_remapped *in, struct vtd_u128 *e)
{
	u64 dst;

	if (in->x2apic)
		dst = VTD_IRTE_DST(in->dest);
	else if (in->dest <= 0xff)
		dst = VTD_IRTE_DST_XAPIC(in->dest);
	else
		return false;
	/* Physical destination mode, fixed delivery, no redirection hint. */
	e->lo = VTD_IRTE_P | VTD_IRTE_DLM(0) | VTD_IRTE_V(in->vector) | dst |
		(in->level ? VTD_IRTE_TM : 0);
	e->hi = VTD_IRTE_SID(in->sid) | VTD_IRTE_SQ(0) |
		VTD_IRTE_SVT(VTD_SVT_RID);
	return true;
}

bool irte_encode_posted(const struct irte_posted *in, struct vtd_u128 *e)
{
	if (!in->pd_pa || !IS_ALIGNED(in->pd_pa, 64))
		return false;
	e->lo = VTD_IRTE_P | VTD_IRTE_IM | VTD_IRTE_V(in->vvector) |
		(in->urgent ? VTD_IRTE_URG : 0) | VTD_IRTE_PDA_LO(in->pd_pa);
	e->hi = VTD_IRTE_SID(in->sid) | VTD_IRTE_SQ(0) |
		VTD_IRTE_SVT(VTD_SVT_RID) | VTD_IRTE_PDA_HI(in->pd_pa);
	return true;
}

void pi_desc_init(struct pi_desc *pd, u8 notify_vector, u32 apic_id,
		  bool x2apic)
{
	unsigned i;

	for (i = 0; i < 4; i++)
		pd->pir[i] = 0;
	pd->control = VTD_PID_NV(notify_vector);
	pd->ndst = pi_ndst(apic_id, x2apic);
	for (i = 0; i < 3; i++)
		pd->rsvd[i] = 0;
}

void irte_msi(u16 index, u64 *address, u32 *data)
{
	/* SHV = 0: the data register is not used for the index. */
	*address = VTD_MSI_ADDR_BASE | VTD_MSI_ADDR_IF |
		   VTD_MSI_ADDR_HANDLE_LO(index) | VTD_MSI_ADDR_HANDLE_HI(index);
	*data = 0;
}

u64 irte_ioapic_rte(u16 index)
{
	return VTD_IOAPIC_RTE_IF | (u64)(index & 0x7fff) << 49 |
	       (u64)(index >> 15) << 11;	/* 63:49 and bit 11 */
}
