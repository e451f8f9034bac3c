// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "lib/uart16550.h"
#include "vmm/vuart.h"

static char out[64];
static unsigned nout;

static void capture(void *ctx, char c)
{
	(void)ctx;
	out[nout++ % sizeof(out)] = c;
}

static void setup_uart(struct vuart *u)
{
	memset(u, 0, sizeof(*u));
	u->putc = capture;
	nout = 0;
}

static u32 rd(struct vuart *u, u16 off)
{
	u32 v = 0xdeadbeef;

	vuart_io(u, off, true, &v);
	return v;
}

static void wr(struct vuart *u, u16 off, u32 v)
{
	vuart_io(u, off, false, &v);
}

/* THR writes reach the console; LSR always says "ready to send". */
static void test_transmit(void **state)
{
	struct vuart u;

	setup_uart(&u);
	assert_int_equal(rd(&u, UART_LSR) & UART_LSR_THRE, UART_LSR_THRE);
	wr(&u, UART_THR, 'h');
	wr(&u, UART_THR, 'i');
	assert_int_equal(nout, 2);
	assert_memory_equal(out, "hi", 2);
}

/* With DLAB set, offsets 0 and 1 are the divisor: nothing is printed. */
static void test_divisor_latch(void **state)
{
	struct vuart u;

	setup_uart(&u);
	wr(&u, UART_IER, 0x05);
	wr(&u, UART_LCR, UART_LCR_DLAB);
	wr(&u, UART_DLL, 1);
	wr(&u, UART_DLM, 0);
	assert_int_equal(nout, 0);
	assert_int_equal(rd(&u, UART_IER), 0);
	wr(&u, UART_LCR, UART_LCR_8N1);
	assert_int_equal(rd(&u, UART_LCR), UART_LCR_8N1);
	assert_int_equal(rd(&u, UART_IER), 0x05);
}

/* Nothing is ever received or pending; the scratch register keeps its byte. */
static void test_status_and_scratch(void **state)
{
	struct vuart u;

	setup_uart(&u);
	assert_int_equal(rd(&u, UART_RBR), 0);
	assert_int_equal(rd(&u, UART_IIR), UART_IIR_NO_INT);
	assert_int_equal(rd(&u, UART_MSR), UART_MSR_DCD_DSR_CTS);
	wr(&u, UART_SCR, 0xa5);
	assert_int_equal(rd(&u, UART_SCR), 0xa5);
}

/* Offsets past the 8 registers change nothing and read nothing. */
static void test_out_of_range(void **state)
{
	struct vuart u;

	setup_uart(&u);
	wr(&u, UART_NREGS, 'x');
	assert_int_equal(nout, 0);
	assert_int_equal(rd(&u, UART_NREGS), 0xdeadbeef);
}

static unsigned nirq;

static void count_irq(void *ctx)
{
	(void)ctx;
	nirq++;
}

/*
 * The THRE interrupt the way Linux's 8250 driver meets it: its startup
 * test (IER on, IIR, IER off and on, IIR: raised again), FIFO detection,
 * and sending from the interrupt: each THR write empties at once and
 * raises a new edge; OUT2 gates the line.
 */
static void test_thre_interrupt(void **state)
{
	struct vuart u;

	setup_uart(&u);
	u.irq = count_irq;
	nirq = 0;
	/* FIFO enable: IIR bits 7:6 say 16550A */
	wr(&u, UART_FCR, UART_FCR_FIFO_ENABLE);
	assert_int_equal(rd(&u, UART_IIR), UART_IIR_FIFOS | UART_IIR_NO_INT);
	wr(&u, UART_FCR, 0);
	/* serial8250_do_startup's THRE test */
	wr(&u, UART_IER, UART_IER_THRI);
	assert_int_equal(rd(&u, UART_IIR), UART_IIR_THRI);
	assert_int_equal(rd(&u, UART_IIR), UART_IIR_NO_INT);	/* cleared by the read */
	wr(&u, UART_IER, 0);
	wr(&u, UART_IER, UART_IER_THRI);
	assert_int_equal(rd(&u, UART_IIR), UART_IIR_THRI);
	assert_int_equal(nirq, 0);		/* OUT2 off: no line to the PIC */
	/* with OUT2: an edge when THRI is enabled, one per byte sent */
	wr(&u, UART_IER, 0);
	wr(&u, UART_MCR, UART_MCR_OUT2);
	assert_int_equal(rd(&u, UART_MCR), UART_MCR_OUT2);
	wr(&u, UART_IER, UART_IER_THRI);
	assert_int_equal(nirq, 1);
	assert_int_equal(rd(&u, UART_IIR), UART_IIR_THRI);
	wr(&u, UART_THR, 'o');
	assert_int_equal(nirq, 2);
	assert_int_equal(rd(&u, UART_IIR), UART_IIR_THRI);
	wr(&u, UART_THR, 'k');
	assert_int_equal(nirq, 3);
	/* THRI off (stop_tx): the line drops, no more edges */
	wr(&u, UART_IER, 0);
	assert_int_equal(rd(&u, UART_IIR), UART_IIR_NO_INT);
	wr(&u, UART_THR, '!');
	assert_int_equal(nirq, 3);
	assert_memory_equal(out, "ok!", 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transmit),
		cmocka_unit_test(test_divisor_latch),
		cmocka_unit_test(test_status_and_scratch),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_thre_interrupt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
