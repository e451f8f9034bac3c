/* SPDX-License-Identifier: MIT */
/*
 * lib/igbvf.c's register, delay and DMA-address operations for a guest
 * whose VF registers the VMM mapped at a guest-physical address (the boot
 * info's mmio_gpa). The guest's page tables are an identity map, so a
 * pointer is its guest-physical address, which is what the VF's DMA uses.
 */
#ifndef GUEST_TESTS_VF_MMIO_H
#define GUEST_TESTS_VF_MMIO_H

#include "lib/igbvf.h"

void vf_mmio_ops(struct igbvf_ops *ops, u64 mmio_gpa);

#endif
