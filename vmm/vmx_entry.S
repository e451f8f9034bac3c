/* SPDX-License-Identifier: MIT */
/*
 * One trip into a VMX guest (SDM Vol. 3C §26 VM entries, §27 VM exits).
 *
 *   int vmx_enter(u64 *gpr, u32 launched);
 *
 * gpr[16] holds the guest's registers in x86 encoding order; RSP lives in
 * the VMCS (GUEST_RSP), so slot 4 is not touched. HOST_RSP is written
 * here so that the exit lands on this frame; HOST_RIP is vmx_exit_point
 * (written once per VMCS). Returns 0 after a VM exit, 1 if VMLAUNCH or
 * VMRESUME itself failed (VMfailInvalid/VMfailValid: the caller reads the
 * VM-instruction error field).
 */
#define VMCS_HOST_RSP 0x6c14

#include "vmm/guest_gpr.h"

	.text
	.globl vmx_enter
	.type vmx_enter, @function
vmx_enter:
	push	%rbp
	mov	%rsp, %rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdi		/* 0(%rsp): gpr, found again at the exit */

	mov	$VMCS_HOST_RSP, %eax
	vmwrite	%rsp, %rax

	mov	%rdi, %rax
	test	%esi, %esi	/* MOVs below leave the flags alone */
	GUEST_GPRS_LOAD
	mov	8*0(%rax), %rax
	jnz	1f
	vmlaunch
	jmp	2f
1:	vmresume
2:	/* only reached if the entry failed: host RSP is still ours */
	add	$8, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	mov	$1, %eax
	ret

	.globl vmx_exit_point
vmx_exit_point:
	push	%rax		/* guest RAX; 8(%rsp) is gpr */
	mov	8(%rsp), %rax
	GUEST_GPRS_SAVE
	pop	%rcx
	mov	%rcx, 8*0(%rax)
	add	$8, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	xor	%eax, %eax
	ret
	.size vmx_enter, . - vmx_enter

	.section .note.GNU-stack, "", @progbits
