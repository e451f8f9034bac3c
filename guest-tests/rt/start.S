/* SPDX-License-Identifier: MIT */
/*
 * Guest entry and interrupt stubs. The VMM enters _start in 64-bit mode
 * with RDI = GPA of the boot-info page (lib/hv_abi.h); we switch to our
 * own stack and call rt_start(bi).
 */
	.section .text.start, "ax"
	.globl _start
_start:
	lea	rt_stack_top(%rip), %rsp
	xor	%ebp, %ebp
	call	rt_start
1:	hlt
	jmp	1b

	.text
/* Exceptions with and without an error code, then IRQ vectors. */
.macro STUB vec, has_err
	.globl isr_\vec
isr_\vec:
	.if \has_err == 0
	push	$0
	.endif
	push	$\vec
	jmp	isr_common
.endm

STUB 0, 0
STUB 1, 0
STUB 2, 0
STUB 3, 0
STUB 4, 0
STUB 5, 0
STUB 6, 0
STUB 7, 0
STUB 8, 1
STUB 9, 0
STUB 10, 1
STUB 11, 1
STUB 12, 1
STUB 13, 1
STUB 14, 1
STUB 16, 0
STUB 17, 1
STUB 18, 0
STUB 19, 0
STUB 32, 0
STUB 33, 0
STUB 34, 0
STUB 35, 0

/* struct rt_frame in rt.h, lowest address first */
isr_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, %rdi
	call	rt_trap
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp
	iretq

	.bss
	.align 16
	.space 16384
	.globl rt_stack_top
rt_stack_top:

	.section .note.GNU-stack, "", @progbits
