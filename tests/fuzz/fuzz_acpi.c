// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for kernel/acpi.c.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -DHV_HOST_TEST \
 *     tests/fuzz/fuzz_acpi.c kernel/acpi.c tests/unit/log_stub.c
 *
 * The input is used three ways:
 *  1. as one table, gated by acpi_table_check() with the input size as
 *     `avail` (what acpi_scan() does), then fed to every parser;
 *  2. as one table whose Length field is forced to the input size, with no
 *     checksum gate: the parsers must be safe on any input whose length was
 *     validated, not only on tables with a good checksum;
 *  3. as a physical memory image at FUZZ_BASE with the RSDP at its start,
 *     walked by acpi_scan(), acpi_find_table() and acpi_dump_all().
 * Every buffer has the exact size of the data, so ASan flags any overread.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/acpi.h"

#define FUZZ_BASE 0x1000ull

static void parse_all(const struct acpi_sdt_header *h)
{
	/* Small arrays so the overflow paths run too. */
	struct madt_cpu cpus[4];
	struct madt_ioapic io[2];
	struct madt_info mi;
	struct mcfg_entry me[2];
	struct fadt_info fi;
	struct hpet_info hi;
	u32 n;

	madt_parse(h, &mi, cpus, ARRAY_SIZE(cpus), io, ARRAY_SIZE(io));
	madt_parse(h, &mi, NULL, 0, NULL, 0);
	mcfg_parse(h, me, ARRAY_SIZE(me), &n);
	fadt_parse(h, &fi);
	hpet_parse(h, &hi);
}

struct image {
	const u8 *p;
	size_t len;
};

static const void *image_map(void *ctx, u64 pa, u64 len)
{
	struct image *im = ctx;

	if (pa < FUZZ_BASE || len > im->len || pa - FUZZ_BASE > im->len - len)
		return NULL;
	return im->p + (pa - FUZZ_BASE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acpi_sdt_header *h;
	const struct acpi_sdt_header *found;
	struct acpi_tables t;
	struct image im;
	struct acpi_mem mem = { image_map, &im };
	u8 *buf;

	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	h = (struct acpi_sdt_header *)buf;

	/* 1: the checksum-gated path */
	if (acpi_table_check(h, size, NULL) == 0)
		parse_all(h);

	/* 2: any validated length, no checksum */
	if (size >= sizeof(*h) && size <= 0xffffffffu) {
		h->length = (u32)size;
		parse_all(h);
	}

	/* 3: a memory image */
	memcpy(buf, data, size);
	im.p = buf;
	im.len = size;
	if (acpi_scan(&mem, FUZZ_BASE, &t) == 0) {
		acpi_find_table(&mem, &t, "SSDT", 1, &found, NULL);
		acpi_dump_all(&mem, &t);
		if (t.madt)
			parse_all(t.madt);
		if (t.fadt)
			parse_all(t.fadt);
	}
	free(buf);
	return 0;
}
