// SPDX-License-Identifier: MIT
#include "lib/uart16550.h"
#include "vmm/vuart.h"

static void vuart_write(struct vuart *u, u16 off, u8 b)
{
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (off) {
	case UART_THR:
		if (!dlab)
			u->putc(u->ctx, (char)b);
		break;	/* DLL: the baud rate means nothing here */
	case UART_IER:
		if (!dlab)
			u->ier = b;
		break;
	case UART_LCR:
		u->lcr = b;
		break;
	case UART_SCR:
		u->scr = b;
		break;
	default:
		break;	/* FCR, MCR: accepted, no effect */
	}
}

static u32 vuart_read(const struct vuart *u, u16 off)
{
	switch (off) {
	case UART_LSR:
		return UART_LSR_THRE | UART_LSR_TEMT;
	case UART_IER:
		return u->lcr & UART_LCR_DLAB ? 0 : u->ier;
	case UART_IIR:
		return UART_IIR_NO_INT;
	case UART_LCR:
		return u->lcr;
	case UART_MSR:
		return UART_MSR_DCD_DSR_CTS;
	case UART_SCR:
		return u->scr;
	default:
		return 0;	/* RBR, MCR: nothing received */
	}
}

void vuart_io(struct vuart *u, u16 off, bool in, u32 *val)
{
	if (off >= UART_NREGS)
		return;
	if (in)
		*val = vuart_read(u, off);
	else
		vuart_write(u, off, (u8)*val);
}
