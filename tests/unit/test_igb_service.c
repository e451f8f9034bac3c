// SPDX-License-Identifier: MIT
/*
 * drivers/igb_service.c against a model of the 82576's virtualization
 * registers (§8.14, as QEMU's hw/net/igb_core.c implements them): VFLRE
 * and MBVFICR write-1-to-clear, a VF reset clears the VF's VFRE/VFTE bits
 * and sets its VFLRE bit, PFU sticks only while the VF does not hold VFU.
 * VFs act between the PF's register accesses (hooks), which is how the
 * races of issue 8 (defect 7) happen on real and emulated hardware.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/igb_service.h"
#include "tests/unit/log_stub.h"

#define NVF 2
#define REG_SPACE 0x8000
#define PASS_NS 1000000ull	/* the VMM's wait loop polls every 1 ms */

static const u8 pf_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

struct vf_model {
	bool vfu;		/* VF holds the buffer */
	bool pfu;
	bool pfsts, pfack;	/* PF posted a reply / acknowledged */
	u32 mem[IGB_MBX_WORDS];
};

static u32 regs[REG_SPACE / 4];
static struct vf_model vfm[NVF];
static struct igb_service svc;
static u64 now;
static u32 udelays;

/* One-shot hooks: run once when the PF touches reg. */
static u32 hook_read_reg, hook_write_reg;
static void (*hook_read)(void), (*hook_write)(void);

static int vf_of_mbx(u32 reg)
{
	if (reg >= IGB_P2VMAILBOX(0) && reg < IGB_P2VMAILBOX(NVF))
		return (int)(reg - IGB_P2VMAILBOX(0)) / 4;
	return -1;
}

static int vf_of_mem(u32 reg, u32 *word)
{
	if (reg < IGB_VMBMEM(0) || reg >= IGB_VMBMEM(NVF))
		return -1;
	*word = (reg - IGB_VMBMEM(0)) % 64 / 4;
	return (int)(reg - IGB_VMBMEM(0)) / 64;
}

static u32 model_read(void *ctx, u32 reg)
{
	u32 v, w;
	int n;

	if ((n = vf_of_mbx(reg)) >= 0)
		v = (vfm[n].pfu ? IGB_P2VMAILBOX_PFU : 0) |
		    (vfm[n].vfu ? IGB_P2VMAILBOX_VFU : 0);
	else if ((n = vf_of_mem(reg, &w)) >= 0)
		v = vfm[n].mem[w];
	else
		v = regs[reg / 4];
	if (hook_read && reg == hook_read_reg) {
		void (*h)(void) = hook_read;

		hook_read = NULL;
		h();
	}
	return v;
}

static void model_write(void *ctx, u32 reg, u32 v)
{
	u32 w;
	int n;

	if ((n = vf_of_mbx(reg)) >= 0) {
		vfm[n].pfu = (v & IGB_P2VMAILBOX_PFU) && !vfm[n].vfu;
		if (v & IGB_P2VMAILBOX_STS)
			vfm[n].pfsts = true;
		if (v & IGB_P2VMAILBOX_ACK)
			vfm[n].pfack = true;
	} else if ((n = vf_of_mem(reg, &w)) >= 0) {
		vfm[n].mem[w] = v;
	} else if (reg == IGB_MBVFICR || reg == IGB_VFLRE) {
		regs[reg / 4] &= ~v;
	} else {
		regs[reg / 4] = v;
	}
	if (hook_write && reg == hook_write_reg) {
		void (*h)(void) = hook_write;

		hook_write = NULL;
		h();
	}
}

static void model_udelay(void *ctx, u32 us)
{
	udelays++;
	now += us * 1000ull;
}

static u64 model_now(void *ctx)
{
	return now;
}

/* ---- what a VF does ---------------------------------------------------- */

static void vf_reset(u16 v)
{
	regs[IGB_VFRE / 4] &= ~(1u << v);
	regs[IGB_VFTE / 4] &= ~(1u << v);
	regs[IGB_VFLRE / 4] |= 1u << v;
}

static void vf_post(u16 v, const u32 *msg, u32 len)
{
	u32 i;

	memset(vfm[v].mem, 0, sizeof(vfm[v].mem));
	for (i = 0; i < len; i++)
		vfm[v].mem[i] = msg[i];
	vfm[v].pfack = vfm[v].pfsts = false;
	regs[IGB_MBVFICR / 4] |= IGB_MBVFICR_VFREQ(v);
}

static void vf_post_reset(u16 v)
{
	u32 m[1] = { IGB_MSG_RESET };

	vf_post(v, m, 1);
}

