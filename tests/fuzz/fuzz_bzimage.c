/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the Linux bzImage loader (vmm/linux_boot.c): the
 * kernel comes off the ESP and is untrusted. The first two input bytes
 * pick the guest (RAM size, initrd size); the rest is the image.
 *
 * Besides the sanitizers, it checks what the loader promises: a parsed
 * image's kernel lies inside the file; a computed layout keeps kernel,
 * initrd and the low structures inside RAM, apart, and aligned; the e820
 * map is sorted without overlaps; every write of linux_load() lands in
 * RAM; the entry is the kernel's 64-bit entry point.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/linux_boot.h"
#include "tests/fuzz/fuzz_check.h"

#define MiB (1ull << 20)
#define MMIO_BASE 0xf0000000ull
#define MMIO_SIZE (224 * MiB)

static u64 ram_size;

static int write_cb(void *ctx, u64 gpa, const void *src, u64 len)
{
	CHECK(gpa + len >= gpa && gpa + len <= ram_size);
	if (len)	/* touch the source so ASan sees an out-of-bounds read */
		*(volatile const u8 *)src, *(volatile const u8 *)((const u8 *)src + len - 1);
	return 0;
}

static void check_image(const struct linux_bzimage *img, size_t size)
{
	CHECK(img->version >= BZ_PROTO(2, 12));
	if (img->relocatable)
		CHECK(img->kernel_alignment &&
		      !(img->kernel_alignment & (img->kernel_alignment - 1)));
	CHECK(img->kernel_offset + img->kernel_size <= size);
	CHECK(img->kernel_size <= img->init_size);
	CHECK(img->hdr_len <= BZ_HDR_MAX_LEN);
}

static void check_layout(const struct linux_bzimage *img,
			 const struct linux_layout *lay, u64 initrd_size)
{
	u32 i;

	if (img->relocatable)
		CHECK(lay->kernel_gpa % img->kernel_alignment == 0);
	/* Above the first MiB: the low structures and Linux's own use. */
	CHECK(lay->kernel_gpa >= LB_HIGH_RAM_START);
	CHECK(lay->kernel_end == lay->kernel_gpa + img->init_size);
	CHECK(lay->kernel_end <= ram_size);
	CHECK(lay->entry64 == lay->kernel_gpa + 0x200);
	CHECK(lay->initrd_size == initrd_size);
	if (initrd_size) {
		CHECK(lay->initrd_gpa % PAGE_SIZE == 0);
		CHECK(lay->initrd_gpa >= lay->kernel_end);
		CHECK(lay->initrd_gpa + initrd_size <= ram_size);
		CHECK(lay->initrd_gpa + initrd_size - 1 <= img->initrd_addr_max);
	}
	CHECK(lay->e820_entries > 0 && lay->e820_entries <= LB_E820_MAX);
	for (i = 1; i < lay->e820_entries; i++)
		CHECK(lay->e820[i - 1].addr + lay->e820[i - 1].size <=
		      lay->e820[i].addr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct linux_guest_params p = { .mmio_base = MMIO_BASE, .mmio_size = MMIO_SIZE,
					.cmdline = "console=ttyS0 nokaslr" };
	struct linux_entry_state st;
	struct linux_bzimage img;
	struct linux_layout lay;
	static u8 page[BP_SIZE];
	static u8 initrd[64 * 1024];
	char err[160];
	uint8_t *buf;

	if (size < 2)
		return 0;
	/* 16..271 MiB of RAM; an initrd of 0..63 KiB */
	ram_size = (16 + (u64)data[0]) * MiB;
	p.ram_size = ram_size;
	p.initrd_size = (u64)(data[1] & 0x3f) * 1024;
	data += 2;
	size -= 2;
	buf = malloc(size ? size : 1);	/* private: overreads are caught */
	memcpy(buf, data, size);
	if (linux_bzimage_parse(buf, size, &img, err, sizeof(err)) == 0) {
		check_image(&img, size);
		if (linux_layout_compute(&img, &p, &lay, err, sizeof(err)) == 0) {
			check_layout(&img, &lay, p.initrd_size);
			linux_zero_page(&img, &lay, page);
			CHECK(linux_load(&img, buf, &lay, p.initrd_size ? initrd : NULL,
					 p.cmdline, write_cb, NULL) == 0);
			linux_entry_state(&lay, &st);
			CHECK(st.rip == lay.entry64 && st.rsi == LB_ZERO_PAGE_GPA);
		} else {
			CHECK(err[0] != 0);
		}
	} else {
		CHECK(err[0] != 0);
	}
	free(buf);
	return 0;
}
