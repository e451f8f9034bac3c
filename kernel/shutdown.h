/* SPDX-License-Identifier: MIT */
/*
 * How the hypervisor ends a run. On QEMU with isa-debug-exit (config key
 * debug_exit), the verdict becomes QEMU's exit status: a write of v makes
 * QEMU exit with (v << 1) | 1. Elsewhere every CPU halts.
 */
#ifndef KERNEL_SHUTDOWN_H
#define KERNEL_SHUTDOWN_H

#include "lib/types.h"

enum hv_verdict {
	HV_EXIT_PASS = 0x10,  /* QEMU exit status 33 */
	HV_EXIT_FAIL = 0x11,  /* 35: a self-test or guest verdict failed */
	HV_EXIT_PANIC = 0x12, /* 37: the hypervisor panicked */
};

void shutdown_set_debug_exit(u16 port);
void __noreturn hv_exit(enum hv_verdict verdict);

#endif
