// SPDX-License-Identifier: MIT
/*
 * drivers/igb_mbx.c: the PF side of the igb PF<->VF mailbox. Every
 * message type, malformed lengths and arguments, spoofed MACs, unknown
 * opcodes, messages before the reset handshake; every refusal must be
 * logged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/igb_mbx.h"
#include "tests/unit/log_stub.h"

static const u8 pf_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

static struct igb_vf_state vf;
static struct igb_mbx_result r;

static int setup(void **state)
{
	memset(&vf, 0, sizeof(vf));
	vf.index = 3;
	igb_vf_mac(pf_mac, 3, vf.mac);
	log_stub_reset();
	return 0;
}

static void send(const u32 *msg, u32 len)
{
	igb_mbx_handle(&vf, msg, len, &r);
}

static void do_reset(void)
{
	u32 m[1] = { IGB_MSG_RESET };

	send(m, 1);
}

static void mac_words(const u8 *mac, u32 *w)
{
	w[0] = mac[0] | mac[1] << 8 | mac[2] << 16 | (u32)mac[3] << 24;
	w[1] = mac[4] | mac[5] << 8;
}

static void assert_nack(u32 type)
{
	assert_true(r.nack);
	assert_int_equal(r.reply_len, 1);
	assert_int_equal(r.reply[0] & IGB_MSG_TYPE_MASK, type);
	assert_true(r.reply[0] & IGB_MSG_NACK);
	assert_false(r.reply[0] & IGB_MSG_ACK);
	assert_int_equal(r.actions, 0);
}

/* req: the request's first word; the reply echoes its type and info. */
static void assert_ack(u32 req)
{
	assert_false(r.nack);
	assert_int_equal(r.reply[0], req | IGB_MSG_ACK | IGB_MSG_CTS);
}

