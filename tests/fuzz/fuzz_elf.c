/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the guest ELF loader (vmm/elf.c): images come off
 * the ESP and are untrusted.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -DHV_HOST_TEST \
 *       tests/fuzz/fuzz_elf.c vmm/elf.c lib/format.c lib/string.c \
 *       -o build/fuzz_elf
 *   build/fuzz_elf -max_total_time=60
 *
 * Besides the sanitizers, it checks what the loader promises: on success
 * every segment lies inside the file and inside guest memory, none
 * overlap, and the entry point is in an executable segment.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/elf.h"
#include "tests/fuzz/fuzz_check.h"

#define GPA_MIN 0x100000ull
#define GPA_MAX 0x4000000ull

static int write_cb(void *ctx, u64 gpa, const void *src, u64 len)
{
	CHECK(gpa >= GPA_MIN && gpa + len <= GPA_MAX);
	/* touch the source so ASan sees an out-of-bounds read */
	if (len)
		*(volatile const u8 *)src, *(volatile const u8 *)((const u8 *)src + len - 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_image img;
	char err[120];
	bool entry_ok = false;

	/* a private copy, so reads past size are caught exactly */
	uint8_t *buf = malloc(size ? size : 1);

	memcpy(buf, data, size);
	if (elf_parse(buf, size, GPA_MIN, GPA_MAX, &img, err, sizeof(err)) == 0) {
		CHECK(img.nsegs > 0 && img.nsegs <= ELF_MAX_SEGMENTS);
		for (u32 i = 0; i < img.nsegs; i++) {
			const struct elf_segment *s = &img.seg[i];

			CHECK(s->filesz <= s->memsz);
			CHECK(s->offset + s->filesz <= size);
			CHECK(s->gpa >= GPA_MIN && s->gpa + s->memsz <= GPA_MAX);
			for (u32 j = 0; j < i; j++)
				CHECK(s->gpa + s->memsz <= img.seg[j].gpa ||
				      img.seg[j].gpa + img.seg[j].memsz <= s->gpa);
			if ((s->flags & PF_X) && img.entry >= s->gpa &&
			    img.entry < s->gpa + s->memsz)
				entry_ok = true;
		}
		CHECK(entry_ok);
		CHECK(elf_load(&img, buf, write_cb, NULL) == 0);
	} else {
		CHECK(memchr(err, '\0', sizeof(err)) != NULL);
	}
	free(buf);
	return 0;
}
