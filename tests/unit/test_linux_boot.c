// SPDX-License-Identifier: MIT
/*
 * Host tests for vmm/linux_boot.c: a synthetic bzImage parses, bad ones
 * are rejected with a reason, the layout and e820 map come out as
 * documented, the zero page carries the loader's fields, linux_load puts
 * every byte where the layout says. When tools/fetch-linux.sh has run,
 * the real Debian kernel's header is checked against PLATFORM.md.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/unaligned.h"
#include "tests/unit/fixture.h"
#include "vmm/linux_boot.h"

#define MiB (1ull << 20)
#define SETUP_SECTS 3
#define KERNEL_BYTES 0x3000
#define IMG_SIZE ((SETUP_SECTS + 1) * 512 + KERNEL_BYTES)
#define INIT_SIZE 0x100000
#define GUEST_RAM (32 * MiB)
#define CMDLINE "console=ttyS0,115200 acpi=off nokaslr"

static u8 img_buf[IMG_SIZE];

static void put16(u8 *p, u16 v) { p[0] = (u8)v; p[1] = (u8)(v >> 8); }
static void put32(u8 *p, u32 v) { put16(p, (u16)v); put16(p + 2, (u16)(v >> 16)); }
static void put64(u8 *p, u64 v) { put32(p, (u32)v); put32(p + 4, (u32)(v >> 32)); }

/* A header like the Debian kernel's, with a small kernel after it. */
static u8 *make(void)
{
	u8 *b = img_buf;
	unsigned i;

	memset(b, 0, sizeof(img_buf));
	b[BZ_SETUP_SECTS] = SETUP_SECTS;
	put32(b + BZ_SYSSIZE, KERNEL_BYTES / 16);
	put16(b + BZ_BOOT_FLAG, BZ_BOOT_FLAG_MAGIC);
	b[BZ_JUMP] = 0xeb;
	b[BZ_JUMP + 1] = BZ_HDR_END_2_15 - BZ_HDR_END_BASE;
	put32(b + BZ_HEADER, BZ_HEADER_MAGIC);
	put16(b + BZ_VERSION, BZ_PROTO(2, 15));
	b[BZ_LOADFLAGS] = BZ_LOADED_HIGH;
	put32(b + BZ_INITRD_ADDR_MAX, 0x7fffffff);
	put32(b + BZ_KERNEL_ALIGNMENT, SZ_2M);
	b[BZ_RELOCATABLE] = 1;
	put16(b + BZ_XLOADFLAGS, 0x7f);
	put32(b + BZ_CMDLINE_SIZE, 2047);
	put64(b + BZ_PREF_ADDRESS, 16 * MiB);
	put32(b + BZ_INIT_SIZE, INIT_SIZE);
	for (i = 0; i < KERNEL_BYTES; i++)
		b[(SETUP_SECTS + 1) * 512 + i] = (u8)(i * 7 + 1);
	return b;
}

static struct linux_guest_params params(u64 initrd_size)
{
	struct linux_guest_params p = {
		.ram_size = GUEST_RAM,
		.mmio_base = 0xc0000000,
		.mmio_size = 0x10000000,
		.initrd_size = initrd_size,
		.cmdline = CMDLINE,
	};
	return p;
}

static void expect_reject(const u8 *b, size_t size, const char *why)
{
	struct linux_bzimage img;
	char err[160] = "";

	assert_int_equal(linux_bzimage_parse(b, size, &img, err, sizeof(err)), -1);
	if (!strstr(err, why))
		fail_msg("reason '%s' does not mention '%s'", err, why);
}

static void parse_ok(const u8 *b, size_t size, struct linux_bzimage *img)
{
	char err[160] = "";

	if (linux_bzimage_parse(b, size, img, err, sizeof(err)))
		fail_msg("parse failed: %s", err);
}

