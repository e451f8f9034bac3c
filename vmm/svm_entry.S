/* SPDX-License-Identifier: MIT */
/*
 * One trip into an SVM guest (AMD APM Vol. 2 §15.5 VMRUN, §15.6 #VMEXIT,
 * §15.5.2 VMSAVE/VMLOAD).
 *
 *   void svm_enter(u64 vmcb_pa, u64 *gpr, u64 host_save_pa);
 *
 * gpr[16] holds the guest's registers in x86 encoding order (RAX=0, RCX,
 * RDX, RBX, RSP, RBP, RSI, RDI, R8..R15); RAX and RSP live in the VMCB,
 * so slots 0 and 4 are not touched here.
 *
 * VMRUN switches only part of the state: FS, GS, TR, LDTR, KernelGsBase,
 * STAR/LSTAR/CSTAR/SFMASK and SYSENTER_* move with VMSAVE/VMLOAD, so the
 * host's copy (our GS base is the per-CPU pointer) is saved to a host
 * area around the guest run. GIF is cleared for the whole sequence so no
 * interrupt or NMI sees half-switched state.
 *
 * The host's RFLAGS.IF at VMRUN decides whether a physical interrupt
 * forces #VMEXIT while the guest runs (V_INTR_MASKING, §15.21.1): IF=0
 * there would let a guest that never exits keep the CPU forever. So IF is
 * set just before VMRUN (GIF=0 still holds interrupts off in the host)
 * and cleared again before STGI; the caller runs with IF=0 and takes the
 * interrupt that caused the exit once it enables interrupts (§15.17).
 */
#include "vmm/guest_gpr.h"

	.text
	.globl svm_enter
	.type svm_enter, @function
svm_enter:
	push	%rbp
	mov	%rsp, %rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rsi		/* 16(%rsp): gpr */
	push	%rdi		/*  8(%rsp): vmcb pa */
	push	%rdx		/*  0(%rsp): host save area pa */

	clgi
	mov	0(%rsp), %rax
	vmsave	%rax
	mov	8(%rsp), %rax
	vmload	%rax

	mov	16(%rsp), %rax
	GUEST_GPRS_LOAD
	mov	8(%rsp), %rax
	sti
	vmrun	%rax
	/* #VMEXIT: host RSP is back, every other GPR but RAX is the guest's */
	cli
	mov	8(%rsp), %rax
	vmsave	%rax
	mov	16(%rsp), %rax
	GUEST_GPRS_SAVE
	mov	0(%rsp), %rax
	vmload	%rax
	stgi

	add	$24, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
	.size svm_enter, . - svm_enter

	.section .note.GNU-stack, "", @progbits
