// SPDX-License-Identifier: MIT
/*
 * x86-64 instruction length and operand decoding for trapped instructions.
 * See vmm/x86_decode.h for the scope and the SDM sections followed.
 */
#include "vmm/x86_decode.h"

#ifdef HV_HOST_TEST
#include <string.h>
#else
#include "lib/string.h"
#endif

struct cursor {
	const u8 *buf;
	size_t avail, pos;
};

static bool fetch(struct cursor *c, u8 *b)
{
	if (c->pos >= c->avail || c->pos >= X86_MAX_INSN_LEN)
		return false;
	*b = c->buf[c->pos++];
	return true;
}

/* Little-endian immediate or displacement of size bytes. */
static bool fetch_n(struct cursor *c, unsigned size, u64 *v)
{
	u64 r = 0;
	unsigned i;
	u8 b;

	for (i = 0; i < size; i++) {
		if (!fetch(c, &b))
			return false;
		r |= (u64)b << (8 * i);
	}
	*v = r;
	return true;
}

static s64 sign_extend(u64 v, unsigned size)
{
	unsigned shift = 64 - 8 * size;

	return size >= 8 ? (s64)v : (s64)(v << shift) >> shift;
}

/*
 * ModR/M, SIB and displacement (SDM Vol. 2A §2.1.5, Tables 2-2 and 2-3;
 * in 64-bit mode with 64- or 32-bit addressing the same table applies,
 * mod=00 r/m=101 is RIP-relative, §2.2.1.6).
 */
static bool decode_modrm(struct cursor *c, struct x86_insn *in)
{
	u8 mod, rm, sib;
	u64 d;

	if (!fetch(c, &in->modrm))
		return false;
	in->has_modrm = true;
	mod = in->modrm >> 6;
	rm = in->modrm & 7;
	if (mod == 3)
		return true;
	if (rm == 4) {
		if (!fetch(c, &sib))
			return false;
		if (mod == 0 && (sib & 7) == 5)
			in->disp_size = 4;
	} else if (mod == 0 && rm == 5) {
		in->rip_relative = true;
		in->disp_size = 4;
	}
	if (mod == 1)
		in->disp_size = 1;
	else if (mod == 2)
		in->disp_size = 4;
	if (in->disp_size) {
		if (!fetch_n(c, in->disp_size, &d))
			return false;
		in->disp = sign_extend(d, in->disp_size);
	}
	return true;
}

static bool decode_imm(struct cursor *c, struct x86_insn *in, unsigned size)
{
	in->imm_size = size;
	return fetch_n(c, size, &in->imm);
}

/* Operand size of a non-byte instruction (SDM Vol. 2A §2.2.1.2). */
static u8 opsize_of(const struct x86_insn *in)
{
	if (in->rex & 8)
		return 8;
	if (in->prefixes & X86_P_OPSIZE)
		return 2;
	return 4;
}

static u8 reg_field(const struct x86_insn *in)
{
	return ((in->modrm >> 3) & 7) | ((in->rex & 4) ? 8 : 0);
}

static int decode_0f(struct cursor *c, struct x86_insn *in)
{
	u8 op, b;

	if (!fetch(c, &op))
		return -1;
	in->opcode = op;
	switch (op) {
	case 0x01: /* group 7: VMCALL 0f 01 c1, VMMCALL 0f 01 d9 */
		if (!fetch(c, &b))
			return -1;
		in->modrm = b;
		in->has_modrm = true;
		if (b == 0xc1)
			in->kind = X86_VMCALL;
		else if (b == 0xd9)
			in->kind = X86_VMMCALL;
		else
			return -1;
		return 0;
	case 0x08:
		in->kind = X86_INVD;
		return 0;
	case 0x09:
		in->kind = X86_WBINVD;
		return 0;
	case 0x30:
		in->kind = X86_WRMSR;
		return 0;
	case 0x32:
		in->kind = X86_RDMSR;
		return 0;
	case 0xa2:
		in->kind = X86_CPUID;
		return 0;
	case 0xb6: /* movzx r, r/m8 */
	case 0xb7: /* movzx r, r/m16 */
		if (!decode_modrm(c, in) || (in->modrm >> 6) == 3)
			return -1;
		in->kind = X86_MOV_LOAD;
		in->zero_extend = true;
		in->opsize = op == 0xb6 ? 1 : 2;
		in->dst_size = opsize_of(in);
		in->reg = reg_field(in);
		return 0;
	}
	return -1;
}

