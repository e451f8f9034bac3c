/* SPDX-License-Identifier: MIT */
/*
 * A small x86-64 instruction decoder for the instructions guests trap on.
 *
 * Why: under QEMU TCG the SVM model has no NRIP save and no decode assists
 * (APM Vol. 2 §15.7.1, §15.33), so after an intercepted instruction the
 * VMM must find the next RIP itself, and for an MMIO access it must know
 * the operand size, register and direction. Only 64-bit mode is decoded
 * (guests enter in long mode); encodings follow SDM Vol. 2A chapter 2
 * (prefixes §2.1.1, REX §2.2.1, ModR/M and SIB §2.1.5, Tables 2-2/2-3,
 * RIP-relative addressing §2.2.1.6) and the opcode map in Vol. 2D App. A.
 *
 * Pure: no kernel dependency, host-unit-tested (tests/unit/test_x86_decode.c).
 */
#ifndef VMM_X86_DECODE_H
#define VMM_X86_DECODE_H

#include "lib/types.h"

#define X86_MAX_INSN_LEN 15	/* SDM Vol. 2A §2.3.11 */

enum x86_kind {
	X86_UNKNOWN = 0,
	X86_HLT,
	X86_VMMCALL,
	X86_VMCALL,
	X86_IN,		/* in al/ax/eax, imm8 | dx */
	X86_OUT,
	X86_INS,	/* ins / outs (string, maybe rep) */
	X86_OUTS,
	X86_RDMSR,
	X86_WRMSR,
	X86_CPUID,
	X86_MOV_LOAD,	/* mov/movzx reg <- mem */
	X86_MOV_STORE,	/* mov mem <- reg */
	X86_MOV_STORE_IMM, /* mov mem <- imm */
	X86_INVD,	/* 0f 08 */
	X86_WBINVD,	/* 0f 09 */
	X86_KIND_COUNT
};

/* Prefix flags. */
#define X86_P_OPSIZE BIT(0)	/* 0x66 */
#define X86_P_ADDRSIZE BIT(1)	/* 0x67 */
#define X86_P_LOCK BIT(2)	/* 0xf0 */
#define X86_P_REP BIT(3)	/* 0xf3 */
#define X86_P_REPNE BIT(4)	/* 0xf2 */
#define X86_P_SEG BIT(5)	/* 0x2e 0x36 0x3e 0x26 0x64 0x65 */

struct x86_insn {
	u8 len;			/* total bytes: RIP += len */
	u8 kind;		/* enum x86_kind */
	u8 prefixes;		/* X86_P_* */
	u8 rex;			/* 0 if none */
	u8 opcode;		/* last opcode byte */
	u8 modrm;
	bool has_modrm;
	bool rip_relative;
	u8 disp_size;		/* 0, 1 or 4 (8 for moffs) */
	u8 imm_size;		/* 0, 1, 2, 4 */
	s64 disp;
	u64 imm;		/* zero-extended as encoded */
	u8 opsize;		/* operand bytes: 1, 2, 4, 8 */
	u8 reg;			/* register operand 0..15 (RAX=0 ...) */
	bool zero_extend;	/* movzx: load opsize bytes of memory, write
				 * the register with dst_size */
	u8 dst_size;		/* register width written by a load */
	bool port_in_dx;	/* in/out: port in DX, else imm8 */
	u8 port;		/* in/out imm8 port */
};

/*
 * Decode the instruction at buf (avail bytes readable). Returns 0 and
 * fills *out, or -1 if the bytes are truncated, too long or not an
 * instruction this decoder knows (out->len is then 0).
 */
int x86_decode(const u8 *buf, size_t avail, struct x86_insn *out);

const char *x86_kind_name(u8 kind);

#endif
