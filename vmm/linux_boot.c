// SPDX-License-Identifier: MIT
/*
 * Linux bzImage loading, 64-bit boot protocol (Documentation/arch/x86/
 * boot.rst). The image comes off the ESP and is untrusted: every header
 * field is checked before it sizes or places anything, and all sums are
 * overflow-checked.
 */
#include "vmm/linux_boot.h"

#include "kernel/cpu.h"
#include "lib/format.h"
#include "vmm/guest_x86.h"
#include "vmm/image_check.h"
#include "lib/unaligned.h"
#ifdef HV_HOST_TEST
#include <string.h>
#else
#include "lib/string.h"
#endif

#define LB_GDT_ENTRIES 4		/* null, unused 0x08, CS 0x10, DS 0x18 */

#define LB_RFLAGS_FIXED BIT(1)		/* bit 1 reads as 1; IF stays clear */

/* Only the 16-bit entry uses the heap; the value is the one boot.rst
 * suggests for a setup segment at 0x9000: 0xfe00 - 0x200. */
#define LB_HEAP_END_PTR 0xfc00


/* Magic numbers and the protocol version: is this a usable bzImage? */
static int check_magic(const u8 *b, size_t size, char *err, size_t errlen)
{
	u16 flag, version;

	if (size < BZ_HDR_END_MIN)
		return image_fail(err, errlen, "not a bzImage: %llu bytes, too short for a setup header",
			    size, 0);
	flag = get_le16(b + BZ_BOOT_FLAG);
	if (flag != BZ_BOOT_FLAG_MAGIC)
		return image_fail(err, errlen, "not a bzImage: boot flag %#llx, expected 0xaa55",
			    flag, 0);
	if (get_le32(b + BZ_HEADER) != BZ_HEADER_MAGIC)
		return image_fail(err, errlen, "not a bzImage: no \"HdrS\" signature (an image before protocol 2.00)",
			    0, 0);
	version = get_le16(b + BZ_VERSION);
	if (version < BZ_PROTO_MIN)
		return image_fail(err, errlen, "boot protocol %llu.%02llu is too old: the 64-bit entry needs 2.12",
			    version >> 8, version & 0xff);
	return 0;
}

static void read_header(const u8 *b, struct linux_bzimage *img)
{
	img->version = get_le16(b + BZ_VERSION);
	img->setup_sects = b[BZ_SETUP_SECTS] ? b[BZ_SETUP_SECTS] :
					       BZ_SETUP_SECTS_DEFAULT;
	img->loadflags = b[BZ_LOADFLAGS];
	img->xloadflags = get_le16(b + BZ_XLOADFLAGS);
	img->relocatable = b[BZ_RELOCATABLE];
	img->kernel_alignment = get_le32(b + BZ_KERNEL_ALIGNMENT);
	img->pref_address = get_le64(b + BZ_PREF_ADDRESS);
	img->init_size = get_le32(b + BZ_INIT_SIZE);
	img->cmdline_size = get_le32(b + BZ_CMDLINE_SIZE);
	img->initrd_addr_max = get_le32(b + BZ_INITRD_ADDR_MAX);
	img->hdr_len = BZ_HDR_END_BASE + b[BZ_JUMP + 1] - BZ_SETUP_START;
}

/* Where the protected-mode kernel sits in the file and how long it is. */
static int locate_kernel(const u8 *b, size_t size, struct linux_bzimage *img,
			 char *err, size_t errlen)
{
	u64 syssize = (u64)get_le32(b + BZ_SYSSIZE) * 16;

	img->kernel_offset = ((u64)img->setup_sects + 1) * BZ_SECTOR;
	if (img->kernel_offset >= size)
		return image_fail(err, errlen, "bzImage: %llu setup sectors run past the end of the file (%llu bytes)",
			    img->setup_sects, size);
	img->kernel_size = size - img->kernel_offset;
	/* A signed image carries its signature after the payload. */
	if (syssize && syssize < img->kernel_size)
		img->kernel_size = syssize;
	if (img->init_size < img->kernel_size)
		return image_fail(err, errlen, "bzImage: init_size %#llx is smaller than the kernel's %#llx bytes",
			    img->init_size, img->kernel_size);
	return 0;
}

