// SPDX-License-Identifier: MIT
/*
 * Host tests for vmm/x86_decode.c: lengths and operands of the
 * instructions guests trap on, with prefixes, REX and every ModR/M form.
 * Expected lengths were checked against objdump.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vmm/x86_decode.h"

#define B(...) ((const u8[]){ __VA_ARGS__ }), sizeof((const u8[]){ __VA_ARGS__ })

static struct x86_insn dec(const u8 *b, size_t n)
{
	struct x86_insn in;

	assert_int_equal(x86_decode(b, n, &in), 0);
	return in;
}

static void expect_len(const u8 *b, size_t n, u8 kind)
{
	struct x86_insn in = dec(b, n);

	assert_int_equal(in.len, n);
	assert_int_equal(in.kind, kind);
}

static void test_simple(void **state)
{
	expect_len(B(0xf4), X86_HLT);
	expect_len(B(0x0f, 0x01, 0xd9), X86_VMMCALL);
	expect_len(B(0x0f, 0x01, 0xc1), X86_VMCALL);
	expect_len(B(0x0f, 0x32), X86_RDMSR);
	expect_len(B(0x0f, 0x30), X86_WRMSR);
	expect_len(B(0x0f, 0xa2), X86_CPUID);
	expect_len(B(0x0f, 0x08), X86_INVD);
	expect_len(B(0x0f, 0x09), X86_WBINVD);
	/* prefixes that do not change meaning still count in the length */
	expect_len(B(0x2e, 0xf4), X86_HLT);
	expect_len(B(0x48, 0x0f, 0x30), X86_WRMSR);
}

static void test_in_out(void **state)
{
	struct x86_insn in;

	in = dec(B(0xe4, 0x60));		/* in al, 0x60 */
	assert_int_equal(in.kind, X86_IN);
	assert_int_equal(in.opsize, 1);
	assert_int_equal(in.port, 0x60);
	assert_false(in.port_in_dx);
	in = dec(B(0xe7, 0x80));		/* out 0x80, eax */
	assert_int_equal(in.kind, X86_OUT);
	assert_int_equal(in.opsize, 4);
	in = dec(B(0x66, 0xe5, 0x71));		/* in ax, 0x71 */
	assert_int_equal(in.len, 3);
	assert_int_equal(in.opsize, 2);
	in = dec(B(0xee));			/* out dx, al */
	assert_int_equal(in.kind, X86_OUT);
	assert_true(in.port_in_dx);
	assert_int_equal(in.opsize, 1);
	in = dec(B(0xed));			/* in eax, dx */
	assert_int_equal(in.kind, X86_IN);
	assert_int_equal(in.opsize, 4);
	in = dec(B(0x66, 0xef));		/* out dx, ax */
	assert_int_equal(in.opsize, 2);
	in = dec(B(0x48, 0xef));		/* REX.W ignored: out dx, eax */
	assert_int_equal(in.opsize, 4);
	assert_int_equal(in.len, 2);
	in = dec(B(0xf3, 0x6e));		/* rep outsb */
	assert_int_equal(in.kind, X86_OUTS);
	assert_true(in.prefixes & X86_P_REP);
	assert_int_equal(in.len, 2);
	in = dec(B(0xf3, 0x66, 0x6d));		/* rep insw */
	assert_int_equal(in.kind, X86_INS);
	assert_int_equal(in.opsize, 2);
	assert_int_equal(in.len, 3);
}

static void test_mov_modrm_forms(void **state)
{
	struct x86_insn in;

	in = dec(B(0x89, 0x07));		/* mov [rdi], eax */
	assert_int_equal(in.kind, X86_MOV_STORE);
	assert_int_equal(in.len, 2);
	assert_int_equal(in.opsize, 4);
	assert_int_equal(in.reg, 0);
	in = dec(B(0x48, 0x89, 0x4f, 0x08));	/* mov [rdi+8], rcx */
	assert_int_equal(in.len, 4);
	assert_int_equal(in.opsize, 8);
	assert_int_equal(in.reg, 1);
	assert_int_equal(in.disp, 8);
	in = dec(B(0x44, 0x8b, 0x87, 0x00, 0x10, 0x00, 0x00)); /* mov r8d,[rdi+0x1000] */
	assert_int_equal(in.kind, X86_MOV_LOAD);
	assert_int_equal(in.len, 7);
	assert_int_equal(in.reg, 8);
	assert_int_equal(in.disp, 0x1000);
	in = dec(B(0x8b, 0x04, 0x24));		/* mov eax, [rsp] (SIB) */
	assert_int_equal(in.len, 3);
	in = dec(B(0x8b, 0x44, 0x24, 0xf8));	/* mov eax, [rsp-8] */
	assert_int_equal(in.len, 4);
	assert_int_equal(in.disp, -8);
	in = dec(B(0x8b, 0x04, 0x25, 0x00, 0x00, 0x00, 0xfe)); /* mov eax,[0xfe000000] */
	assert_int_equal(in.len, 7);
	assert_int_equal(in.disp_size, 4);
	in = dec(B(0x8b, 0x05, 0x10, 0x00, 0x00, 0x00)); /* mov eax,[rip+0x10] */
	assert_true(in.rip_relative);
	assert_int_equal(in.len, 6);
	in = dec(B(0x8b, 0x84, 0x88, 0x00, 0x01, 0x00, 0x00)); /* mov eax,[rax+rcx*4+0x100] */
	assert_int_equal(in.len, 7);
	in = dec(B(0x88, 0x0e));		/* mov [rsi], cl */
	assert_int_equal(in.opsize, 1);
	assert_int_equal(in.reg, 1);
	in = dec(B(0x66, 0x89, 0x06));		/* mov [rsi], ax */
	assert_int_equal(in.opsize, 2);
	in = dec(B(0x67, 0x8b, 0x07));		/* mov eax, [edi] */
	assert_int_equal(in.len, 3);
	assert_true(in.prefixes & X86_P_ADDRSIZE);
	in = dec(B(0x4c, 0x8b, 0x3f));		/* mov r15, [rdi] */
	assert_int_equal(in.reg, 15);
	assert_int_equal(in.opsize, 8);
}

