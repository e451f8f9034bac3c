/* SPDX-License-Identifier: MIT */
/*
 * Interrupt remapping table entries and the remappable MSI format, as pure
 * functions (VT-d spec 9.10 remapped IRTE, 9.11 posted IRTE, 9.12 posted
 * interrupt descriptor, 5.1.5.2 remappable MSI address). Host-tested in
 * tests/unit/irte.mk; iommu/vtd_ir.c writes what these return.
 */
#ifndef IOMMU_IRTE_H
#define IOMMU_IRTE_H

#include "iommu/vtd_entries.h"

struct irte_remapped {
	u32 dest;		/* APIC id */
	u8 vector;
	bool level;		/* trigger mode */
	bool x2apic;		/* EIM on: 32-bit DST, else xAPIC DST[15:8] */
	u16 sid;		/* requester that may use the entry */
};

struct irte_posted {
	u64 pd_pa;		/* posted-interrupt descriptor, 64-byte aligned */
	u8 vvector;		/* the guest's vector */
	bool urgent;
	u16 sid;
};

/* Returns false (and leaves *e alone) if the input cannot be encoded:
 * xAPIC destination above 255, misaligned descriptor. */
bool irte_encode_remapped(const struct irte_remapped *in, struct vtd_u128 *e);
bool irte_encode_posted(const struct irte_posted *in, struct vtd_u128 *e);

/*
 * 9.12: the posted-interrupt descriptor. The CPU's (SDM Vol. 3C §29.6,
 * Table 29-1) is the same 64 bytes, so this one layout serves the IOMMU,
 * the CPU and the VMM (vmm/pi_desc.h has the operations on it). 64-byte
 * aligned (Bochs 3.0 wants 4 KiB: allocate it in its own page).
 */
struct pi_desc {
	u64 pir[4];		/* 255:0 posted interrupt requests: bit v,
				 * vector v */
	u32 control;		/* 287:256: VTD_PID_ON, VTD_PID_SN, NV */
	u32 ndst;		/* 319:288: notification destination */
	u64 rsvd[3];
} __aligned(64);

_Static_assert(sizeof(struct pi_desc) == 64, "PI descriptor is 64 bytes");
_Static_assert(offsetof(struct pi_desc, control) == 32, "ON at bit 256");
_Static_assert(offsetof(struct pi_desc, ndst) == 36, "NDST at bit 288");

/* NDST for an APIC id: 9.12, the xAPIC id sits in bits 15:8 unless the
 * unit (EIME) and the CPU are in x2APIC mode. */
static inline u32 pi_ndst(u32 apic_id, bool x2apic)
{
	return x2apic ? apic_id : (apic_id & 0xff) << 8;
}

void pi_desc_init(struct pi_desc *pd, u8 notify_vector, u32 apic_id,
		  bool x2apic);

/* 5.1.5.2: the MSI address/data that select IRTE `index`. */
void irte_msi(u16 index, u64 *address, u32 *data);

/*
 * 5.1.5.1: the IOAPIC redirection entry bits that select IRTE `index`
 * (interrupt format 1, index 14:0 in bits 63:49, index 15 in bit 11). The
 * caller adds vector, trigger, polarity and mask.
 */
u64 irte_ioapic_rte(u16 index);

#endif