int linux_bzimage_parse(const void *buf, size_t size, struct linux_bzimage *img,
			char *err, size_t errlen)
{
	const u8 *b = buf;

	memset(img, 0, sizeof(*img));
	if (!buf)
		return image_fail(err, errlen, "not a bzImage: no data", 0, 0);
	if (check_magic(b, size, err, errlen))
		return -1;
	read_header(b, img);
	if (!(img->loadflags & BZ_LOADED_HIGH))
		return image_fail(err, errlen, "a zImage (loaded low), not a bzImage", 0, 0);
	if (!(img->xloadflags & BZ_XLF_KERNEL_64))
		return image_fail(err, errlen, "kernel has no 64-bit entry point (xloadflags %#llx lacks XLF_KERNEL_64)",
			    img->xloadflags, 0);
	if (img->relocatable && (img->kernel_alignment == 0 ||
				 (img->kernel_alignment & (img->kernel_alignment - 1))))
		return image_fail(err, errlen, "bzImage: kernel_alignment %#llx is not a power of two",
			    img->kernel_alignment, 0);
	if (img->hdr_len < BZ_HDR_END_MIN - BZ_SETUP_START ||
	    img->hdr_len > size - BZ_SETUP_START)
		return image_fail(err, errlen, "bzImage: setup header length %#llx is too short for protocol 2.12 or runs past the file",
			    img->hdr_len, 0);
	memcpy(img->hdr, b + BZ_SETUP_START, img->hdr_len);
	return locate_kernel(b, size, img, err, errlen);
}

/* pref_address, or the next kernel_alignment boundary above it. */
static u64 kernel_load_gpa(const struct linux_bzimage *img)
{
	u64 gpa = img->pref_address ? img->pref_address : LB_HIGH_RAM_START;

	if (img->relocatable)
		gpa = ALIGN_UP(gpa, img->kernel_alignment);
	return gpa;
}

static int check_guest(const struct linux_guest_params *p, char *err,
		       size_t errlen)
{
	u64 mmio_end;

	if (p->ram_size <= LB_HIGH_RAM_START || p->ram_size > LB_4G)
		return image_fail(err, errlen, "guest RAM of %#llx bytes: this loader needs more than 1 MiB and at most 4 GiB",
			    p->ram_size, 0);
	if (!p->mmio_size)
		return 0;
	if (!add_ok(p->mmio_base, p->mmio_size, &mmio_end) || mmio_end > LB_4G)
		return image_fail(err, errlen, "MMIO window at %#llx (%#llx bytes) does not end below 4 GiB",
			    p->mmio_base, p->mmio_size);
	if (p->mmio_base < p->ram_size)
		return image_fail(err, errlen, "MMIO window at %#llx overlaps guest RAM (ends at %#llx)",
			    p->mmio_base, p->ram_size);
	return 0;
}

static int place_kernel(const struct linux_bzimage *img, u64 ram_size,
			struct linux_layout *lay, char *err, size_t errlen)
{
	lay->kernel_gpa = kernel_load_gpa(img);
	if (lay->kernel_gpa < LB_HIGH_RAM_START)
		return image_fail(err, errlen, "kernel load address %#llx is below 1 MiB",
			    lay->kernel_gpa, 0);
	if (!add_ok(lay->kernel_gpa, img->init_size, &lay->kernel_end) ||
	    lay->kernel_end > ram_size)
		return image_fail(err, errlen, "kernel does not fit in guest RAM: it needs up to %#llx (load address + init_size), RAM ends at %#llx",
			    lay->kernel_gpa + (u64)img->init_size, ram_size);
	lay->entry64 = lay->kernel_gpa + BZ_ENTRY64_OFFSET;
	return 0;
}

/* As high as RAM, initrd_addr_max and the caller allow, above the kernel. */
static int place_initrd(const struct linux_bzimage *img,
			const struct linux_guest_params *p,
			struct linux_layout *lay, char *err, size_t errlen)
{
	u64 top = MIN(p->ram_size, (u64)img->initrd_addr_max + 1);

