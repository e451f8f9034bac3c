/* SPDX-License-Identifier: MIT */
/*
 * The one per-vCPU structure every interrupt for a guest goes through: a
 * posted-interrupt descriptor (SDM Vol. 3C §29.6, Table 29-1: 256-bit
 * PIR, then ON in bit 256 and SN in bit 257 of the descriptor, NV and NDST
 * after). Whoever raises an interrupt sets the PIR bit, then ON.
 *
 * On VMX with posted-interrupt processing, this is the descriptor the
 * hardware reads (pin-based control bit 7, VMCS field 0x2016). Everywhere
 * else (SVM, VMX without PI) the VMM drains it into its virtual APIC
 * before each entry and delivers through V_IRQ or event injection.
 *
 * Section numbers as in vmm/vmx_regs.h (one SDM revision for both).
 * 64-byte aligned as the SDM requires (Bochs 3.0 wants 4 KiB: allocate it
 * in its own page).
 */
#ifndef VMM_PI_DESC_H
#define VMM_PI_DESC_H

#include "lib/types.h"

struct pi_desc {
	u64 pir[4];		/* bit v: vector v requested */
	u32 control;		/* descriptor bits 287:256: bit 0 ON
				 * (outstanding notification), bit 1 SN
				 * (suppress notification), bits 23:16 NV
				 * (notification vector, byte 34) */
	u32 ndst;		/* bits 319:288: notification destination */
	u64 rest[3];
} __aligned(64);

#define PI_ON BIT(0)
#define PI_SN BIT(1)
/* Notification vector: descriptor bits 279:272, i.e. byte 34. */
#define PI_NV_BYTE 34

_Static_assert(sizeof(struct pi_desc) == 64, "PI descriptor is 64 bytes");
_Static_assert(offsetof(struct pi_desc, ndst) == 36, "NDST at bit 288");

#define WRITE_NDST(pi, v) (*(volatile u32 *)&(pi)->ndst = (v))

static inline void pi_set_nv(struct pi_desc *pi, u8 nv, u32 ndst)
{
	((volatile u8 *)pi)[PI_NV_BYTE] = nv;
	WRITE_NDST(pi, ndst);
}

/* Post vector vec; returns true if ON was clear (a notification is due). */
static inline bool pi_post(struct pi_desc *pi, u8 vec)
{
	__atomic_fetch_or(&pi->pir[vec >> 6], BIT(vec & 63), __ATOMIC_SEQ_CST);
	return !(__atomic_fetch_or(&pi->control, PI_ON, __ATOMIC_SEQ_CST) &
		 PI_ON);
}

/* Take every posted vector: clear ON, then swap each PIR word with 0. */
static inline void pi_drain(struct pi_desc *pi, u64 out[4])
{
	unsigned i;

	__atomic_fetch_and(&pi->control, ~(u32)PI_ON, __ATOMIC_SEQ_CST);
	for (i = 0; i < 4; i++)
		out[i] = __atomic_exchange_n(&pi->pir[i], 0, __ATOMIC_SEQ_CST);
}

static inline bool pi_pending(const struct pi_desc *pi)
{
	return __atomic_load_n(&pi->control, __ATOMIC_ACQUIRE) & PI_ON;
}

#endif
