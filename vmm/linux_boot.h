/* SPDX-License-Identifier: MIT */
/*
 * Linux bzImage loader for guests, 64-bit boot protocol (Linux
 * Documentation/arch/x86/boot.rst). Pure, like vmm/elf.c: it reads the
 * image bytes it is given and writes guest memory only through a
 * callback, so it is host-unit-tested (tests/unit/test_linux_boot.c).
 * Called by vmm/vm_linux.c for guests with kernel = (docs/linux-guest.md).
 *
 * Guest-physical layout it produces, for a guest with RAM [0, ram_size)
 * below the assigned devices' MMIO window:
 *   0x1000  GDT (0x10 flat 64-bit code, 0x18 flat data)
 *   0x2000  boot stack page (RSP = 0x3000 at entry)
 *   0x3000  zero page (struct boot_params), RSI at entry
 *   0x4000  command line, NUL-terminated, at most 4 KiB
 *   0x5000  PML4, 0x6000 PDPT, 0x7000-0xafff four PDs: 0-4 GiB identity
 *           mapped with 2 MiB pages
 *   pref_address (aligned to kernel_alignment): the protected-mode
 *           kernel, init_size bytes reserved for it to decompress in
 *   initrd: as high as allowed, page aligned, above the kernel
 * Linux itself reserves the first MiB, so the low structures survive
 * until it has copied what it needs.
 */
#ifndef VMM_LINUX_BOOT_H
#define VMM_LINUX_BOOT_H

#include "lib/types.h"
#include "vmm/linux_bootparam.h"

#define LB_GDT_GPA 0x1000ull
#define LB_STACK_TOP 0x3000ull
#define LB_ZERO_PAGE_GPA 0x3000ull
#define LB_CMDLINE_GPA 0x4000ull
#define LB_CMDLINE_MAX 4096ull		/* with its NUL */
#define LB_PML4_GPA 0x5000ull
#define LB_PDPT_GPA 0x6000ull
#define LB_PD_GPA 0x7000ull
#define LB_MAPPED_GIB 4			/* one PD per GiB */
#define LB_LOW_END (LB_PD_GPA + LB_MAPPED_GIB * PAGE_SIZE)

/* Legacy PC holes (the e820 a BIOS would give). */
#define LB_LOW_RAM_END 0xa0000ull	/* 640 KiB */
#define LB_HIGH_RAM_START 0x100000ull	/* 1 MiB; VGA and ROMs below */
#define LB_4G (1ull << 32)

#define LB_E820_MAX 8

struct linux_bzimage {
	u16 version;		/* boot protocol, major << 8 | minor */
	u8 setup_sects;		/* 0 in the file means 4; stored resolved */
	u8 loadflags;
	u16 xloadflags;
	u8 relocatable;
	u32 kernel_alignment;
	u64 pref_address;
	u32 init_size;
	u32 cmdline_size;	/* longest command line, without the NUL */
	u32 initrd_addr_max;	/* highest byte an initrd may occupy */
	u64 kernel_offset;	/* protected-mode kernel in the file */
	u64 kernel_size;	/* its bytes (syssize; a signature may follow) */
	u32 hdr_len;		/* setup header bytes from 0x1f1 to copy */
	u8 hdr[BZ_HDR_MAX_LEN];
};

struct linux_guest_params {
	u64 ram_size;		/* RAM is [0, ram_size) */
	u64 mmio_base;		/* assigned devices' window, e820 reserved; */
	u64 mmio_size;		/* 0 for none; must be above RAM, below 4 GiB */
	u64 initrd_size;	/* 0 for none */
	u64 initrd_limit;	/* initrd ends at or below this; 0 = RAM end */
	const char *cmdline;	/* NULL = empty */
};

struct linux_e820_entry {
	u64 addr, size;
	u32 type;		/* E820_TYPE_* */
};

struct linux_layout {
	u64 kernel_gpa, kernel_end;	/* end = gpa + init_size */
	u64 entry64;			/* kernel_gpa + 0x200 */
	u64 initrd_gpa, initrd_size;
	u64 cmdline_len;		/* without the NUL */
	u32 e820_entries;
	struct linux_e820_entry e820[LB_E820_MAX];
};

/*
 * CPU state at the 64-bit entry (boot.rst "64-bit boot protocol"): long
 * mode, paging on with the identity map, CS = 0x10, DS = ES = SS = 0x18
 * flat, interrupts off, RSI = zero page. The VMM applies it.
 */
struct linux_entry_state {
	u64 rip, rsi, rsp, rflags;
	u64 cr0, cr3, cr4, efer;
	u64 gdt_base;
	u16 gdt_limit;
	u16 cs, ds;			/* ds also for es, ss; fs, gs too */
	u64 cs_desc, ds_desc;		/* the GDT descriptors they select */
};

typedef int (*linux_write_fn)(void *ctx, u64 gpa, const void *src, u64 len);

/*
 * Validate the bzImage in buf[0..size): boot flag, "HdrS", protocol at
 * least 2.12, a bzImage (LOADED_HIGH), the 64-bit entry (XLF_KERNEL_64),
 * a power-of-two alignment, init_size covering the kernel bytes. Returns
 * 0, or -1 with a one-line reason in err.
 */
int linux_bzimage_parse(const void *buf, size_t size, struct linux_bzimage *img,
			char *err, size_t errlen);

/*
 * Place kernel, initrd and command line for a guest described by p, and
 * make its e820 map. Returns 0, or -1 with a reason in err (RAM too small
 * for init_size, initrd does not fit, command line too long, MMIO window
 * overlapping RAM or above 4 GiB).
 */
int linux_layout_compute(const struct linux_bzimage *img,
			 const struct linux_guest_params *p,
			 struct linux_layout *lay, char *err, size_t errlen);

/* The zero page for that layout, into page[BP_SIZE]. */
void linux_zero_page(const struct linux_bzimage *img,
		     const struct linux_layout *lay, u8 *page);

/*
 * Write everything into guest memory (assumed zeroed): kernel, initrd,
 * command line, zero page, GDT, page tables. initrd may be NULL when
 * lay->initrd_size is 0; cmdline is the string given to
 * linux_layout_compute (NULL: the page stays zero, an empty line). Returns 0 or the first non-zero write() result.
 */
int linux_load(const struct linux_bzimage *img, const void *buf,
	       const struct linux_layout *lay, const void *initrd,
	       const char *cmdline, linux_write_fn write, void *ctx);

void linux_entry_state(const struct linux_layout *lay,
		       struct linux_entry_state *st);

#endif
