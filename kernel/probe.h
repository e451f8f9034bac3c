/* SPDX-License-Identifier: MIT */
/*
 * Probes: single instructions that are expected to fault, used by the boot
 * self-tests to prove that protections really hold (W^X, guard pages,
 * exception delivery). Each returns 0 if the access completed, or
 * (vector + 1) if it raised that exception; the error code and CR2 are
 * then in this_cpu()->probe_error / probe_cr2.
 */
#ifndef KERNEL_PROBE_H
#define KERNEL_PROBE_H

#include "lib/types.h"

int probe_read8(const volatile void *addr);
int probe_write8(volatile void *addr, u8 value);
int probe_call(const void *fn);
int probe_ud2(void);
int probe_divide_error(void);

#endif
