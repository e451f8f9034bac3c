// SPDX-License-Identifier: MIT
/*
 * Host tests for vmm/vpic.c, driven the way Linux's i8259.c drives a PC's
 * pair: probe (mask write read back), init_8259A (ICW1 0x11, ICW2 0x30 /
 * 0x38, ICW3, ICW4 0x01), mask_and_ack (specific EOI), the ISR read of
 * i8259A_irq_real, the cascade through IR2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vmm/vpic.h"

static u32 in(struct vpic *p, u16 port)
{
	u32 v = 0xdeadbeef;

	vpic_io(p, port, true, &v);
	return v;
}

static void out(struct vpic *p, u16 port, u32 v)
{
	vpic_io(p, port, false, &v);
}

/* Linux's init_8259A(0) */
static void linux_init(struct vpic *p)
{
	memset(p, 0, sizeof(*p));
	out(p, VPIC_MASTER_DATA, 0xff);
	out(p, VPIC_SLAVE_DATA, 0xff);
	out(p, VPIC_MASTER_CMD, 0x11);
	out(p, VPIC_MASTER_DATA, 0x30);
	out(p, VPIC_MASTER_DATA, 1u << VPIC_CASCADE_IRQ);
	out(p, VPIC_MASTER_DATA, 0x01);
	out(p, VPIC_SLAVE_CMD, 0x11);
	out(p, VPIC_SLAVE_DATA, 0x38);
	out(p, VPIC_SLAVE_DATA, VPIC_CASCADE_IRQ);
	out(p, VPIC_SLAVE_DATA, 0x01);
	out(p, VPIC_MASTER_DATA, 0xfb);	/* all masked but the cascade */
	out(p, VPIC_SLAVE_DATA, 0xff);
}

static void test_probe_and_init(void **state)
{
	struct vpic p;

	memset(&p, 0, sizeof(p));
	assert_true(vpic_owns_port(0x20) && vpic_owns_port(0xa1));
	assert_false(vpic_owns_port(0x22) || vpic_owns_port(0x40));
	/* probe_8259A: the mask reads back */
	out(&p, VPIC_MASTER_DATA, 0xfb);
	assert_int_equal(in(&p, VPIC_MASTER_DATA), 0xfb);
	/* nothing is delivered before initialization */
	vpic_raise(&p, 4);
	out(&p, VPIC_MASTER_DATA, 0);
	assert_int_equal(vpic_pending(&p), 0);
	linux_init(&p);
	assert_int_equal(in(&p, VPIC_MASTER_DATA), 0xfb);
	vpic_raise(&p, 4);
	assert_int_equal(vpic_pending(&p), 0);		/* masked */
	out(&p, VPIC_MASTER_DATA, 0xeb);		/* unmask IR4 */
	assert_int_equal(vpic_pending(&p), 0x34);
}

static void test_accept_eoi_priority(void **state)
{
	struct vpic p;

	linux_init(&p);
	out(&p, VPIC_MASTER_DATA, 0x00);
	vpic_raise(&p, 4);
	vpic_raise(&p, 3);
	assert_int_equal(vpic_pending(&p), 0x33);	/* IR3 first */
	vpic_accept(&p);
	/* i8259A_irq_real: OCW3 read ISR, then back to IRR */
	out(&p, VPIC_MASTER_CMD, 0x0b);
	assert_int_equal(in(&p, VPIC_MASTER_CMD), 1u << 3);
	out(&p, VPIC_MASTER_CMD, 0x0a);
	assert_int_equal(in(&p, VPIC_MASTER_CMD), 1u << 4);
	/* IR4 waits while IR3 is in service */
	assert_int_equal(vpic_pending(&p), 0);
	out(&p, VPIC_MASTER_CMD, 0x60 | 3);		/* specific EOI */
	assert_int_equal(vpic_pending(&p), 0x34);
	vpic_accept(&p);
	assert_int_equal(vpic_pending(&p), 0);
	out(&p, VPIC_MASTER_CMD, 0x20);			/* non-specific EOI */
	assert_int_equal(vpic_pending(&p), 0);
	out(&p, VPIC_MASTER_CMD, 0x0b);
	assert_int_equal(in(&p, VPIC_MASTER_CMD), 0);
}

