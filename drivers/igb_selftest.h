/* SPDX-License-Identifier: MIT */
#ifndef DRIVERS_IGB_SELFTEST_H
#define DRIVERS_IGB_SELFTEST_H

#include "drivers/igb.h"

/*
 * Drives one VF with the lib/ VF driver core: FLR, IOMMU attach (to the
 * hypervisor's domain when there is an IOMMU), mailbox reset handshake
 * and MAC, a refused foreign MAC, an ARP request for 10.0.2.2 answered by
 * QEMU's user-mode network, FLR on the way back. Each step is a
 * selftest_check() line.
 */
void igb_selftest_vf(struct igb_pf *pf, struct pci_dev *vf);

/* Reads STATUS through each VF's own BAR0: proves the VF BARs decode. */
void igb_selftest_vf_bars(struct igb_pf *pf, struct pci_dev *first, u16 n);

#endif
