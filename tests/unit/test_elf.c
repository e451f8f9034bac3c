// SPDX-License-Identifier: MIT
/*
 * Host tests for vmm/elf.c: a valid image loads; truncated files, bad
 * headers, overlapping segments and segments outside guest memory are
 * rejected with a reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vmm/elf.h"

#define MIN_GPA 0x100000ull
#define MAX_GPA 0x1000000ull

struct img {
	struct elf64_ehdr eh;
	struct elf64_phdr ph[3];
	u8 data[256];
};

static struct img make(void)
{
	struct img m;

	memset(&m, 0, sizeof(m));
	memcpy(m.eh.e_ident, "\x7f" "ELF", 4);
	m.eh.e_ident[4] = ELFCLASS64;
	m.eh.e_ident[5] = ELFDATA2LSB;
	m.eh.e_ident[6] = EV_CURRENT;
	m.eh.e_type = ET_EXEC;
	m.eh.e_machine = EM_X86_64;
	m.eh.e_version = EV_CURRENT;
	m.eh.e_entry = 0x100010;
	m.eh.e_phoff = offsetof(struct img, ph);
	m.eh.e_phentsize = sizeof(struct elf64_phdr);
	m.eh.e_phnum = 2;
	m.eh.e_ehsize = sizeof(struct elf64_ehdr);
	/* text: 128 bytes at 1 MiB */
	m.ph[0].p_type = PT_LOAD;
	m.ph[0].p_flags = PF_R | PF_X;
	m.ph[0].p_offset = offsetof(struct img, data);
	m.ph[0].p_paddr = m.ph[0].p_vaddr = 0x100000;
	m.ph[0].p_filesz = 128;
	m.ph[0].p_memsz = 128;
	/* data + bss: 64 bytes of file, 8 KiB in memory */
	m.ph[1].p_type = PT_LOAD;
	m.ph[1].p_flags = PF_R | PF_W;
	m.ph[1].p_offset = offsetof(struct img, data) + 128;
	m.ph[1].p_paddr = m.ph[1].p_vaddr = 0x101000;
	m.ph[1].p_filesz = 64;
	m.ph[1].p_memsz = 0x2000;
	for (unsigned i = 0; i < sizeof(m.data); i++)
		m.data[i] = (u8)i;
	return m;
}

static int parse(const struct img *m, size_t size, struct elf_image *out,
		 char *err)
{
	return elf_parse(m, size, MIN_GPA, MAX_GPA, out, err, 120);
}

static void expect_reject(const struct img *m, size_t size, const char *why)
{
	struct elf_image out;
	char err[120] = "";

	assert_int_equal(parse(m, size, &out, err), -1);
	if (!strstr(err, why))
		fail_msg("reason '%s' does not mention '%s'", err, why);
}

static u8 guest[MAX_GPA - MIN_GPA];

static int write_guest(void *ctx, u64 gpa, const void *src, u64 len)
{
	assert_true(gpa >= MIN_GPA && gpa + len <= MAX_GPA);
	memcpy(guest + (gpa - MIN_GPA), src, len);
	(*(int *)ctx)++;
	return 0;
}

static void test_valid(void **state)
{
	struct img m = make();
	struct elf_image out;
	char err[120] = "";
	int writes = 0;

	assert_int_equal(parse(&m, sizeof(m), &out, err), 0);
	assert_int_equal(out.nsegs, 2);
	assert_int_equal(out.entry, 0x100010);
	assert_int_equal(out.seg[1].memsz, 0x2000);
	memset(guest, 0, sizeof(guest));
	assert_int_equal(elf_load(&out, &m, write_guest, &writes), 0);
	assert_int_equal(writes, 2);
	assert_int_equal(guest[5], 5);
	assert_int_equal(guest[0x1000], 128);
	assert_int_equal(guest[0x1000 + 64], 0); /* bss untouched (zero) */
}

static void test_truncated(void **state)
{
	struct img m = make();

	expect_reject(&m, 10, "too short");
	expect_reject(&m, offsetof(struct img, ph) + 60, "past the end");
	expect_reject(&m, offsetof(struct img, data) + 100, "past the end");
	expect_reject(NULL, 0, "too short");
}

static void test_bad_header(void **state)
{
	struct img m;

	m = make(); m.eh.e_ident[0] = 0;
	expect_reject(&m, sizeof(m), "magic");
	m = make(); m.eh.e_ident[4] = 1;
	expect_reject(&m, sizeof(m), "class 1");
	m = make(); m.eh.e_ident[5] = 2;
	expect_reject(&m, sizeof(m), "little-endian");
	m = make(); m.eh.e_machine = 3;
	expect_reject(&m, sizeof(m), "machine 3");
	m = make(); m.eh.e_type = 3;
	expect_reject(&m, sizeof(m), "ET_EXEC");
	m = make(); m.eh.e_phentsize = 32;
	expect_reject(&m, sizeof(m), "program header size");
	m = make(); m.eh.e_phoff = ~0ull - 8;
	expect_reject(&m, sizeof(m), "past the end");
	m = make(); m.eh.e_phnum = 0;
	expect_reject(&m, sizeof(m), "program headers");
}

static void test_segments(void **state)
{
	struct img m;

	m = make(); m.ph[1].p_paddr = 0x100040;		/* overlaps text */
	expect_reject(&m, sizeof(m), "overlaps");
	m = make(); m.ph[0].p_paddr = 0x1000;		/* below 1 MiB */
	m.eh.e_entry = 0x1010;
	expect_reject(&m, sizeof(m), "outside guest memory");
	m = make(); m.ph[1].p_memsz = MAX_GPA;		/* runs past the end */
	expect_reject(&m, sizeof(m), "outside guest memory");
	m = make(); m.ph[1].p_paddr = ~0ull - 0x100;	/* wraps */
	expect_reject(&m, sizeof(m), "outside guest memory");
	m = make(); m.ph[0].p_filesz = 0x200;		/* filesz > memsz */
	expect_reject(&m, sizeof(m), "file size");
	m = make(); m.ph[0].p_offset = ~0ull;		/* offset wraps */
	expect_reject(&m, sizeof(m), "past the end");
	m = make(); m.eh.e_entry = 0x101000;		/* entry in data */
	expect_reject(&m, sizeof(m), "entry point");
	m = make(); m.ph[0].p_type = PT_NULL; m.ph[1].p_type = PT_NULL;
	expect_reject(&m, sizeof(m), "no loadable");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_segments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
