/* SPDX-License-Identifier: MIT */
/*
 * One of our guests packed as a Linux bzImage, so the VMM gives it what
 * it gives Linux (a guest with kernel =, docs/linux-guest.md): Linux's
 * 64-bit boot protocol and the Linux platform. guest-tests/bzimage.ld
 * puts .bzhdr, the boot sector and one setup sector, in the 1 KiB before
 * the load address; objcopy -O binary makes the file. Header fields:
 * Linux Documentation/arch/x86/boot.rst, "The real-mode kernel header"
 * (offsets are the file's); only what vmm/linux_boot.c reads is set.
 */
	.section .bzhdr, "a"
hdr:
	.org 0x1f1
	.byte 1				/* setup_sects: the kernel at 0x400 */
	.word 0				/* root_flags */
	.long hv_bz_syssize		/* 16-byte units of the payload */
	.word 0				/* ram_size */
	.word 0xffff			/* vid_mode: normal */
	.word 0				/* root_dev */
	.word 0xaa55			/* boot_flag */
	.byte 0xeb, hdr_end - 1f	/* jump over the header ... */
1:	.ascii "HdrS"			/* ... whose end it gives */
	.word 0x020f			/* protocol 2.15 */
	.long 0				/* realmode_swtch */
	.word 0, 0			/* start_sys_seg, kernel_version */
	.byte 0				/* type_of_loader */
	.byte 0x01			/* loadflags: LOADED_HIGH */
	.word 0				/* setup_move_size */
	.long HV_BZ_LOAD		/* code32_start */
	.long 0, 0			/* ramdisk_image, ramdisk_size */
	.long 0				/* bootsect_kludge */
	.word 0				/* heap_end_ptr */
	.byte 0, 0			/* ext_loader_ver, ext_loader_type */
	.long 0				/* cmd_line_ptr */
	.long 0x7fffffff		/* initrd_addr_max */
	.long 0x1000			/* kernel_alignment */
	.byte 0				/* relocatable_kernel: no, at pref_address */
	.byte 12			/* min_alignment */
	.word 0x0001			/* xloadflags: XLF_KERNEL_64 */
	.long 2047			/* cmdline_size */
	.long 0				/* hardware_subarch */
	.quad 0				/* hardware_subarch_data */
	.long 0, 0			/* payload_offset, payload_length */
	.quad 0				/* setup_data */
	.quad HV_BZ_LOAD		/* pref_address */
	.long hv_bz_init_size		/* init_size: image and .bss */
	.long 0				/* handover_offset */
	.long 0				/* kernel_info_offset */
hdr_end:
	.org 0x400

/*
 * The kernel proper, at the load address: the 32-bit entry (never used:
 * the VMM takes the 64-bit one) and, 0x200 on, the 64-bit entry with RSI
 * = the zero page, interrupts off. .bss is not part of the file: zeroed
 * here, before the stack in it is used.
 */
	.section .text.bzentry, "ax"
	.code32
1:	hlt
	jmp	1b
	.code64
	.org 0x200
	.globl _start_bz
_start_bz:
	mov	%rsi, %r12
	lea	__bss_start(%rip), %rdi
	lea	_end(%rip), %rcx
	sub	%rdi, %rcx
	xor	%eax, %eax
	cld
	rep stosb
	lea	rt_stack_top(%rip), %rsp
	xor	%ebp, %ebp
	mov	%r12, %rdi
	call	rt_bz_start
2:	hlt
	jmp	2b

	.section .note.GNU-stack, "", @progbits
