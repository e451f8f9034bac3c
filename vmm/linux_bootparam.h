/* SPDX-License-Identifier: MIT */
/*
 * The Linux/x86 boot protocol's data layouts, as byte offsets: the setup
 * header inside a bzImage and the zero page (struct boot_params) a loader
 * hands to the kernel. Source: Linux Documentation/arch/x86/boot.rst
 * ("The real-mode kernel header", "Details of header fields", "64-bit boot
 * protocol") and Documentation/arch/x86/zero-page.rst; the offsets are
 * those of arch/x86/include/uapi/asm/bootparam.h. Offsets are used with
 * lib/unaligned.h accessors: the image is untrusted and unaligned.
 */
#ifndef VMM_LINUX_BOOTPARAM_H
#define VMM_LINUX_BOOTPARAM_H

#include "lib/types.h"

/* Setup header fields, offsets from the start of the bzImage file (which
 * are also their offsets in the zero page). boot.rst, header table. */
#define BZ_SETUP_SECTS 0x1f1	/* u8; 0 means 4 */
#define BZ_SYSSIZE 0x1f4	/* u32, in 16-byte paragraphs */
#define BZ_VID_MODE 0x1fa	/* u16 */
#define BZ_BOOT_FLAG 0x1fe	/* u16, 0xaa55 */
#define BZ_JUMP 0x200		/* u16; byte 0x201 gives the header's end */
#define BZ_HEADER 0x202		/* u32, "HdrS" */
#define BZ_VERSION 0x206	/* u16, major << 8 | minor */
#define BZ_TYPE_OF_LOADER 0x210	/* u8 */
#define BZ_LOADFLAGS 0x211	/* u8 */
#define BZ_RAMDISK_IMAGE 0x218	/* u32 */
#define BZ_RAMDISK_SIZE 0x21c	/* u32 */
#define BZ_HEAP_END_PTR 0x224	/* u16 */
#define BZ_CMD_LINE_PTR 0x228	/* u32 */
#define BZ_INITRD_ADDR_MAX 0x22c /* u32, highest byte the initrd may use */
#define BZ_KERNEL_ALIGNMENT 0x230 /* u32 */
#define BZ_RELOCATABLE 0x234	/* u8 */
#define BZ_XLOADFLAGS 0x236	/* u16 */
#define BZ_CMDLINE_SIZE 0x238	/* u32, longest command line without NUL */
#define BZ_PREF_ADDRESS 0x258	/* u64 */
#define BZ_INIT_SIZE 0x260	/* u32, bytes the kernel needs from its load address */
#define BZ_HDR_END_2_15 0x26c	/* end of the 2.15 header (kernel_info_offset) */
/* The last field this loader reads ends here: init_size, there since 2.10. */
#define BZ_HDR_END_MIN (BZ_INIT_SIZE + 4)

#define BZ_SETUP_START BZ_SETUP_SECTS	/* the part a loader copies */
/* "The end of setup header can be calculated as 0x0202 + byte at 0x201". */
#define BZ_HDR_END_BASE 0x202
#define BZ_HDR_MAX_LEN (BZ_HDR_END_BASE + 0xff - BZ_SETUP_START)
#define BZ_SECTOR 512
#define BZ_SETUP_SECTS_DEFAULT 4

#define BZ_BOOT_FLAG_MAGIC 0xaa55
#define BZ_HEADER_MAGIC 0x53726448u	/* "HdrS" little-endian */
#define BZ_PROTO(maj, min) ((maj) << 8 | (min))
/* 2.12 added xloadflags, which announces the 64-bit entry point. */
#define BZ_PROTO_MIN BZ_PROTO(2, 12)

/* loadflags (boot.rst, "loadflags") */
#define BZ_LOADED_HIGH BIT(0)	/* protected-mode code at 0x100000: a bzImage */
#define BZ_CAN_USE_HEAP BIT(7)	/* heap_end_ptr is valid */

/* xloadflags (boot.rst, "xloadflags") */
#define BZ_XLF_KERNEL_64 BIT(0)	/* 64-bit entry at load address + 0x200 */
#define BZ_XLF_CAN_BE_LOADED_ABOVE_4G BIT(1)

#define BZ_ENTRY64_OFFSET 0x200
#define BZ_TYPE_OF_LOADER_UNDEFINED 0xff /* "no assigned ID" */
#define BZ_VID_MODE_NORMAL 0xffff

/* Zero page (zero-page.rst), fields outside the setup header. */
#define BP_SIZE 4096
#define BP_EXT_RAMDISK_IMAGE 0x0c0	/* u32, bits 63:32 */
#define BP_EXT_RAMDISK_SIZE 0x0c4	/* u32 */
#define BP_EXT_CMD_LINE_PTR 0x0c8	/* u32 */
#define BP_E820_ENTRIES 0x1e8		/* u8 */
#define BP_E820_TABLE 0x2d0		/* struct boot_e820_entry[128] */
#define BP_E820_MAX 128
#define BP_E820_ENTRY_SIZE 20		/* packed u64 addr, u64 size, u32 type */

/* e820 types (ACPI 6.5 section 15, "System Address Map Interfaces"). */
#define E820_TYPE_RAM 1
#define E820_TYPE_RESERVED 2

/* The GDT selectors the 64-bit protocol requires (boot.rst, "64-bit boot
 * protocol"): __BOOT_CS = 0x10, __BOOT_DS = 0x18, both 4 GiB flat. */
#define LINUX_BOOT_CS 0x10
#define LINUX_BOOT_DS 0x18

#endif
