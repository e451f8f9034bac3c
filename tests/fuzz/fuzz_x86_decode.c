/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the instruction decoder (vmm/x86_decode.c): the
 * bytes it decodes are fetched from guest memory, so the guest chooses
 * them. Built and run by tools/fuzz.sh.
 *
 * Any byte string must decode or fail cleanly, reading only the bytes it
 * was given (every buffer has the exact size, so ASan sees an over-read).
 * Besides the sanitizers, it checks what the decoder promises:
 *  - it returns 0 or -1, and out->len is 0 after -1;
 *  - a decoded length is 1..min(avail, X86_MAX_INSN_LEN), the kind is a
 *    known one, operand fields hold values the encoding can produce;
 *  - the decode depends on the first len bytes only: the same bytes alone
 *    decode to the same instruction, one byte fewer does not decode.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/x86_decode.h"
#include "tests/fuzz/fuzz_check.h"

static bool is_size(u8 v)
{
	return v == 1 || v == 2 || v == 4 || v == 8;
}

static bool has_operand(u8 kind)
{
	return kind == X86_IN || kind == X86_OUT || kind == X86_INS ||
	       kind == X86_OUTS || kind == X86_MOV_LOAD ||
	       kind == X86_MOV_STORE || kind == X86_MOV_STORE_IMM;
}

static bool is_port_io(u8 kind)
{
	return kind == X86_IN || kind == X86_OUT || kind == X86_INS ||
	       kind == X86_OUTS;
}

static void check_fields(const struct x86_insn *in, size_t avail)
{
	unsigned encoded;

	CHECK(in->len >= 1 && in->len <= avail && in->len <= X86_MAX_INSN_LEN);
	CHECK(in->kind > X86_UNKNOWN && in->kind < X86_KIND_COUNT);
	CHECK(strcmp(x86_kind_name(in->kind), "?") != 0);
	CHECK(in->rex == 0 || (in->rex & 0xf0) == 0x40);
	CHECK(in->disp_size == 0 || in->disp_size == 1 ||
	      in->disp_size == 4 || in->disp_size == 8);
	CHECK(in->imm_size == 0 || in->imm_size == 1 || in->imm_size == 2 ||
	      in->imm_size == 4);
	/* opcode, ModR/M, displacement and immediate all fit in len */
	encoded = 1u + in->has_modrm + in->disp_size + in->imm_size;
	CHECK(encoded <= in->len);
	CHECK(!in->rip_relative || (in->has_modrm && in->disp_size == 4));
	CHECK(in->reg <= 15);
	if (has_operand(in->kind))
		CHECK(is_size(in->opsize));
	if (in->kind == X86_MOV_LOAD)
		CHECK(is_size(in->dst_size) && in->dst_size >= in->opsize);
	CHECK(!in->zero_extend || in->kind == X86_MOV_LOAD);
	CHECK(!in->port_in_dx || is_port_io(in->kind));
	/* IN/OUT move at most 32 bits whatever REX.W says */
	if (is_port_io(in->kind))
		CHECK(in->opsize <= 4);
}

/* Fields compared one by one: struct padding need not match. */
static bool same_insn(const struct x86_insn *a, const struct x86_insn *b)
{
	return a->len == b->len && a->kind == b->kind &&
	       a->prefixes == b->prefixes && a->rex == b->rex &&
	       a->opcode == b->opcode && a->modrm == b->modrm &&
	       a->has_modrm == b->has_modrm &&
	       a->rip_relative == b->rip_relative &&
	       a->disp_size == b->disp_size && a->imm_size == b->imm_size &&
	       a->disp == b->disp && a->imm == b->imm &&
	       a->opsize == b->opsize && a->reg == b->reg &&
	       a->zero_extend == b->zero_extend &&
	       a->dst_size == b->dst_size &&
	       a->port_in_dx == b->port_in_dx && a->port == b->port;
}

/* The same len bytes in a buffer of exactly len bytes. */
static void check_prefix_only(const u8 *data, const struct x86_insn *in)
{
	struct x86_insn again, shorter;
	u8 *exact = malloc(in->len);

	if (!exact)
		return;
	memcpy(exact, data, in->len);
	CHECK(x86_decode(exact, in->len, &again) == 0);
	CHECK(same_insn(in, &again));
	CHECK(x86_decode(exact, in->len - 1u, &shorter) == -1);
	CHECK(shorter.len == 0);
	free(exact);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct x86_insn in;
	u8 *buf = malloc(size ? size : 1);
	int ret;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	memset(&in, 0xa5, sizeof(in));
	ret = x86_decode(size ? buf : NULL, size, &in);
	CHECK(ret == 0 || ret == -1);
	if (ret == 0) {
		check_fields(&in, size);
		check_prefix_only(buf, &in);
	} else {
		CHECK(in.len == 0);
	}
	free(buf);
	return 0;
}
