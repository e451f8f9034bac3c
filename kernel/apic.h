/* SPDX-License-Identifier: MIT */
/*
 * Local APIC in xAPIC (MMIO) or x2APIC (MSR) mode. Register offsets are the
 * xAPIC MMIO offsets (SDM Vol. 3A §11.4.1, Table 11-1); in x2APIC mode
 * register offset R is MSR 0x800 + R/16 (§11.12.1.2).
 */
#ifndef KERNEL_APIC_H
#define KERNEL_APIC_H

#include "lib/types.h"

#define APIC_ID 0x020
#define APIC_VERSION 0x030
#define APIC_TPR 0x080
#define APIC_EOI 0x0b0
#define APIC_SVR 0x0f0
#define APIC_ESR 0x280
#define APIC_ICR_LOW 0x300
#define APIC_ICR_HIGH 0x310 /* xAPIC only */
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_TIMER_INITIAL 0x380
#define APIC_TIMER_CURRENT 0x390
#define APIC_TIMER_DIVIDE 0x3e0

#define APIC_BASE_X2APIC BIT(10) /* IA32_APIC_BASE.EXTD */
#define APIC_BASE_ENABLE BIT(11)
#define APIC_BASE_ADDR_MASK GENMASK(51, 12)

#define APIC_SVR_ENABLE BIT(8)
#define APIC_LVT_MASKED BIT(16)
#define APIC_LVT_PERIODIC BIT(17)
#define APIC_LVT_NMI (4u << 8)
#define APIC_TIMER_DIVIDE_1 0xb

/* ICR fields (§11.6.1, Figure 11-12). */
#define ICR_FIXED (0u << 8)
#define ICR_NMI (4u << 8)
#define ICR_INIT (5u << 8)
#define ICR_STARTUP (6u << 8)
#define ICR_DELIVERY_PENDING BIT(12) /* xAPIC only */
#define ICR_LEVEL_ASSERT BIT(14)
#define ICR_LEVEL_TRIGGER BIT(15)
#define ICR_ALL_BUT_SELF (3u << 18)

enum apic_mode {
	APIC_MODE_AUTO = 0, /* x2APIC when the CPU has it */
	APIC_MODE_XAPIC,
	APIC_MODE_X2APIC,
};

/* Chooses the mode once on the BSP; APs follow it. */
int apic_init_bsp(enum apic_mode want);
void apic_init_ap(void);
bool apic_is_x2apic(void);
const char *apic_mode_name(void);

u32 apic_id(void);
void apic_eoi(void);
u32 apic_read(u32 reg);
void apic_write(u32 reg, u32 value);
int apic_send_ipi(u32 dest, u32 icr_low);
void apic_stop_other_cpus(void);

void apic_timer_start(u8 vector, u32 initial, bool periodic);
void apic_timer_stop(void);

#endif
