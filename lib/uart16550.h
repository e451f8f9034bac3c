/* SPDX-License-Identifier: MIT */
/*
 * The 16550 UART's registers (National Semiconductor PC16550D datasheet,
 * section 8 "Registers", Table II), used by the hypervisor's console
 * driver (kernel/serial.c) and by the virtual UART it gives guests
 * (vmm/vuart.c). Offsets are from the base I/O port.
 */
#ifndef LIB_UART16550_H
#define LIB_UART16550_H

#define UART_RBR 0 /* read, DLAB=0: receive buffer */
#define UART_THR 0 /* write, DLAB=0: transmit holding */
#define UART_DLL 0 /* DLAB=1: divisor latch low */
#define UART_IER 1 /* DLAB=0: interrupt enable */
#define UART_DLM 1 /* DLAB=1: divisor latch high */
#define UART_IIR 2 /* read: interrupt identification */
#define UART_FCR 2 /* write: FIFO control */
#define UART_LCR 3 /* line control */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */
#define UART_MSR 6 /* modem status */
#define UART_SCR 7 /* scratch */
#define UART_NREGS 8

#define UART_LCR_8N1 0x03
#define UART_LCR_DLAB 0x80
#define UART_FCR_ENABLE_CLEAR 0x07
#define UART_MCR_DTR_RTS_OUT2 0x0b
#define UART_IIR_NO_INT 0x01
#define UART_IIR_THRI 0x02 /* source: transmit holding register empty */
#define UART_IIR_FIFOS 0xc0 /* FIFOs enabled (16550A) */
#define UART_IER_THRI 0x02 /* enable the THRE interrupt (ETBEI) */
#define UART_FCR_FIFO_ENABLE 0x01
#define UART_MCR_OUT2 0x08 /* on a PC, gates the IRQ line to the PIC */
#define UART_LSR_THRE 0x20 /* transmit holding register empty */
#define UART_LSR_TEMT 0x40 /* transmitter empty */
#define UART_MSR_DCD_DSR_CTS 0xb0

#endif
