/* SPDX-License-Identifier: MIT */
/*
 * The one per-vCPU structure every interrupt for a guest goes through: a
 * posted-interrupt descriptor (struct pi_desc, iommu/irte.h: the VT-d 9.12
 * layout, which is the CPU's of SDM Vol. 3C §29.6, Table 29-1). Whoever
 * raises an interrupt sets the PIR bit, then ON; these are the VMM's
 * operations on it.
 *
 * On VMX with posted-interrupt processing, this is the descriptor the
 * hardware reads (pin-based control bit 7, VMCS field 0x2016); with a
 * unit reporting CAP.PI the IOMMU writes it too (posted-format IRTE).
 * Everywhere else (SVM, VMX without PI) the VMM drains it into its virtual
 * APIC before each entry and delivers through V_IRQ or event injection.
 */
#ifndef VMM_PI_DESC_H
#define VMM_PI_DESC_H

#include "iommu/irte.h"
#include "lib/types.h"

/* Notification vector and destination, written while the hardware may
 * be setting ON in the same dword: NV alone (byte 34), then NDST. */
static inline void pi_set_nv(struct pi_desc *pi, u8 nv, u32 ndst)
{
	((volatile u8 *)&pi->control)[2] = nv;
	*(volatile u32 *)&pi->ndst = ndst;
}

/* Post vector vec; returns true if ON was clear (a notification is due). */
static inline bool pi_post(struct pi_desc *pi, u8 vec)
{
	__atomic_fetch_or(&pi->pir[vec >> 6], BIT(vec & 63), __ATOMIC_SEQ_CST);
	return !(__atomic_fetch_or(&pi->control, VTD_PID_ON, __ATOMIC_SEQ_CST) &
		 VTD_PID_ON);
}

/*
 * Take every posted vector into irr (the virtual APIC's): clear ON, then
 * per PIR word OR it into irr before clearing those bits, so another CPU
 * reading the PIR, then irr, always finds a vector in one of them.
 */
static inline void pi_drain(struct pi_desc *pi, u64 irr[4])
{
	unsigned i;
	u64 w;

	__atomic_fetch_and(&pi->control, ~(u32)VTD_PID_ON, __ATOMIC_SEQ_CST);
	for (i = 0; i < 4; i++) {
		w = __atomic_load_n(&pi->pir[i], __ATOMIC_SEQ_CST);
		if (!w)
			continue;
		__atomic_fetch_or(&irr[i], w, __ATOMIC_SEQ_CST);
		__atomic_fetch_and(&pi->pir[i], ~w, __ATOMIC_SEQ_CST);
	}
}

static inline bool pi_pending(const struct pi_desc *pi)
{
	return __atomic_load_n(&pi->control, __ATOMIC_ACQUIRE) & VTD_PID_ON;
}

#endif
