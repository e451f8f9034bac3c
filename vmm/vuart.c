// SPDX-License-Identifier: MIT
#include "lib/uart16550.h"
#include "vmm/vuart.h"

static void vuart_write(struct vuart *u, u16 off, u8 b)
{
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (off) {
	case UART_THR:
		if (!dlab) {
			u->putc(u->ctx, (char)b);
			u->thre_pending = true;	/* sent at once: empty again */
		}
		break;	/* DLL: the baud rate means nothing here */
	case UART_IER:
		if (dlab)
			break;
		if ((b & ~u->ier) & UART_IER_THRI)
			u->thre_pending = true;	/* enabled while THR is empty */
		u->ier = b;
		break;
	case UART_FCR:
		u->fifo = b & UART_FCR_FIFO_ENABLE;
		break;
	case UART_MCR:
		u->mcr = b;
		break;
	case UART_LCR:
		u->lcr = b;
		break;
	case UART_SCR:
		u->scr = b;
		break;
	default:
		break;
	}
}

static bool thre_irq(const struct vuart *u)
{
	return (u->ier & UART_IER_THRI) && u->thre_pending;
}

/* Reading IIR clears the THRE interrupt it reports. */
static u32 read_iir(struct vuart *u)
{
	u32 fifos = u->fifo ? UART_IIR_FIFOS : 0;

	if (!thre_irq(u))
		return UART_IIR_NO_INT | fifos;
	u->thre_pending = false;
	return UART_IIR_THRI | fifos;
}

static u32 vuart_read(struct vuart *u, u16 off)
{
	switch (off) {
	case UART_LSR:
		return UART_LSR_THRE | UART_LSR_TEMT;
	case UART_IER:
		return u->lcr & UART_LCR_DLAB ? 0 : u->ier;
	case UART_IIR:
		return read_iir(u);
	case UART_MCR:
		return u->mcr;
	case UART_LCR:
		return u->lcr;
	case UART_MSR:
		return UART_MSR_DCD_DSR_CTS;
	case UART_SCR:
		return u->scr;
	default:
		return 0;	/* RBR: nothing received */
	}
}

static bool irq_line(const struct vuart *u)
{
	return (u->mcr & UART_MCR_OUT2) && thre_irq(u);
}

void vuart_io(struct vuart *u, u16 off, bool in, u32 *val)
{
	bool before = irq_line(u);

	if (off >= UART_NREGS)
		return;
	if (in)
		*val = vuart_read(u, off);
	else
		vuart_write(u, off, (u8)*val);
	if (!before && irq_line(u) && u->irq)
		u->irq(u->ctx);
}