static void expect_layout_reject(const struct linux_bzimage *img,
				 const struct linux_guest_params *p,
				 const char *why)
{
	struct linux_layout lay;
	char err[160] = "";

	assert_int_equal(linux_layout_compute(img, p, &lay, err, sizeof(err)), -1);
	if (!strstr(err, why))
		fail_msg("reason '%s' does not mention '%s'", err, why);
}

static void test_parse_good(void **state)
{
	struct linux_bzimage img;

	parse_ok(make(), IMG_SIZE, &img);
	assert_int_equal(img.version, 0x20f);
	assert_int_equal(img.setup_sects, SETUP_SECTS);
	assert_int_equal(img.xloadflags, 0x7f);
	assert_int_equal(img.pref_address, 16 * MiB);
	assert_int_equal(img.kernel_alignment, SZ_2M);
	assert_int_equal(img.init_size, INIT_SIZE);
	assert_int_equal(img.kernel_offset, (SETUP_SECTS + 1) * 512);
	assert_int_equal(img.kernel_size, KERNEL_BYTES);
	assert_int_equal(img.hdr_len, BZ_HDR_END_2_15 - BZ_SETUP_START);
	assert_int_equal(img.hdr[0], SETUP_SECTS);
}

/* setup_sects 0 means 4; trailing bytes past syssize (a signature) are
 * not part of the kernel. */
static void test_parse_quirks(void **state)
{
	static u8 big[5 * 512 + KERNEL_BYTES + 256];
	struct linux_bzimage img;

	memcpy(big, make(), BZ_HDR_END_2_15);
	big[BZ_SETUP_SECTS] = 0;
	parse_ok(big, sizeof(big), &img);
	assert_int_equal(img.setup_sects, BZ_SETUP_SECTS_DEFAULT);
	assert_int_equal(img.kernel_offset, 5 * 512);
	assert_int_equal(img.kernel_size, KERNEL_BYTES);
}

/* A 2.12 header (ends at 0x268, before kernel_info_offset) is accepted
 * and copied at its own length. */
static void test_parse_2_12(void **state)
{
	struct linux_bzimage img;
	u8 *b = make();

	put16(b + BZ_VERSION, BZ_PROTO(2, 12));
	b[BZ_JUMP + 1] = 0x268 - BZ_HDR_END_BASE;
	parse_ok(b, IMG_SIZE, &img);
	assert_int_equal(img.version, 0x20c);
	assert_int_equal(img.hdr_len, 0x268 - BZ_SETUP_START);
}

static void test_parse_bad(void **state)
{
	u8 *b;

	expect_reject(make(), 0x100, "too short");
	expect_reject(NULL, 0, "no data");
	b = make(); put16(b + BZ_BOOT_FLAG, 0x1234);
	expect_reject(b, IMG_SIZE, "boot flag 0x1234");
	b = make(); b[BZ_HEADER] = 'X';
	expect_reject(b, IMG_SIZE, "HdrS");
	b = make(); put16(b + BZ_VERSION, BZ_PROTO(2, 10));
	expect_reject(b, IMG_SIZE, "2.10 is too old");
	b = make(); put16(b + BZ_XLOADFLAGS, BZ_XLF_CAN_BE_LOADED_ABOVE_4G);
	expect_reject(b, IMG_SIZE, "no 64-bit entry");
	b = make(); b[BZ_LOADFLAGS] = 0;
	expect_reject(b, IMG_SIZE, "zImage");
	b = make(); put32(b + BZ_KERNEL_ALIGNMENT, 0x300000);
	expect_reject(b, IMG_SIZE, "power of two");
	b = make(); b[BZ_JUMP + 1] = 0x10;	/* header ends before init_size */
	expect_reject(b, IMG_SIZE, "header length");
	b = make(); b[BZ_SETUP_SECTS] = 200;
	expect_reject(b, IMG_SIZE, "past the end");
	b = make(); put32(b + BZ_INIT_SIZE, 0x1000);
	expect_reject(b, IMG_SIZE, "init_size");
}

