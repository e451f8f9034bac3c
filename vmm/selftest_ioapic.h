/* SPDX-License-Identifier: MIT */
#ifndef VMM_SELFTEST_IOAPIC_H
#define VMM_SELFTEST_IOAPIC_H

#include "boot/config.h"

/*
 * Routes the PIT's ISA IRQ 0 through its IOAPIC pin to this CPU and counts
 * the interrupts: through an interrupt-remapping entry (remappable-format
 * redirection entry) when the IOMMU remaps interrupts, in compatibility
 * format otherwise. Only with selftest = on.
 */
void selftest_ioapic(const struct hv_config *cfg);

#endif
