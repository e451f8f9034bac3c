/* SPDX-License-Identifier: MIT */
/*
 * The VMM's entry point for vmm/hv_main.c.
 */
#ifndef VMM_VMM_H
#define VMM_VMM_H

#include "boot/bootinfo.h"

enum vmm_result {
	VMM_NO_GUESTS = 0,	/* none configured: nothing was started */
	VMM_GUESTS_PASSED,	/* every guest ended as its cmdline expected */
	VMM_GUESTS_FAILED,
};

/*
 * Starts every configured guest on its own AP, waits until all have
 * stopped and records one self-test check per guest (its verdict).
 */
enum vmm_result vmm_run_guests(struct hv_bootinfo *bi);

#endif