	if (p->initrd_limit)
		top = MIN(top, p->initrd_limit);
	lay->initrd_size = p->initrd_size;
	if (!p->initrd_size)
		return 0;
	if (p->initrd_size > top || ALIGN_DOWN(top - p->initrd_size, PAGE_SIZE) < lay->kernel_end)
		return image_fail(err, errlen, "initrd of %#llx bytes does not fit between the kernel's end and %#llx",
			    p->initrd_size, top);
	lay->initrd_gpa = ALIGN_DOWN(top - p->initrd_size, PAGE_SIZE);
	return 0;
}

static void e820_add(struct linux_layout *lay, u64 addr, u64 size, u32 type)
{
	struct linux_e820_entry *e = &lay->e820[lay->e820_entries++];

	e->addr = addr;
	e->size = size;
	e->type = type;
}

/* What a PC BIOS reports, minus the EBDA: Linux wants RAM below 1 MiB
 * (its real-mode trampoline) and reserves page 0 and the first MiB itself. */
static void make_e820(const struct linux_guest_params *p,
		      struct linux_layout *lay)
{
	e820_add(lay, 0, LB_LOW_RAM_END, E820_TYPE_RAM);
	e820_add(lay, LB_LOW_RAM_END, LB_HIGH_RAM_START - LB_LOW_RAM_END,
		 E820_TYPE_RESERVED);
	e820_add(lay, LB_HIGH_RAM_START, p->ram_size - LB_HIGH_RAM_START,
		 E820_TYPE_RAM);
	if (p->mmio_size)
		e820_add(lay, p->mmio_base, p->mmio_size, E820_TYPE_RESERVED);
}

int linux_layout_compute(const struct linux_bzimage *img,
			 const struct linux_guest_params *p,
			 struct linux_layout *lay, char *err, size_t errlen)
{
	u64 len = p->cmdline ? strlen(p->cmdline) : 0;

	memset(lay, 0, sizeof(*lay));
	if (check_guest(p, err, errlen))
		return -1;
	if (len > img->cmdline_size || len >= LB_CMDLINE_MAX)
		return image_fail(err, errlen, "command line is %llu bytes, the kernel accepts at most %llu",
			    len, MIN((u64)img->cmdline_size, LB_CMDLINE_MAX - 1));
	lay->cmdline_len = len;
	if (place_kernel(img, p->ram_size, lay, err, errlen) ||
	    place_initrd(img, p, lay, err, errlen))
		return -1;
	make_e820(p, lay);
	return 0;
}

static void zero_page_e820(const struct linux_layout *lay, u8 *page)
{
	u32 i;

	page[BP_E820_ENTRIES] = (u8)lay->e820_entries;
	for (i = 0; i < lay->e820_entries; i++) {
		u8 *e = page + BP_E820_TABLE + i * BP_E820_ENTRY_SIZE;

		put_le64(e, lay->e820[i].addr);
		put_le64(e + 8, lay->e820[i].size);
		put_le32(e + 16, lay->e820[i].type);
	}
}

void linux_zero_page(const struct linux_bzimage *img,
		     const struct linux_layout *lay, u8 *page)
{
	memset(page, 0, BP_SIZE);
	/* boot.rst: copy the setup header into a zeroed boot_params, then
	 * fill in the fields the loader owns. */
	memcpy(page + BZ_SETUP_START, img->hdr, img->hdr_len);
	put_le16(page + BZ_VID_MODE, BZ_VID_MODE_NORMAL);
	page[BZ_TYPE_OF_LOADER] = BZ_TYPE_OF_LOADER_UNDEFINED;
	page[BZ_LOADFLAGS] |= BZ_CAN_USE_HEAP;
	put_le16(page + BZ_HEAP_END_PTR, LB_HEAP_END_PTR);
	put_le32(page + BZ_CMD_LINE_PTR, (u32)LB_CMDLINE_GPA);
	put_le32(page + BP_EXT_CMD_LINE_PTR, (u32)(LB_CMDLINE_GPA >> 32));
	put_le32(page + BZ_RAMDISK_IMAGE, (u32)lay->initrd_gpa);
	put_le32(page + BP_EXT_RAMDISK_IMAGE, (u32)(lay->initrd_gpa >> 32));
	put_le32(page + BZ_RAMDISK_SIZE, (u32)lay->initrd_size);
	put_le32(page + BP_EXT_RAMDISK_SIZE, (u32)(lay->initrd_size >> 32));
	zero_page_e820(lay, page);
}

