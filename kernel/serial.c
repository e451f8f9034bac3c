// SPDX-License-Identifier: MIT
/*
 * 16550 UART console (registers in lib/uart16550.h).
 */
#include "kernel/serial.h"
#include "kernel/cpu.h"
#include "lib/uart16550.h"

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
	outb(port + UART_LCR, UART_LCR_DLAB);
	outb(port + UART_DLL, div & 0xff);
	outb(port + UART_DLM, div >> 8);
	outb(port + UART_LCR, UART_LCR_8N1);
	outb(port + UART_FCR, UART_FCR_ENABLE_CLEAR);
	outb(port + UART_MCR, UART_MCR_DTR_RTS_OUT2);
}

void serial_putc(char c)
{
	unsigned spins = 0;

	if (!uart_port)
		return;
	while (!(inb(uart_port + UART_LSR) & UART_LSR_THRE) &&
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
