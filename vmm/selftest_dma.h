/* SPDX-License-Identifier: MIT */
#ifndef VMM_SELFTEST_DMA_H
#define VMM_SELFTEST_DMA_H

#include "boot/config.h"

/*
 * IOMMU self-tests with QEMU's edu device as the DMA master (-device edu):
 * DMA through a domain, blocked DMA and its fault report, MSI through an
 * interrupt remapping entry, a blocked interrupt from the wrong requester.
 * Runs only with cfg->selftest; skipped with a log line when there is no
 * IOMMU or no edu device.
 */
void selftest_dma(const struct hv_config *cfg);

#endif
