/* SPDX-License-Identifier: MIT */
/*
 * Application processor start code. The BSP copies the bytes between
 * trampoline_start and trampoline_end to a page below 1 MiB, fills in the
 * parameter block, and sends INIT-SIPI-SIPI with that page as the vector
 * (SDM Vol. 3A §9.4.4, §11.6.1). The AP wakes in real mode at CS:0 and
 * climbs to long mode: real -> protected (flat 32-bit) -> long mode with
 * the kernel's own page tables, then jumps to ap_entry(percpu) on its own
 * stack. Only %ebx (the page's linear address) survives the climb; all
 * references are relative to it, so the code runs at any page. The
 * parameters live in the page above (kernel/trampoline.h).
 */
#include "kernel/trampoline.h"

#define TRAMP(sym) ((sym) - trampoline_start)

#define CR0_PE 0x1
#define CR0_PG_WP 0x80010000
#define CR4_PAE 0x20
#define MSR_EFER 0xc0000080
#define EFER_LME_NXE 0x900

#define SEL_CODE32 0x08
#define SEL_DATA 0x10
#define SEL_CODE64 0x18

	.text
	.globl trampoline_start, trampoline_end
	.globl tramp_pm32, tramp_lm64, tramp_gdt, tramp_gdtr, tramp_pm_ptr, tramp_lm_ptr

	.code16
	.balign 16
trampoline_start:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	xorl %ebx, %ebx
	movw %ax, %bx
	shll $4, %ebx
	lgdtl TRAMP(tramp_gdtr)
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl *TRAMP(tramp_pm_ptr)

	.code32
tramp_pm32:
	movw $SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl TRAMP_CR3(%ebx), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME_NXE, %eax
	wrmsr
	movl %cr0, %eax
	orl $CR0_PG_WP, %eax
	movl %eax, %cr0
	/* ljmp $SEL_CODE64, $tramp_lm64: the offset is patched at install */
	.byte 0xea
tramp_lm_ptr:
	.long 0
	.word SEL_CODE64

	.code64
tramp_lm64:
	movl %ebx, %ebx		/* upper half is undefined after the switch */
	movq TRAMP_STACK(%rbx), %rsp
	movq TRAMP_PERCPU(%rbx), %rdi
	movq TRAMP_ENTRY(%rbx), %rax
	xorl %ebp, %ebp		/* ends backtraces */
	pushq $0
	jmpq *%rax

	.balign 8
/*
 * Accessed bits preset (type 0xb/0x3): loading a selector whose descriptor
 * has A clear makes the CPU write it back, and once paging is on this page
 * is read-only, so that write would fault (real CPUs and Bochs do it).
 */
tramp_gdt:
	.quad 0
	.quad 0x00cf9b000000ffff	/* 32-bit code, flat */
	.quad 0x00cf93000000ffff	/* data, flat */
	.quad 0x00af9b000000ffff	/* 64-bit code */
tramp_gdtr:
	.word 4 * 8 - 1
	.long 0			/* patched: linear address of tramp_gdt */
	.balign 4
tramp_pm_ptr:
	.long 0			/* patched: linear address of tramp_pm32 */
	.word SEL_CODE32

trampoline_end:

	.section .note.GNU-stack, "", @progbits
