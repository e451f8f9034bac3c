/* SPDX-License-Identifier: MIT */
/*
 * See kernel/probe.h. The exception handler finds the faulting instruction
 * in __extable, puts (vector + 1) in %rax and resumes at the fixup, which
 * simply returns it.
 */
#define EXTABLE(insn, fixup)              \
	.pushsection __extable, "a";      \
	.balign 4;                        \
	.long (insn) - .;                 \
	.long (fixup) - .;                \
	.popsection

	.text
	.globl probe_read8, probe_write8, probe_call, probe_ud2, probe_divide_error

probe_read8:
1:	movb (%rdi), %al
	xorl %eax, %eax
2:	ret
	EXTABLE(1b, 2b)

probe_write8:
1:	movb %sil, (%rdi)
	xorl %eax, %eax
2:	ret
	EXTABLE(1b, 2b)

/*
 * A fetch from a non-executable page faults with RIP at the target, not
 * here; the handler then looks up the return address on the stack, which
 * is the label after the call.
 */
probe_call:
	call *%rdi
1:	xorl %eax, %eax
	ret
2:	ret
	EXTABLE(1b, 2b)

probe_ud2:
1:	ud2
	xorl %eax, %eax
2:	ret
	EXTABLE(1b, 2b)

probe_divide_error:
	xorl %ecx, %ecx
	xorl %edx, %edx
	movl $1, %eax
1:	divl %ecx
	xorl %eax, %eax
2:	ret
	EXTABLE(1b, 2b)

	.section .note.GNU-stack, "", @progbits
