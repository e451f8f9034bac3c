/* SPDX-License-Identifier: MIT */
/*
 * The virtual 16550 each guest sees at HV_UART_BASE (lib/hv_abi.h): enough
 * for a guest that only prints. Transmitted bytes go to a callback, the
 * line status always says "transmitter idle", nothing is ever received and
 * no interrupt is raised. Pure: host-tested in tests/unit/vuart.mk.
 */
#ifndef VMM_VUART_H
#define VMM_VUART_H

#include "lib/types.h"

struct vuart {
	u8 lcr, ier, scr;
	void (*putc)(void *ctx, char c);
	void *ctx;
};

/* An access of one byte at register offset off (0..7); in: *val is set. */
void vuart_io(struct vuart *u, u16 off, bool in, u32 *val);

#endif
