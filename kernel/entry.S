/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception entry. 256 stubs of 16 bytes each, so the IDT
 * can compute stub addresses as idt_stubs + 16 * vector without a table of
 * absolute addresses (the image is position-independent).
 *
 * Each stub makes the stack look the same whether or not the CPU pushed an
 * error code (SDM Vol. 3A §6.13), then pushes its vector and jumps to the
 * common path, which saves the general registers as a struct regs
 * (kernel/trap.h) and calls interrupt_dispatch(regs).
 */

/* Vectors for which the CPU pushes an error code: #DF #TS #NP #SS #GP #PF #AC #CP */
#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21)

	.text
	.balign 16
	.globl idt_stubs
idt_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	.if !(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21)
	pushq $0
	.endif
	pushq $vec
	jmp interrupt_common
	.set vec, vec + 1
	.endr

interrupt_common:
	cld
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	call interrupt_dispatch
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp		/* vector and error code */
	iretq

	.section .note.GNU-stack, "", @progbits
