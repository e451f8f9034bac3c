/* SPDX-License-Identifier: MIT */
/*
 * I/O APICs (Intel 82093AA datasheet §3.2; ACPI MADT lists them). The
 * kernel masks every pin at boot: nothing reaches a CPU through an IOAPIC
 * unless a driver routes a pin on purpose (iommu_route_gsi), in the
 * remappable format when interrupt remapping is on.
 */
#ifndef KERNEL_IOAPIC_H
#define KERNEL_IOAPIC_H

#include "lib/types.h"

/* Redirection table entry bits (82093AA §3.2.4). */
#define IOAPIC_RTE_VECTOR(v) ((u64)(v) & 0xff)
#define IOAPIC_RTE_ACTIVE_LOW BIT(13)
#define IOAPIC_RTE_LEVEL BIT(15)
#define IOAPIC_RTE_MASKED BIT(16)
#define IOAPIC_RTE_DEST(apic_id) ((u64)((apic_id) & 0xff) << 56)

/* Maps every MADT IOAPIC and masks all of its pins; returns how many. */
u32 ioapic_init(void);
/* Which IOAPIC (index) and pin carry a GSI; -1 if none does. */
int ioapic_find_gsi(u32 gsi, u32 *index, u32 *pin);
u8 ioapic_id(u32 index);
u64 ioapic_read_rte(u32 index, u32 pin);
/* Writes an entry so that no half-written state is ever unmasked. */
void ioapic_write_rte(u32 index, u32 pin, u64 rte);
void ioapic_mask(u32 index, u32 pin);

#endif
