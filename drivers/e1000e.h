/* SPDX-License-Identifier: MIT */
#ifndef DRIVERS_E1000E_H
#define DRIVERS_E1000E_H

#include "drivers/pci.h"

/*
 * Quiesces every 82574L (e1000e) found: interrupts masked, CTRL.RST,
 * bounded wait, masked again, bus mastering off; marks each as an
 * "assignable whole function". Returns how many were reset. With
 * selftest, one check per device.
 */
u32 e1000e_init_all(bool selftest);

#endif
