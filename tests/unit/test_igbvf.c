// SPDX-License-Identifier: MIT
/*
 * lib/igbvf.c against a fake VF: registers are a plain array (a write is
 * read back as written, so an enable bit sticks), and every write is
 * logged so a test can say exactly which register got which value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/igbvf.h"
#include "lib/string.h"

#define REG_SPACE 0x4000
#define MAX_WRITES 256
#define RXD_STATUS 8		/* write-back status dword of an RX descriptor */

struct fake {
	u32 reg[REG_SPACE / 4];
	struct { u32 reg, val; } w[MAX_WRITES];
	u32 nw;
};

static struct fake f;
static u8 mem[IGBVF_MEM_SIZE] __attribute__((aligned(4096)));
static struct igbvf vf;

static u32 fake_read(void *ctx, u32 reg)
{
	return f.reg[reg / 4];
}

static void fake_write(void *ctx, u32 reg, u32 v)
{
	f.reg[reg / 4] = v;
	if (f.nw < MAX_WRITES) {
		f.w[f.nw].reg = reg;
		f.w[f.nw].val = v;
	}
	f.nw++;
}

static void fake_udelay(void *ctx, u32 us)
{
}

static u64 fake_dma(void *ctx, const void *p)
{
	return (u64)(uintptr_t)p;
}

/* The last value written to reg; fails the test if none was. */
static u32 last_write(u32 reg)
{
	u32 i;

	for (i = f.nw; i-- > 0;)
		if (i < MAX_WRITES && f.w[i].reg == reg)
			return f.w[i].val;
	fail_msg("register %#x was never written", reg);
	return 0;
}

static bool written(u32 reg)
{
	u32 i;

	for (i = 0; i < f.nw && i < MAX_WRITES; i++)
		if (f.w[i].reg == reg)
			return true;
	return false;
}

static int setup(void **state)
{
	const struct igbvf_ops ops = { fake_read, fake_write, fake_udelay,
				       fake_dma, NULL };

	memset(&f, 0, sizeof(f));
	memset(mem, 0, sizeof(mem));
	igbvf_init(&vf, &ops, mem);
	return 0;
}

static void test_rings(void **state)
{
	assert_int_equal(igbvf_rings_start(&vf), IGBVF_OK);
	assert_int_equal(last_write(IGBVF_RDLEN), IGBVF_RING * 16);
	assert_int_equal(last_write(IGBVF_TDLEN), IGBVF_RING * 16);
	/* All but one RX descriptor go to the hardware. */
	assert_int_equal(last_write(IGBVF_RDT), IGBVF_RING - 1);
	assert_true(last_write(IGBVF_RXDCTL) & IGBVF_XDCTL_ENABLE);
}

/* Marks RX descriptor i written back by the "hardware", len bytes. */
static void rx_done(u32 i, u32 len)
{
	u8 *d = mem + 1024 + i * 16;	/* MEM_RX_RING in lib/igbvf.c */
	u32 status = IGB_RXD_STAT_DD | IGB_RXD_STAT_EOP;

	memcpy(d + RXD_STATUS, &status, 4);
	memcpy(d + 12, &len, 4);
}

static void test_rx_ready(void **state)
{
	u8 buf[IGBVF_BUF];
	u32 i;

	assert_int_equal(igbvf_rings_start(&vf), IGBVF_OK);
	assert_false(igbvf_rx_ready(&vf));
	rx_done(0, 60);
	assert_true(igbvf_rx_ready(&vf));
	assert_int_equal(igbvf_poll_rx(&vf, buf, sizeof(buf)), 60);
	/* Taken: the descriptor is re-armed, the next one is empty. */
	assert_false(igbvf_rx_ready(&vf));
	/* Around the whole ring: ready follows rx_next past the wrap. */
	for (i = 1; i <= IGBVF_RING; i++) {
		rx_done(i % IGBVF_RING, 64);
		assert_true(igbvf_rx_ready(&vf));
		assert_int_equal(igbvf_poll_rx(&vf, buf, sizeof(buf)), 64);
		assert_int_equal(last_write(IGBVF_RDT), i % IGBVF_RING);
	}
	assert_false(igbvf_rx_ready(&vf));
}

static void test_irq_routing(void **state)
{
	u32 all = BIT(IGBVF_NVEC) - 1;

	/* RX and TX of queue 0 on vector 0, the mailbox on vector 1. */
	assert_int_equal(igbvf_irq_enable(&vf, 0, 0, 1), IGBVF_OK);
	assert_int_equal(last_write(IGBVF_IVAR0),
			 (0 | IGBVF_IVAR_VALID) |
			 (0 | IGBVF_IVAR_VALID) << IGBVF_IVAR_TX_SHIFT);
	assert_int_equal(last_write(IGBVF_IVAR_MISC), 1 | IGBVF_IVAR_VALID);
	assert_int_equal(last_write(IGBVF_EIAC), all);
	assert_int_equal(last_write(IGBVF_EIMS), all);
	f.nw = 0;
	assert_int_equal(igbvf_irq_enable(&vf, 0, 1, IGBVF_NVEC), IGBVF_EINVAL);
	assert_int_equal(f.nw, 0);
}

static void test_irq_mask_raise(void **state)
{
	igbvf_irq_mask(&vf, BIT(0), true);
	assert_int_equal(last_write(IGBVF_EIMC), BIT(0));
	assert_false(written(IGBVF_EIMS));
	igbvf_irq_mask(&vf, BIT(0), false);
	assert_int_equal(last_write(IGBVF_EIMS), BIT(0));
	/* Bits past the VF's three vectors never reach the device. */
	igbvf_irq_mask(&vf, 0xffffffffu, true);
	assert_int_equal(last_write(IGBVF_EIMC), BIT(IGBVF_NVEC) - 1);
	igbvf_irq_raise(&vf, BIT(1) | BIT(5));
	assert_int_equal(last_write(IGBVF_EICS), BIT(1));
}

static void test_irq_moderate(void **state)
{
	assert_int_equal(igbvf_irq_moderate(&vf, 0, 50), IGBVF_OK);
	assert_int_equal(last_write(IGBVF_EITR(0)), 50 << IGBVF_EITR_INTERVAL_SHIFT);
	assert_int_equal(igbvf_irq_moderate(&vf, 2, 0), IGBVF_OK);
	assert_int_equal(last_write(IGBVF_EITR(2)), 0);
	/* Too long an interval is clamped to the 12-bit field. */
	assert_int_equal(igbvf_irq_moderate(&vf, 1, 1000000), IGBVF_OK);
	assert_int_equal(last_write(IGBVF_EITR(1)),
			 IGBVF_EITR_INTERVAL_MAX << IGBVF_EITR_INTERVAL_SHIFT);
	f.nw = 0;
	assert_int_equal(igbvf_irq_moderate(&vf, IGBVF_NVEC, 50), IGBVF_EINVAL);
	assert_int_equal(f.nw, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_rings, setup),
		cmocka_unit_test_setup(test_rx_ready, setup),
		cmocka_unit_test_setup(test_irq_routing, setup),
		cmocka_unit_test_setup(test_irq_mask_raise, setup),
		cmocka_unit_test_setup(test_irq_moderate, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