static void test_cascade(void **state)
{
	struct vpic p;

	linux_init(&p);
	out(&p, VPIC_SLAVE_DATA, 0xfe & ~(1u << 4));	/* IR12 = slave IR4 */
	vpic_raise(&p, 12);
	assert_int_equal(vpic_pending(&p), 0x3c);
	vpic_accept(&p);
	assert_int_equal(p.chip[1].isr, 1u << 4);
	assert_int_equal(p.chip[0].isr, 1u << VPIC_CASCADE_IRQ);
	/* a master input below the cascade still preempts; above it waits */
	out(&p, VPIC_MASTER_DATA, 0x00);
	vpic_raise(&p, 4);
	assert_int_equal(vpic_pending(&p), 0);
	vpic_raise(&p, 1);
	assert_int_equal(vpic_pending(&p), 0x31);
	/* Linux acks slave interrupts on both chips */
	out(&p, VPIC_SLAVE_CMD, 0x60 | 4);
	out(&p, VPIC_MASTER_CMD, 0x60 | VPIC_CASCADE_IRQ);
	assert_int_equal(p.chip[0].isr | p.chip[1].isr, 0);
	/* re-initialization drops what was pending */
	out(&p, VPIC_MASTER_CMD, 0x11);
	assert_int_equal(p.chip[0].irr, 0);
	assert_int_equal(vpic_pending(&p), 0);
}

/* What pcattack.bzimage does to the pair (tests/configs/linux_test.cfg). */
static void test_hostile_sequences(void **state)
{
	struct vpic p;

	/* an ICW sequence left half done: nothing is delivered, and the
	 * next data bytes are taken as its ICWs, not as the mask */
	linux_init(&p);
	out(&p, VPIC_MASTER_DATA, 0xef);	/* only IR4 open */
	out(&p, VPIC_MASTER_CMD, 0x11);		/* ICW1, then nothing */
	vpic_raise(&p, 4);
	assert_int_equal(vpic_pending(&p), 0);
	out(&p, VPIC_MASTER_DATA, 0x00);	/* ICW2: base 0x00 */
	out(&p, VPIC_MASTER_DATA, 0x04);	/* ICW3 */
	assert_int_equal(vpic_pending(&p), 0);
	out(&p, VPIC_MASTER_DATA, 0x01);	/* ICW4: done */
	/* base 0x00: IR4 arrives on the guest's exception vector 4 */
	assert_int_equal(vpic_pending(&p), 4);
	vpic_accept(&p);
	/* specific EOI for a line not in service changes nothing */
	out(&p, VPIC_MASTER_CMD, PIC_OCW2_EOI | PIC_OCW2_SL | 3);
	out(&p, VPIC_MASTER_CMD, 0x0b);		/* OCW3: read ISR */
	assert_int_equal(in(&p, VPIC_MASTER_CMD), 0x10);
	out(&p, VPIC_MASTER_CMD, PIC_OCW2_EOI | PIC_OCW2_SL | 4);
	assert_int_equal(in(&p, VPIC_MASTER_CMD), 0);

	/* poll mode: the read takes the interrupt; then nothing is left */
	linux_init(&p);
	out(&p, VPIC_MASTER_DATA, 0xe7);	/* IR3, IR4 open */
	vpic_raise(&p, 4);
	vpic_raise(&p, 3);
	out(&p, VPIC_MASTER_CMD, PIC_OCW3 | PIC_OCW3_POLL);
	assert_int_equal(in(&p, VPIC_MASTER_CMD), PIC_POLL_INT | 3);
	assert_int_equal(in(&p, VPIC_MASTER_CMD), 0x10);	/* IRR again */
	assert_int_equal(vpic_pending(&p), 0);	/* IR3 in service blocks IR4 */
	out(&p, VPIC_MASTER_CMD, PIC_OCW3 | PIC_OCW3_POLL);
	assert_int_equal(in(&p, VPIC_MASTER_CMD), 0);	/* nothing above IR3 */

	/* special mask mode: what is in service no longer blocks */
	out(&p, VPIC_MASTER_CMD, PIC_OCW3 | PIC_OCW3_ESMM | PIC_OCW3_SMM);
	assert_int_equal(vpic_pending(&p), 0x34);
	out(&p, VPIC_MASTER_CMD, PIC_OCW3 | PIC_OCW3_ESMM);
	assert_int_equal(vpic_pending(&p), 0);

	/* rapid mask and unmask: the edge stays requested until taken */
	linux_init(&p);
	vpic_raise(&p, 4);
	for (int i = 0; i < 1000; i++) {
		out(&p, VPIC_MASTER_DATA, 0xff);
		assert_int_equal(vpic_pending(&p), 0);
		out(&p, VPIC_MASTER_DATA, 0xeb);
	}
	assert_int_equal(vpic_pending(&p), 0x34);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_and_init),
		cmocka_unit_test(test_accept_eoi_priority),
		cmocka_unit_test(test_cascade),
		cmocka_unit_test(test_hostile_sequences),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