/* The VF driver's reset: VTCTRL.RST, then the RESET message. */
static void vf1_resets_and_asks(void)
{
	vf_reset(1);
	vf_post_reset(1);
}

static bool vf_enabled(u16 v)
{
	return (regs[IGB_VFRE / 4] & (1u << v)) && (regs[IGB_VFTE / 4] & (1u << v));
}

/* The reply the PF posted for v: word 0. */
static u32 reply0(u16 v)
{
	assert_true(vfm[v].pfsts);
	return vfm[v].mem[0];
}

static void pass(void)
{
	igb_service_pass(&svc);
	now += PASS_NS;
}

static int setup(void **state)
{
	struct igb_io io = { model_read, model_write, model_udelay, model_now, NULL };

	memset(regs, 0, sizeof(regs));
	memset(vfm, 0, sizeof(vfm));
	hook_read = hook_write = NULL;
	now = 5 * IGB_SVC_WINDOW_NS;
	udelays = 0;
	igb_service_init(&svc, &io, NVF, pf_mac);
	log_stub_reset();
	return 0;
}

/* ---- attribution and ordering ------------------------------------------ */

/*
 * The race seen in the two-VF boot test: while the PF handles VF0's reset
 * event, VF1 resets and posts RESET. VF1's reset must be handled before
 * its RESET, so VF1 ends enabled with the handshake done.
 */
static void test_reset_before_handshake_of_neighbour(void **state)
{
	vf_reset(0);
	hook_write_reg = IGB_VFRE;	/* the PF is turning VF0 off */
	hook_write = vf1_resets_and_asks;
	pass();
	pass();
	pass();
	assert_int_equal(reply0(1), IGB_MSG_RESET | IGB_MSG_ACK);
	assert_true(svc.vf[1].cts);
	assert_true(vf_enabled(1));
	assert_false(svc.vf[0].cts);
	assert_false(vf_enabled(0));
	assert_int_equal(svc.vflr_events, 2);
}

/* The same with VF1 acting between the PF's two register reads. */
static void test_reset_between_the_reads(void **state)
{
	hook_read_reg = IGB_MBVFICR;
	hook_read = vf1_resets_and_asks;
	pass();
	pass();
	assert_true(svc.vf[1].cts);
	assert_true(vf_enabled(1));
	assert_int_equal(svc.msgs, 1);
}

/* A VF's own reset after its handshake still turns it off. */
static void test_reset_after_handshake_disables(void **state)
{
	vf_post_reset(0);
	vf_post_reset(1);
	pass();
	assert_true(vf_enabled(0) && vf_enabled(1));
	vf_reset(1);
	pass();
	assert_false(svc.vf[1].cts);
	assert_false(vf_enabled(1));
	assert_int_equal(regs[IGB_RAH(2) / 4], 0);
	/* ... and only it. */
	assert_true(svc.vf[0].cts);
	assert_true(vf_enabled(0));
	assert_true(regs[IGB_RAH(1) / 4] & IGB_RAH_AV);
}

static void vf1_reset_now(void)
{
	vf_reset(1);
}

/* A reset raised after the PF read VFLRE survives its write-1-to-clear. */
static void test_w1c_keeps_unseen_events(void **state)
{
	vf_reset(0);
	hook_read_reg = IGB_VFLRE;
	hook_read = vf1_reset_now;
	pass();
	assert_int_equal(svc.vflr_events, 1);
	assert_int_equal(regs[IGB_VFLRE / 4], 1u << 1);
	pass();
	assert_int_equal(svc.vflr_events, 2);
	assert_int_equal(regs[IGB_VFLRE / 4], 0);
}

/* Bits of VFs that do not exist are neither handled nor cleared. */
static void test_foreign_bits_ignored(void **state)
{
	regs[IGB_VFLRE / 4] = 1u << 5;
	regs[IGB_MBVFICR / 4] = IGB_MBVFICR_VFREQ(6);
	pass();
	assert_int_equal(svc.vflr_events, 0);
	assert_int_equal(svc.msgs, 0);
	assert_int_equal(regs[IGB_VFLRE / 4], 1u << 5);
}

/* ---- hostile VFs --------------------------------------------------------- */

/* A VF that keeps VFU: bounded wait, request kept, neighbour served. */
static void test_vf_holding_the_mailbox(void **state)
{
	vf_post_reset(0);
	vfm[0].vfu = true;
	vf_post_reset(1);
	pass();
	assert_true(udelays <= IGB_SVC_LOCK_TRIES);
	assert_true(svc.vf[1].cts);
	assert_false(svc.vf[0].cts);
	assert_true(regs[IGB_MBVFICR / 4] & IGB_MBVFICR_VFREQ(0));
	assert_true(log_stub_contains("VF0: mailbox held by the VF"));
	vfm[0].vfu = false;
	pass();
	assert_true(svc.vf[0].cts);
}