static int write_gdt(linux_write_fn write, void *ctx)
{
	u64 gdt[LB_GDT_ENTRIES] = { 0 };

	gdt[LINUX_BOOT_CS / 8] = GUEST_GDT_CODE64;
	gdt[LINUX_BOOT_DS / 8] = GUEST_GDT_DATA;
	return write(ctx, LB_GDT_GPA, gdt, sizeof(gdt));
}

/* 0-4 GiB identity map, 2 MiB pages: covers the kernel's init_size, the
 * zero page, the command line and the initrd, as boot.rst requires.
 * Entry by entry: no 4 KiB table on the kernel stack. */
static int write_page_tables(linux_write_fn write, void *ctx)
{
	u64 pml4e = LB_PDPT_GPA | GPTE_P | GPTE_RW;
	unsigned g, i;
	int rc;

	rc = write(ctx, LB_PML4_GPA, &pml4e, sizeof(pml4e));
	for (g = 0; !rc && g < LB_MAPPED_GIB; g++) {
		u64 pd = LB_PD_GPA + g * PAGE_SIZE;
		u64 pdpte = pd | GPTE_P | GPTE_RW;

		rc = write(ctx, LB_PDPT_GPA + g * 8, &pdpte, sizeof(pdpte));
		for (i = 0; !rc && i < GPTE_ENTRIES; i++) {
			u64 pde = (g * SZ_1G + i * SZ_2M) | GPTE_P |
				  GPTE_RW | GPTE_PS;

			rc = write(ctx, pd + i * 8, &pde, sizeof(pde));
		}
	}
	return rc;
}

int linux_load(const struct linux_bzimage *img, const void *buf,
	       const struct linux_layout *lay, const void *initrd,
	       const char *cmdline, linux_write_fn write, void *ctx)
{
	static u8 page[BP_SIZE];	/* only the BSP sets guests up */
	const u8 *b = buf;
	int rc;

	rc = write(ctx, lay->kernel_gpa, b + img->kernel_offset, img->kernel_size);
	if (!rc && lay->initrd_size)
		rc = write(ctx, lay->initrd_gpa, initrd, lay->initrd_size);
	if (!rc && cmdline)	/* with its NUL */
		rc = write(ctx, LB_CMDLINE_GPA, cmdline, lay->cmdline_len + 1);
	if (rc)
		return rc;
	linux_zero_page(img, lay, page);
	rc = write(ctx, LB_ZERO_PAGE_GPA, page, sizeof(page));
	if (!rc)
		rc = write_gdt(write, ctx);
	return rc ? rc : write_page_tables(write, ctx);
}

void linux_entry_state(const struct linux_layout *lay,
		       struct linux_entry_state *st)
{
	memset(st, 0, sizeof(*st));
	st->rip = lay->entry64;
	st->rsi = LB_ZERO_PAGE_GPA;
	st->rsp = LB_STACK_TOP;
	st->rflags = LB_RFLAGS_FIXED;
	st->cr0 = CR0_PE | CR0_MP | CR0_NE | CR0_WP | CR0_PG;
	st->cr3 = LB_PML4_GPA;
	st->cr4 = CR4_PAE;
	st->efer = EFER_LME | EFER_LMA;
	st->gdt_base = LB_GDT_GPA;
	st->gdt_limit = LB_GDT_ENTRIES * 8 - 1;
	st->cs = LINUX_BOOT_CS;
	st->ds = LINUX_BOOT_DS;
	st->cs_desc = GUEST_GDT_CODE64;
	st->ds_desc = GUEST_GDT_DATA;
}