static int decode_one_byte(struct cursor *c, struct x86_insn *in, u8 op)
{
	bool byte_op = !(op & 1);

	in->opcode = op;
	switch (op) {
	case 0xf4:
		in->kind = X86_HLT;
		return 0;
	case 0xe4: case 0xe5: case 0xe6: case 0xe7: /* in/out imm8 */
	case 0xec: case 0xed: case 0xee: case 0xef: /* in/out dx */
		in->kind = (op & 2) ? X86_OUT : X86_IN;
		/* REX.W does not widen IN/OUT beyond 32 bits. */
		in->opsize = byte_op ? 1 :
			     (in->prefixes & X86_P_OPSIZE) ? 2 : 4;
		in->reg = 0;
		if (op & 8) {
			in->port_in_dx = true;
			return 0;
		}
		if (!decode_imm(c, in, 1))
			return -1;
		in->port = (u8)in->imm;
		return 0;
	case 0x6c: case 0x6d: case 0x6e: case 0x6f: /* ins/outs */
		in->kind = (op & 2) ? X86_OUTS : X86_INS;
		in->opsize = byte_op ? 1 :
			     (in->prefixes & X86_P_OPSIZE) ? 2 : 4;
		in->port_in_dx = true;
		return 0;
	case 0x88: case 0x89: /* mov r/m, r */
	case 0x8a: case 0x8b: /* mov r, r/m */
		if (!decode_modrm(c, in) || (in->modrm >> 6) == 3)
			return -1;
		in->kind = (op & 2) ? X86_MOV_LOAD : X86_MOV_STORE;
		in->opsize = byte_op ? 1 : opsize_of(in);
		in->dst_size = in->opsize;
		in->reg = reg_field(in);
		return 0;
	case 0xc6: case 0xc7: /* mov r/m, imm (group 11, /0) */
		if (!decode_modrm(c, in) || (in->modrm >> 6) == 3 ||
		    ((in->modrm >> 3) & 7) != 0)
			return -1;
		in->kind = X86_MOV_STORE_IMM;
		in->opsize = byte_op ? 1 : opsize_of(in);
		/* imm32 sign-extended for 64-bit operands; imm16 with 66 */
		if (!decode_imm(c, in, in->opsize == 8 ? 4 : in->opsize))
			return -1;
		if (in->opsize == 8)
			in->imm = (u64)sign_extend(in->imm, 4);
		return 0;
	case 0xa0: case 0xa1: /* mov al/rax, moffs */
	case 0xa2: case 0xa3: /* mov moffs, al/rax */
		/* moffs is 8 bytes in 64-bit mode, 4 with 0x67 (§2.2.1.4) */
		in->disp_size = (in->prefixes & X86_P_ADDRSIZE) ? 4 : 8;
		if (!fetch_n(c, in->disp_size, (u64 *)&in->disp))
			return -1;
		in->kind = (op & 2) ? X86_MOV_STORE : X86_MOV_LOAD;
		in->opsize = byte_op ? 1 : opsize_of(in);
		in->dst_size = in->opsize;
		in->reg = 0;
		return 0;
	}
	return -1;
}

int x86_decode(const u8 *buf, size_t avail, struct x86_insn *out)
{
	struct cursor c = { .buf = buf, .avail = avail };
	struct x86_insn in;
	u8 b;
	int err;

	memset(&in, 0, sizeof(in));
	for (;;) {
		if (!fetch(&c, &b))
			goto fail;
		switch (b) {
		case 0x66: in.prefixes |= X86_P_OPSIZE; in.rex = 0; continue;
		case 0x67: in.prefixes |= X86_P_ADDRSIZE; in.rex = 0; continue;
		case 0xf0: in.prefixes |= X86_P_LOCK; in.rex = 0; continue;
		case 0xf3: in.prefixes |= X86_P_REP; in.rex = 0; continue;
		case 0xf2: in.prefixes |= X86_P_REPNE; in.rex = 0; continue;
		case 0x2e: case 0x36: case 0x3e: case 0x26: case 0x64: case 0x65:
			in.prefixes |= X86_P_SEG;
			in.rex = 0;
			continue;
		}
		/*
		 * REX (0x40-0x4f) counts only directly before the opcode; one
		 * followed by a legacy prefix is ignored (§2.2.1), which the
		 * in.rex = 0 above implements.
		 */
		if ((b & 0xf0) == 0x40) {
			in.rex = b;
			continue;
		}
		break;
	}
	err = b == 0x0f ? decode_0f(&c, &in) : decode_one_byte(&c, &in, b);
	if (err)
		goto fail;
	in.len = (u8)c.pos;
	*out = in;
	return 0;
fail:
	memset(out, 0, sizeof(*out));
	return -1;
}

const char *x86_kind_name(u8 kind)
{
	static const char *const names[] = {
		[X86_UNKNOWN] = "unknown", [X86_HLT] = "hlt",
		[X86_VMMCALL] = "vmmcall", [X86_VMCALL] = "vmcall",
		[X86_IN] = "in", [X86_OUT] = "out", [X86_INS] = "ins",
		[X86_OUTS] = "outs", [X86_RDMSR] = "rdmsr",
		[X86_WRMSR] = "wrmsr", [X86_CPUID] = "cpuid",
		[X86_MOV_LOAD] = "mov load", [X86_MOV_STORE] = "mov store",
		[X86_MOV_STORE_IMM] = "mov store imm",
		[X86_INVD] = "invd", [X86_WBINVD] = "wbinvd",
	};

	return kind < ARRAY_SIZE(names) && names[kind] ? names[kind] : "?";
}
