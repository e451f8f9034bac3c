/* SPDX-License-Identifier: MIT */
/*
 * The guest's general-purpose registers as the entry code keeps them:
 * u64 gpr[16] in x86 register-encoding order (SDM Vol. 2A §2.1.5, Table
 * 2-2: RAX=0, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8..R15). Both backends
 * keep RSP in their control structure (and SVM RAX too), so the macros
 * below move every register but RAX and RSP, through a base register that
 * must be %rax.
 */
#ifndef VMM_GUEST_GPR_H
#define VMM_GUEST_GPR_H

#define GPR_RAX 0
#define GPR_RCX 1
#define GPR_RDX 2
#define GPR_RBX 3
#define GPR_RSP 4
#define GPR_RBP 5
#define GPR_RSI 6
#define GPR_RDI 7
#define GPR_R8 8
#define GPR_R9 9
#define GPR_R10 10
#define GPR_R11 11
#define GPR_R12 12
#define GPR_R13 13
#define GPR_R14 14
#define GPR_R15 15
#define GPR_COUNT 16

#ifdef __ASSEMBLER__
/* Load the guest's registers (but RAX, RSP) from the array at %rax. */
.macro GUEST_GPRS_LOAD
	mov	8*GPR_RCX(%rax), %rcx
	mov	8*GPR_RDX(%rax), %rdx
	mov	8*GPR_RBX(%rax), %rbx
	mov	8*GPR_RBP(%rax), %rbp
	mov	8*GPR_RSI(%rax), %rsi
	mov	8*GPR_RDI(%rax), %rdi
	mov	8*8(%rax), %r8
	mov	8*9(%rax), %r9
	mov	8*10(%rax), %r10
	mov	8*11(%rax), %r11
	mov	8*12(%rax), %r12
	mov	8*13(%rax), %r13
	mov	8*14(%rax), %r14
	mov	8*15(%rax), %r15
.endm

/* Store the guest's registers (but RAX, RSP) to the array at %rax. */
.macro GUEST_GPRS_SAVE
	mov	%rcx, 8*GPR_RCX(%rax)
	mov	%rdx, 8*GPR_RDX(%rax)
	mov	%rbx, 8*GPR_RBX(%rax)
	mov	%rbp, 8*GPR_RBP(%rax)
	mov	%rsi, 8*GPR_RSI(%rax)
	mov	%rdi, 8*GPR_RDI(%rax)
	mov	%r8, 8*8(%rax)
	mov	%r9, 8*9(%rax)
	mov	%r10, 8*10(%rax)
	mov	%r11, 8*11(%rax)
	mov	%r12, 8*12(%rax)
	mov	%r13, 8*13(%rax)
	mov	%r14, 8*14(%rax)
	mov	%r15, 8*15(%rax)
.endm
#endif

#endif
