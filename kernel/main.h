/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_MAIN_H
#define KERNEL_MAIN_H

#include "boot/bootinfo.h"

/*
 * The hypervisor proper, started once the kernel core is up (memory,
 * ACPI, APIC, timer, every CPU online, kernel self-tests done). It lives
 * in vmm/hv_main.c, the one place that knows every layer: the kernel only
 * calls it, as Linux's start_kernel calls the init process, and includes
 * nothing from the layers above. cpus_failed: APs that did not start.
 */
void __noreturn hv_main(struct hv_bootinfo *bi, u32 cpus_failed);

#endif