static void test_layout(void **state)
{
	struct linux_guest_params p = params(0x12345);
	struct linux_bzimage img;
	struct linux_layout lay;
	char err[160] = "";

	parse_ok(make(), IMG_SIZE, &img);
	assert_int_equal(linux_layout_compute(&img, &p, &lay, err, sizeof(err)), 0);
	assert_int_equal(lay.kernel_gpa, 16 * MiB);
	assert_int_equal(lay.kernel_end, 16 * MiB + INIT_SIZE);
	assert_int_equal(lay.entry64, 16 * MiB + 0x200);
	/* highest page-aligned place below RAM's end */
	assert_int_equal(lay.initrd_gpa, ALIGN_DOWN(GUEST_RAM - 0x12345, PAGE_SIZE));
	assert_int_equal(lay.initrd_size, 0x12345);
	assert_int_equal(lay.cmdline_len, strlen(CMDLINE));

	/* a caller limit and initrd_addr_max both cap it */
	p.initrd_limit = 20 * MiB;
	assert_int_equal(linux_layout_compute(&img, &p, &lay, err, sizeof(err)), 0);
	assert_int_equal(lay.initrd_gpa, ALIGN_DOWN(20 * MiB - 0x12345, PAGE_SIZE));
	put32(img_buf + BZ_INITRD_ADDR_MAX, 24 * MiB - 1);
	parse_ok(img_buf, IMG_SIZE, &img);
	p.initrd_limit = 0;
	assert_int_equal(linux_layout_compute(&img, &p, &lay, err, sizeof(err)), 0);
	assert_int_equal(lay.initrd_gpa, ALIGN_DOWN(24 * MiB - 0x12345, PAGE_SIZE));
	p.initrd_size = 0;
	assert_int_equal(linux_layout_compute(&img, &p, &lay, err, sizeof(err)), 0);
	assert_int_equal(lay.initrd_gpa, 0);
	assert_int_equal(lay.initrd_size, 0);
}

/* An unaligned pref_address moves up to the next kernel_alignment. */
static void test_layout_alignment(void **state)
{
	struct linux_guest_params p = params(0);
	struct linux_bzimage img;
	struct linux_layout lay;
	char err[160] = "";
	u8 *b = make();

	put64(b + BZ_PREF_ADDRESS, 16 * MiB + 0x1000);
	parse_ok(b, IMG_SIZE, &img);
	assert_int_equal(linux_layout_compute(&img, &p, &lay, err, sizeof(err)), 0);
	assert_int_equal(lay.kernel_gpa, 18 * MiB);
}

