/* SPDX-License-Identifier: MIT */
/*
 * How many igb VFs the guests of a configuration need, computed by the VMM
 * and passed down to drivers/ (pci_main), which never reads guest config.
 */
#ifndef VMM_VF_DEMAND_H
#define VMM_VF_DEMAND_H

#include "boot/config.h"

/* 1 + the highest `device = vf N` of any guest; 0 if no guest wants one. */
u16 vmm_vf_demand(const struct hv_config *cfg);

#endif