static void test_mov_imm_moffs_movzx(void **state)
{
	struct x86_insn in;

	in = dec(B(0xc7, 0x07, 0x78, 0x56, 0x34, 0x12)); /* mov dword [rdi], 0x12345678 */
	assert_int_equal(in.kind, X86_MOV_STORE_IMM);
	assert_int_equal(in.len, 6);
	assert_int_equal(in.imm, 0x12345678);
	in = dec(B(0x48, 0xc7, 0x47, 0x10, 0xff, 0xff, 0xff, 0xff)); /* mov qword [rdi+16], -1 */
	assert_int_equal(in.len, 8);
	assert_int_equal(in.opsize, 8);
	assert_true(in.imm == ~0ull);
	in = dec(B(0x66, 0xc7, 0x07, 0x34, 0x12)); /* mov word [rdi], 0x1234 */
	assert_int_equal(in.len, 5);
	assert_int_equal(in.imm, 0x1234);
	in = dec(B(0xc6, 0x07, 0xab));		/* mov byte [rdi], 0xab */
	assert_int_equal(in.len, 3);
	assert_int_equal(in.opsize, 1);
	in = dec(B(0xa1, 1, 2, 3, 4, 5, 6, 7, 8)); /* mov eax, moffs64 */
	assert_int_equal(in.len, 9);
	assert_int_equal(in.kind, X86_MOV_LOAD);
	in = dec(B(0x67, 0xa3, 1, 2, 3, 4));	/* mov moffs32, eax */
	assert_int_equal(in.len, 6);
	assert_int_equal(in.kind, X86_MOV_STORE);
	in = dec(B(0x0f, 0xb6, 0x07));		/* movzx eax, byte [rdi] */
	assert_int_equal(in.len, 3);
	assert_true(in.zero_extend);
	assert_int_equal(in.opsize, 1);
	assert_int_equal(in.dst_size, 4);
	in = dec(B(0x48, 0x0f, 0xb7, 0x47, 0x02)); /* movzx rax, word [rdi+2] */
	assert_int_equal(in.len, 5);
	assert_int_equal(in.opsize, 2);
	assert_int_equal(in.dst_size, 8);
}

static void test_rex_rules(void **state)
{
	struct x86_insn in;

	/* REX before a legacy prefix is ignored: operand size 2, not 8 */
	in = dec(B(0x48, 0x66, 0x89, 0x07));
	assert_int_equal(in.opsize, 2);
	assert_int_equal(in.rex, 0);
	assert_int_equal(in.len, 4);
	/* REX.W wins over 0x66 */
	in = dec(B(0x66, 0x48, 0x89, 0x07));
	assert_int_equal(in.opsize, 8);
	/* REX.R extends reg */
	in = dec(B(0x44, 0x89, 0x07));
	assert_int_equal(in.reg, 8);
}

static void test_rejects(void **state)
{
	struct x86_insn in;
	u8 long_insn[16];

	assert_int_equal(x86_decode(B(0x0f), &in), -1);		/* truncated */
	assert_int_equal(in.len, 0);
	assert_int_equal(x86_decode(B(0x0f, 0x01), &in), -1);
	assert_int_equal(x86_decode(B(0x89), &in), -1);
	assert_int_equal(x86_decode(B(0x89, 0x47), &in), -1);	/* no disp8 */
	assert_int_equal(x86_decode(B(0xc7, 0x07, 1, 2), &in), -1);
	assert_int_equal(x86_decode(B(0x89, 0xc0), &in), -1);	/* reg-reg */
	assert_int_equal(x86_decode(B(0xc7, 0x0f, 0, 0, 0, 0), &in), -1); /* /1 */
	assert_int_equal(x86_decode(B(0x0f, 0x01, 0xd8), &in), -1); /* vmrun */
	assert_int_equal(x86_decode(B(0x90), &in), -1);		/* nop */
	assert_int_equal(x86_decode(NULL, 0, &in), -1);
	/* 15 prefixes then the opcode: longer than 15 bytes */
	memset(long_insn, 0x66, sizeof(long_insn));
	long_insn[15] = 0xf4;
	assert_int_equal(x86_decode(long_insn, 16, &in), -1);
	/* 14 prefixes + hlt = 15 bytes: fine */
	assert_int_equal(x86_decode(long_insn + 1, 15, &in), 0);
	assert_int_equal(in.len, 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_in_out),
		cmocka_unit_test(test_mov_modrm_forms),
		cmocka_unit_test(test_mov_imm_moffs_movzx),
		cmocka_unit_test(test_rex_rules),
		cmocka_unit_test(test_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