static void flood_step(u32 i)
{
	u32 junk[IGB_MBX_WORDS] = { 0x77 | i << 16, i, ~i };

	if (i % 2)
		vf_reset(0);
	vf_post(0, junk, IGB_MBX_WORDS);
}

/*
 * VF0 floods: a reset every other pass and a new request in every pass.
 * VF1 resets, asks, sets its MAC meanwhile: it is served each time. VF0
 * gets its budget and a bounded number of log lines per window.
 */
static void test_flood_does_not_starve_neighbour(void **state)
{
	u32 own[3], i, lines;

	own[0] = IGB_MSG_SET_MAC;
	own[1] = (u32)svc.vf[1].mac[0] | (u32)svc.vf[1].mac[1] << 8 |
		 (u32)svc.vf[1].mac[2] << 16 | (u32)svc.vf[1].mac[3] << 24;
	own[2] = (u32)svc.vf[1].mac[4] | (u32)svc.vf[1].mac[5] << 8;
	for (i = 0; i < 200; i++) {
		flood_step(i);
		if (i == 100)
			vf1_resets_and_asks();
		if (i == 150)
			vf_post(1, own, 3);
		pass();
		if (i == 100)
			assert_int_equal(reply0(1), IGB_MSG_RESET | IGB_MSG_ACK);
		if (i == 150)
			assert_int_equal(reply0(1), IGB_MSG_SET_MAC | IGB_MSG_ACK | IGB_MSG_CTS);
	}
	assert_true(svc.vf[1].cts);
	assert_true(vf_enabled(1));
	assert_int_equal(svc.msgs, IGB_SVC_MSG_BUDGET + 2);
	assert_true(svc.deferred >= 200 - IGB_SVC_MSG_BUDGET - 1);
	assert_true(log_stub_contains("VF0: mailbox flood"));
	/* VF0's budget, its one flood line, VF1's reset, RESET and SET_MAC. */
	lines = log_stub_count();
	assert_true(lines <= IGB_SVC_LOG_BUDGET + 1 + 3);
	/* The next window: the suppressed lines are counted, VF0 served. */
	now += IGB_SVC_WINDOW_NS;
	pass();
	assert_true(log_stub_contains("VF0: rate limit:"));
	assert_int_equal(svc.msgs, IGB_SVC_MSG_BUDGET + 3);
	assert_true(svc.vf[0].nacks > 0);
}

/* A VF acknowledging what the PF never sent costs one write. */
static void test_stray_ack(void **state)
{
	regs[IGB_MBVFICR / 4] = IGB_MBVFICR_VFACK(0);
	pass();
	assert_int_equal(regs[IGB_MBVFICR / 4], 0);
	assert_int_equal(svc.msgs, 0);
	assert_false(vfm[0].pfsts);
}

/* Refusals are logged with the VF number, and anti-spoofing holds. */
static void test_spoof_refused_and_logged(void **state)
{
	u32 m[3] = { IGB_MSG_SET_MAC };
	const u8 *other = svc.vf[1].mac;

	vf_post_reset(0);
	pass();
	m[1] = (u32)other[0] | (u32)other[1] << 8 | (u32)other[2] << 16 |
	       (u32)other[3] << 24;
	m[2] = (u32)other[4] | (u32)other[5] << 8;
	vf_post(0, m, 3);
	pass();
	assert_int_equal(reply0(0), IGB_MSG_SET_MAC | IGB_MSG_NACK | IGB_MSG_CTS);
	assert_true(log_stub_contains("VF0: SET_MAC (0x2) refused: MAC spoofing"));
	assert_int_equal(regs[IGB_RAH(2) / 4], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_before_handshake_of_neighbour, setup),
		cmocka_unit_test_setup(test_reset_between_the_reads, setup),
		cmocka_unit_test_setup(test_reset_after_handshake_disables, setup),
		cmocka_unit_test_setup(test_w1c_keeps_unseen_events, setup),
		cmocka_unit_test_setup(test_foreign_bits_ignored, setup),
		cmocka_unit_test_setup(test_vf_holding_the_mailbox, setup),
		cmocka_unit_test_setup(test_flood_does_not_starve_neighbour, setup),
		cmocka_unit_test_setup(test_stray_ack, setup),
		cmocka_unit_test_setup(test_spoof_refused_and_logged, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
