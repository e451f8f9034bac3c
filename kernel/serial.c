// SPDX-License-Identifier: MIT
/*
 * 16550 UART console. Register offsets and bits from the National
 * Semiconductor PC16550D datasheet (section 8, "Registers").
 */
#include "kernel/serial.h"
#include "kernel/cpu.h"

#define UART_THR 0 /* transmit holding (DLAB=0) */
#define UART_DLL 0 /* divisor latch low (DLAB=1) */
#define UART_IER 1
#define UART_DLM 1 /* divisor latch high (DLAB=1) */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5

#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define FCR_ENABLE_CLEAR 0x07
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_THRE 0x20

#define UART_CLOCK 115200
/*
 * A missing or wedged UART must not hang the hypervisor: give up on a
 * character after this many status polls (several ms on real hardware).
 */
#define UART_SPIN_LIMIT 100000

static u16 uart_port;

void serial_init(u16 port, u32 baud)
{
	u16 div = UART_CLOCK / (baud ? baud : UART_CLOCK);

	uart_port = port;
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DLL, div & 0xff);
	outb(port + UART_DLM, div >> 8);
	outb(port + UART_LCR, LCR_8N1);
	outb(port + UART_FCR, FCR_ENABLE_CLEAR);
	outb(port + UART_MCR, MCR_DTR_RTS_OUT2);
}

void serial_putc(char c)
{
	unsigned spins = 0;

	if (!uart_port)
		return;
	while (!(inb(uart_port + UART_LSR) & LSR_THRE) &&
	       spins++ < UART_SPIN_LIMIT)
		cpu_relax();
	outb(uart_port + UART_THR, (u8)c);
}

void serial_write(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}