static void test_layout_bad(void **state)
{
	struct linux_guest_params p;
	struct linux_bzimage img;
	char longline[LB_CMDLINE_MAX + 100];

	parse_ok(make(), IMG_SIZE, &img);
	p = params(0); p.ram_size = 16 * MiB + INIT_SIZE - 1;
	expect_layout_reject(&img, &p, "does not fit in guest RAM");
	p = params(0); p.ram_size = 16 * MiB + INIT_SIZE;	/* exactly fits */
	{
		struct linux_layout lay;
		char err[160];

		assert_int_equal(linux_layout_compute(&img, &p, &lay, err, sizeof(err)), 0);
	}
	p = params(0); p.ram_size = MiB;
	expect_layout_reject(&img, &p, "more than 1 MiB");
	p = params(0); p.ram_size = 5ull << 30; p.mmio_size = 0;
	expect_layout_reject(&img, &p, "at most 4 GiB");
	p = params(8 * MiB);	/* initrd would overlap the kernel's init_size */
	p.initrd_limit = 24 * MiB;
	expect_layout_reject(&img, &p, "initrd of 0x800000 bytes does not fit");
	p = params(GUEST_RAM + 1);
	expect_layout_reject(&img, &p, "initrd");
	p = params(0); p.mmio_base = GUEST_RAM - PAGE_SIZE;
	expect_layout_reject(&img, &p, "overlaps guest RAM");
	p = params(0); p.mmio_base = 0xfff00000; p.mmio_size = 0x200000;
	expect_layout_reject(&img, &p, "below 4 GiB");
	p = params(0); p.mmio_size = ~0ull;
	expect_layout_reject(&img, &p, "below 4 GiB");
	memset(longline, 'a', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = 0;
	longline[2048] = 0;			/* 2048 > cmdline_size 2047 */
	p = params(0); p.cmdline = longline;
	expect_layout_reject(&img, &p, "command line is 2048 bytes, the kernel accepts at most 2047");
	longline[2048] = 'a';
	put32(img_buf + BZ_CMDLINE_SIZE, 100000);	/* our page caps it */
	parse_ok(img_buf, IMG_SIZE, &img);
	longline[LB_CMDLINE_MAX] = 0;
	expect_layout_reject(&img, &p, "at most 4095");
}

static void test_e820(void **state)
{
	struct linux_guest_params p = params(0);
	struct linux_bzimage img;
	struct linux_layout lay;
	char err[160];
	static const struct linux_e820_entry want[] = {
		{ 0, 0xa0000, E820_TYPE_RAM },
		{ 0xa0000, 0x60000, E820_TYPE_RESERVED },
		{ 0x100000, GUEST_RAM - 0x100000, E820_TYPE_RAM },
		{ 0xc0000000, 0x10000000, E820_TYPE_RESERVED },
	};
	unsigned i;

	parse_ok(make(), IMG_SIZE, &img);
	assert_int_equal(linux_layout_compute(&img, &p, &lay, err, sizeof(err)), 0);
	assert_int_equal(lay.e820_entries, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		assert_int_equal(lay.e820[i].addr, want[i].addr);
		assert_int_equal(lay.e820[i].size, want[i].size);
		assert_int_equal(lay.e820[i].type, want[i].type);
	}
	p.mmio_size = 0;		/* no device: no reserved window */
	assert_int_equal(linux_layout_compute(&img, &p, &lay, err, sizeof(err)), 0);
	assert_int_equal(lay.e820_entries, 3);
}

static void test_zero_page(void **state)
{
	struct linux_guest_params p = params(0x12345);
	struct linux_bzimage img;
	struct linux_layout lay;
	static u8 page[BP_SIZE];
	char err[160];
	const u8 *e;

	parse_ok(make(), IMG_SIZE, &img);
	assert_int_equal(linux_layout_compute(&img, &p, &lay, err, sizeof(err)), 0);
	memset(page, 0xcc, sizeof(page));
	linux_zero_page(&img, &lay, page);
	assert_int_equal(page[0], 0);			/* zeroed first */
	assert_int_equal(page[0x1ef], 0);		/* sentinel */
	assert_int_equal(page[BZ_SETUP_SECTS], SETUP_SECTS);	/* header copied */
	assert_int_equal(get_le32(page + BZ_HEADER), BZ_HEADER_MAGIC);
	assert_int_equal(get_le32(page + BZ_INIT_SIZE), INIT_SIZE);
	assert_int_equal(page[BZ_TYPE_OF_LOADER], 0xff);
	assert_int_equal(page[BZ_LOADFLAGS], BZ_LOADED_HIGH | BZ_CAN_USE_HEAP);
	assert_int_equal(get_le16(page + BZ_VID_MODE), 0xffff);
	assert_int_equal(get_le32(page + BZ_CMD_LINE_PTR), LB_CMDLINE_GPA);
	assert_int_equal(get_le32(page + BP_EXT_CMD_LINE_PTR), 0);
	assert_int_equal(get_le32(page + BZ_RAMDISK_IMAGE), lay.initrd_gpa);
	assert_int_equal(get_le32(page + BZ_RAMDISK_SIZE), 0x12345);
	assert_int_equal(get_le32(page + BP_EXT_RAMDISK_IMAGE), 0);
	assert_int_equal(page[BP_E820_ENTRIES], 4);
	e = page + BP_E820_TABLE + 2 * BP_E820_ENTRY_SIZE;
	assert_int_equal(get_le64(e), 0x100000);
	assert_int_equal(get_le64(e + 8), GUEST_RAM - 0x100000);
	assert_int_equal(get_le32(e + 16), E820_TYPE_RAM);
	e = page + BP_E820_TABLE + 3 * BP_E820_ENTRY_SIZE;
	assert_int_equal(get_le64(e), 0xc0000000);
	assert_int_equal(get_le32(e + 16), E820_TYPE_RESERVED);
	assert_int_equal(page[BP_E820_TABLE + 4 * BP_E820_ENTRY_SIZE], 0);
}

static u8 *guest;

static int write_guest(void *ctx, u64 gpa, const void *src, u64 len)
{
	if (gpa >= GUEST_RAM || len > GUEST_RAM - gpa)
		fail_msg("write of %#llx bytes at %#llx outside guest RAM",
			 (unsigned long long)len, (unsigned long long)gpa);
	memcpy(guest + gpa, src, len);
	(*(int *)ctx)++;
	return 0;
}

static int write_fails(void *ctx, u64 gpa, const void *src, u64 len)
{
	return (*(int *)ctx)-- > 0 ? 0 : -7;
}

static void test_load(void **state)
{
	struct linux_guest_params p = params(0x1800);
	struct linux_bzimage img;
	struct linux_layout lay;
	static u8 initrd[0x1800];
	char err[160];
	int writes = 0, budget;
	unsigned i;

	guest = calloc(1, GUEST_RAM);
	assert_non_null(guest);
	/* the command line's NUL must be written, not left from zeroed RAM */
	memset(guest + LB_CMDLINE_GPA, 0xff, LB_CMDLINE_MAX);
	memset(initrd, 0x5a, sizeof(initrd));
	parse_ok(make(), IMG_SIZE, &img);
	assert_int_equal(linux_layout_compute(&img, &p, &lay, err, sizeof(err)), 0);
	assert_int_equal(linux_load(&img, img_buf, &lay, initrd, CMDLINE,
				    write_guest, &writes), 0);
	assert_memory_equal(guest + 16 * MiB, img_buf + img.kernel_offset, KERNEL_BYTES);
	assert_int_equal(guest[16 * MiB + KERNEL_BYTES], 0);
	assert_memory_equal(guest + lay.initrd_gpa, initrd, sizeof(initrd));
	assert_string_equal((char *)guest + LB_CMDLINE_GPA, CMDLINE);
	assert_int_equal(get_le32(guest + LB_ZERO_PAGE_GPA + BZ_HEADER), BZ_HEADER_MAGIC);
	/* GDT: 0x10 long-mode code, 0x18 data */
	assert_int_equal(get_le64(guest + LB_GDT_GPA), 0);
	assert_int_equal(get_le64(guest + LB_GDT_GPA + LINUX_BOOT_CS) & BIT(53), BIT(53));
	assert_int_equal(get_le64(guest + LB_GDT_GPA + LINUX_BOOT_DS), 0x00cf92000000ffffull);
	/* page tables: identity map of 0-4 GiB in 2 MiB pages */
	assert_int_equal(get_le64(guest + LB_PML4_GPA), LB_PDPT_GPA | 3);
	for (i = 0; i < LB_MAPPED_GIB; i++)
		assert_int_equal(get_le64(guest + LB_PDPT_GPA + i * 8),
				 (LB_PD_GPA + i * PAGE_SIZE) | 3);
	assert_int_equal(get_le64(guest + LB_PD_GPA + 8 * 8), 8 * SZ_2M | 0x83);
	assert_int_equal(get_le64(guest + LB_PD_GPA + 3 * PAGE_SIZE + 511 * 8),
			 (3 * SZ_1G + 511 * SZ_2M) | 0x83);
	assert_int_equal(LB_LOW_END, 0xb000);
	for (budget = 0; budget < 6; budget++) {	/* a failing write stops it */
		int left = budget;

		assert_int_equal(linux_load(&img, img_buf, &lay, initrd, CMDLINE,
					    write_fails, &left), -7);
	}
	free(guest);
}

static void test_entry_state(void **state)
{
	struct linux_guest_params p = params(0);
	struct linux_entry_state st;
	struct linux_bzimage img;
	struct linux_layout lay;
	char err[160];

	parse_ok(make(), IMG_SIZE, &img);
	assert_int_equal(linux_layout_compute(&img, &p, &lay, err, sizeof(err)), 0);
	linux_entry_state(&lay, &st);
	assert_int_equal(st.rip, 16 * MiB + 0x200);
	assert_int_equal(st.rsi, LB_ZERO_PAGE_GPA);
	assert_int_equal(st.rflags & BIT(9), 0);		/* IF clear */
	assert_int_equal(st.cr0 & (BIT(0) | BIT(31)), BIT(0) | BIT(31));
	assert_int_equal(st.cr4 & BIT(5), BIT(5));		/* PAE */
	assert_int_equal(st.efer & (BIT(8) | BIT(10)), BIT(8) | BIT(10));
	assert_int_equal(st.cr3, LB_PML4_GPA);
	assert_int_equal(st.cs, 0x10);
	assert_int_equal(st.ds, 0x18);
	assert_int_equal(st.gdt_base, LB_GDT_GPA);
	assert_int_equal(st.gdt_limit, 31);
	assert_true(st.rsp > LB_GDT_GPA + 32 && st.rsp <= LB_ZERO_PAGE_GPA);
}

/* The Debian kernel tools/fetch-linux.sh fetches, if it has been run. */
static void test_real_vmlinuz(void **state)
{
	const char *path = getenv("LINUX_VMLINUZ");
	struct linux_guest_params p = params(2 * MiB);
	struct linux_bzimage img;
	struct linux_layout lay;
	char err[160];
	FILE *f;
	u8 *b;
	u64 len;

	if (!path)
		path = "build/deps/linux/vmlinuz";
	f = fopen(path, "rb");
	if (!f) {
		print_message("%s absent (run make linux-guest): skipped\n", path);
		skip();
	}
	fclose(f);
	b = fixture_read(path, &len);
	parse_ok(b, len, &img);
	assert_int_equal(img.version, BZ_PROTO(2, 15));
	assert_int_equal(img.setup_sects, 39);
	assert_int_equal(img.xloadflags, 0x7f);
	assert_int_equal(img.pref_address, 16 * MiB);
	assert_int_equal(img.kernel_alignment, SZ_2M);
	assert_int_equal(img.init_size, 0x37ee000);
	assert_true(img.relocatable);
	assert_int_equal(img.kernel_offset, 40 * 512);
	assert_true(img.kernel_size <= len - img.kernel_offset);
	/* 128 MiB is enough; 64 MiB is not (16 MiB + init_size ~ 72 MiB) */
	p.ram_size = 128 * MiB;
	assert_int_equal(linux_layout_compute(&img, &p, &lay, err, sizeof(err)), 0);
	assert_true(lay.initrd_gpa >= lay.kernel_end);
	p.ram_size = 64 * MiB;
	expect_layout_reject(&img, &p, "does not fit in guest RAM");
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_quirks),
		cmocka_unit_test(test_parse_2_12),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_layout_alignment),
		cmocka_unit_test(test_layout_bad),
		cmocka_unit_test(test_e820),
		cmocka_unit_test(test_zero_page),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_entry_state),
		cmocka_unit_test(test_real_vmlinuz),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
