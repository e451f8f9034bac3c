/* SPDX-License-Identifier: MIT */
/*
 * The virtual 16550 each guest sees at HV_UART_BASE (lib/hv_abi.h): enough
 * for a guest that only prints. Transmitted bytes go to a callback, the
 * line status always says "transmitter idle", nothing is ever received.
 * It raises the transmitter-empty interrupt as a 16550 does (PC16550D
 * §8.4, §8.6: set when THR empties or ETBEI is enabled with THR empty,
 * cleared by reading IIR or writing THR), because Linux's 8250 driver
 * sends from that interrupt; FIFO enable makes it read as a 16550A.
 * Pure: host-tested in tests/unit/vuart.mk.
 */
#ifndef VMM_VUART_H
#define VMM_VUART_H

#include "lib/hv_abi.h"
#include "lib/types.h"

#define VUART_REGS 8		/* HV_UART_BASE .. + 7 */

static inline bool vuart_owns_port(u16 port)
{
	return port >= HV_UART_BASE && port < HV_UART_BASE + VUART_REGS;
}

struct vuart {
	u8 lcr, ier, scr, mcr;
	bool fifo;		/* FCR bit 0: reads as a 16550A */
	bool thre_pending;	/* THRE interrupt raised, not yet cleared */
	void (*putc)(void *ctx, char c);
	/* Rising edge of the IRQ line (may be NULL): THRE interrupt
	 * enabled and pending, with OUT2 set as a PC wires it. */
	void (*irq)(void *ctx);
	void *ctx;
};

/* An access of one byte at register offset off (0..VUART_REGS - 1); in:
 * *val is set. */
void vuart_io(struct vuart *u, u16 off, bool in, u32 *val);

#endif
