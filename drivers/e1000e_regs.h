/* SPDX-License-Identifier: MIT */
/*
 * Intel 82574L GbE controller (QEMU's e1000e, 8086:10d3): the registers
 * the hypervisor touches before handing the whole function to a guest.
 * Intel 82574 GbE Controller Family Datasheet rev. 3.x, §10.2 registers.
 */
#ifndef DRIVERS_E1000E_REGS_H
#define DRIVERS_E1000E_REGS_H

#include "lib/types.h"

#define E1000E_VENDOR 0x8086
#define E1000E_DEVICE_82574L 0x10d3

#define E1000E_CTRL 0x0000		/* §10.2.2.1 Device Control */
#define E1000E_CTRL_RST BIT(26)		/* software reset, self-clearing */
#define E1000E_STATUS 0x0008		/* §10.2.2.2 Device Status */
#define E1000E_STATUS_LU BIT(1)
#define E1000E_ICR 0x00c0		/* §10.2.4.1 Interrupt Cause Read */
#define E1000E_IMC 0x00d8		/* §10.2.4.5 Interrupt Mask Clear */
#define E1000E_RCTL 0x0100		/* §10.2.5.1 Receive Control */
#define E1000E_TCTL 0x0400		/* §10.2.6.1 Transmit Control */

#endif