static void test_vf_mac(void **state)
{
	u8 a[6], b[6];

	igb_vf_mac(pf_mac, 0, a);
	igb_vf_mac(pf_mac, 1, b);
	assert_true(a[0] & 0x02);		/* locally administered */
	assert_false(a[0] & 0x01);		/* unicast */
	assert_memory_not_equal(a, b, 6);
	assert_memory_not_equal(a, pf_mac, 6);
	/* PF ...:57 must not give VF0 the ...:56 QEMU gives the next NIC. */
	{
		const u8 pf2[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x57 };
		const u8 nic[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

		igb_vf_mac(pf2, 0, a);
		assert_memory_not_equal(a, nic, 6);
	}
	/* Deterministic. */
	igb_vf_mac(pf_mac, 1, a);
	assert_memory_equal(a, b, 6);
}

static void test_reset(void **state)
{
	u8 got[6];

	assert_false(vf.cts);
	vf.nmc = 2;
	vf.nvlans = 1;
	vf.max_frame = 9000;
	do_reset();
	/* exactly RESET | ACK: igbvf compares the whole word */
	assert_false(r.nack);
	assert_int_equal(r.reply[0], IGB_MSG_RESET | IGB_MSG_ACK);
	assert_int_equal(r.reply_len, 3);
	got[0] = (u8)r.reply[1];
	got[1] = (u8)(r.reply[1] >> 8);
	got[2] = (u8)(r.reply[1] >> 16);
	got[3] = (u8)(r.reply[1] >> 24);
	got[4] = (u8)r.reply[2];
	got[5] = (u8)(r.reply[2] >> 8);
	assert_memory_equal(got, vf.mac, 6);
	assert_true(r.actions & IGB_ACT_RESET);
	assert_true(vf.cts);
	/* Filters forgotten. */
	assert_int_equal(vf.nmc, 0);
	assert_int_equal(vf.nvlans, 0);
	assert_int_equal(vf.max_frame, 0);
}

static void test_before_reset_refused(void **state)
{
	u32 m[3] = { IGB_MSG_SET_MAC };

	mac_words(vf.mac, &m[1]);
	send(m, 3);
	assert_nack(IGB_MSG_SET_MAC);
	assert_false(r.reply[0] & IGB_MSG_CTS);
	assert_true(log_stub_contains("no reset handshake"));
	assert_int_equal(vf.nacks, 1);
}

static void test_set_mac(void **state)
{
	u32 m[3] = { IGB_MSG_SET_MAC };
	u8 other[6];

	do_reset();
	mac_words(vf.mac, &m[1]);
	send(m, 3);
	assert_ack(IGB_MSG_SET_MAC);

	memcpy(other, vf.mac, 6);
	other[5] ^= 0x40;
	mac_words(other, &m[1]);
	send(m, 3);
	assert_nack(IGB_MSG_SET_MAC);
	assert_true(r.reply[0] & IGB_MSG_CTS);
	assert_true(log_stub_contains("MAC spoofing"));

	/* The PF's own MAC is someone else's too. */
	mac_words(pf_mac, &m[1]);
	send(m, 3);
	assert_nack(IGB_MSG_SET_MAC);

	/* Too short to hold a MAC. */
	mac_words(vf.mac, &m[1]);
	send(m, 2);
	assert_nack(IGB_MSG_SET_MAC);
	assert_true(log_stub_contains("too short"));
	assert_int_equal(vf.nacks, 3);
}

/*
 * Linux igbvf's e1000_set_uc_addr_vf: every ifup clears the extra unicast
 * filters (info FILTER_CLR, no MAC) and tells a refusal by comparing the
 * reply with its request | NACK, info field included.
 */
static void test_set_mac_filters(void **state)
{
	u32 m[3] = { IGB_MSG_SET_MAC | IGB_MAC_FILTER_CLR << IGB_MSG_INFO_SHIFT };
	u8 other[6];

	do_reset();
	send(m, 3);
	assert_ack(m[0]);
	assert_false(log_stub_contains("refused"));

	memcpy(other, vf.mac, 6);
	other[5] ^= 0x40;
	m[0] = IGB_MSG_SET_MAC | IGB_MAC_FILTER_ADD << IGB_MSG_INFO_SHIFT;
	mac_words(other, &m[1]);
	send(m, 3);
	assert_nack(IGB_MSG_SET_MAC);
	assert_int_equal(r.reply[0] & ~IGB_MSG_CTS, m[0] | IGB_MSG_NACK);
	assert_true(log_stub_contains("extra unicast MAC filters are not offered"));

	m[0] = IGB_MSG_SET_MAC | 7u << IGB_MSG_INFO_SHIFT;
	send(m, 3);
	assert_nack(IGB_MSG_SET_MAC);
	assert_true(log_stub_contains("unknown SET_MAC subcommand"));
}

static void test_set_multicast(void **state)
{
	u32 m[IGB_MBX_WORDS] = { 0 };
	u32 i;

	do_reset();
	m[0] = IGB_MSG_SET_MULTICAST | 3u << IGB_MSG_INFO_SHIFT;
	m[1] = 0x0123 | 0x0456u << 16;
	m[2] = 0x0789;
	send(m, 3);
	assert_ack(m[0]);
	assert_int_equal(r.actions, IGB_ACT_MULTICAST);
	assert_int_equal(vf.nmc, 3);
	assert_int_equal(vf.mc_hash[0], 0x123);
	assert_int_equal(vf.mc_hash[1], 0x456);
	assert_int_equal(vf.mc_hash[2], 0x789);

	/* 30 fill the mailbox exactly. */
	m[0] = IGB_MSG_SET_MULTICAST | 30u << IGB_MSG_INFO_SHIFT;
	for (i = 1; i < IGB_MBX_WORDS; i++)
		m[i] = i | (i + 100) << 16;
	send(m, IGB_MBX_WORDS);
	assert_ack(m[0]);
	assert_int_equal(vf.nmc, 30);
	assert_int_equal(vf.mc_hash[29], 115);

	/* 31 cannot fit. */
	m[0] = IGB_MSG_SET_MULTICAST | 31u << IGB_MSG_INFO_SHIFT;
	send(m, IGB_MBX_WORDS);
	assert_nack(IGB_MSG_SET_MULTICAST);
	assert_int_equal(vf.nmc, 30); /* unchanged */

	/* Count larger than what was read. */
	m[0] = IGB_MSG_SET_MULTICAST | 10u << IGB_MSG_INFO_SHIFT;
	send(m, 4);
	assert_nack(IGB_MSG_SET_MULTICAST);

	/* Zero clears. */
	m[0] = IGB_MSG_SET_MULTICAST;
	send(m, 1);
	assert_ack(m[0]);
	assert_int_equal(vf.nmc, 0);
}

static void test_set_vlan(void **state)
{
	u32 m[2];
	u32 i;

	do_reset();
	m[0] = IGB_MSG_SET_VLAN | 1u << IGB_MSG_INFO_SHIFT;
	m[1] = 100;
	send(m, 2);
	assert_ack(m[0]);
	assert_int_equal(r.actions, IGB_ACT_VLAN);
	assert_int_equal(vf.nvlans, 1);
	send(m, 2); /* adding twice keeps one entry */
	assert_int_equal(vf.nvlans, 1);

	m[1] = 4096;
	send(m, 2);
	assert_nack(IGB_MSG_SET_VLAN);
	assert_true(log_stub_contains("above 4095"));

	send(m, 1);
	assert_nack(IGB_MSG_SET_VLAN);

	for (i = 0; i < IGB_MBX_MAX_VLANS - 1; i++) {
		m[1] = 200 + i;
		send(m, 2);
		assert_ack(m[0]);
	}
	m[1] = 999;
	send(m, 2);
	assert_nack(IGB_MSG_SET_VLAN);
	assert_true(log_stub_contains("table full"));

	m[0] = IGB_MSG_SET_VLAN; /* remove */
	m[1] = 100;
	send(m, 2);
	assert_ack(m[0]);
	assert_int_equal(vf.nvlans, IGB_MBX_MAX_VLANS - 1);
	for (i = 0; i < vf.nvlans; i++)
		assert_int_not_equal(vf.vlans[i], 100);
}

static void test_set_lpe(void **state)
{
	u32 m[2] = { IGB_MSG_SET_LPE, 9000 };

	do_reset();
	send(m, 2);
	assert_ack(IGB_MSG_SET_LPE);
	assert_int_equal(r.actions, IGB_ACT_LPE);
	assert_int_equal(vf.max_frame, 9000);
	m[1] = IGB_MBX_MAX_FRAME + 1;
	send(m, 2);
	assert_nack(IGB_MSG_SET_LPE);
	m[1] = 10;
	send(m, 2);
	assert_nack(IGB_MSG_SET_LPE);
	send(m, 1);
	assert_nack(IGB_MSG_SET_LPE);
	assert_int_equal(vf.max_frame, 9000);
}

/* The 82576 takes frames up to 9728 bytes (Linux igb's
 * MAX_JUMBO_FRAME_SIZE); one byte more is refused. */
static void test_set_lpe_limit(void **state)
{
	u32 m[2] = { IGB_MSG_SET_LPE, 9728 };

	do_reset();
	send(m, 2);
	assert_ack(IGB_MSG_SET_LPE);
	assert_int_equal(vf.max_frame, 9728);
	m[1] = 9729;
	send(m, 2);
	assert_nack(IGB_MSG_SET_LPE);
	assert_int_equal(vf.max_frame, 9728);
}

static void test_unknown_and_malformed(void **state)
{
	u32 m[IGB_MBX_WORDS + 1] = { 0x99 };

	do_reset();
	send(m, 1);
	assert_nack(0x99);
	assert_true(log_stub_contains("unknown message type"));

	/* PROMISC (0x06) is not supported here. */
	m[0] = 0x06;
	send(m, 1);
	assert_nack(0x06);

	/* Bad lengths. */
	m[0] = IGB_MSG_SET_LPE;
	send(m, 0);
	assert_nack(0);
	send(m, IGB_MBX_WORDS + 1);
	assert_nack(IGB_MSG_SET_LPE);
	assert_true(log_stub_contains("bad message length"));

	/* A reply bounced back as a request. */
	m[0] = IGB_MSG_RESET | IGB_MSG_ACK;
	send(m, 1);
	assert_nack(IGB_MSG_RESET);
	m[0] = IGB_MSG_SET_MAC | IGB_MSG_NACK;
	send(m, 3);
	assert_nack(IGB_MSG_SET_MAC);
	assert_int_equal(vf.nacks, 6);
}

static void test_names(void **state)
{
	assert_string_equal(igb_msg_name(IGB_MSG_RESET), "RESET");
	assert_string_equal(igb_msg_name(IGB_MSG_SET_VLAN | IGB_MSG_ACK), "SET_VLAN");
	assert_string_equal(igb_msg_name(0x1234), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_vf_mac, setup),
		cmocka_unit_test_setup(test_reset, setup),
		cmocka_unit_test_setup(test_before_reset_refused, setup),
		cmocka_unit_test_setup(test_set_mac, setup),
		cmocka_unit_test_setup(test_set_mac_filters, setup),
		cmocka_unit_test_setup(test_set_multicast, setup),
		cmocka_unit_test_setup(test_set_vlan, setup),
		cmocka_unit_test_setup(test_set_lpe, setup),
		cmocka_unit_test_setup(test_set_lpe_limit, setup),
		cmocka_unit_test_setup(test_unknown_and_malformed, setup),
		cmocka_unit_test_setup(test_names, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
