/* SPDX-License-Identifier: MIT */
/*
 * Validating ELF64 loader for guest images (System V gABI, "ELF-64 Object
 * File Format" 1.5; x86-64 psABI for EM_X86_64). Pure: it reads only the
 * byte buffer it is given and writes through a callback, so it is
 * host-unit-tested (tests/unit/test_elf.c) and fuzzed (tests/fuzz/fuzz_elf.c).
 */
#ifndef VMM_ELF_H
#define VMM_ELF_H

#include "lib/types.h"

#define ELF_MAX_SEGMENTS 16

/* gABI constants. */
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define EM_X86_64 62
#define PT_NULL 0
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4

struct elf64_ehdr {
	u8 e_ident[16];
	u16 e_type, e_machine;
	u32 e_version;
	u64 e_entry, e_phoff, e_shoff;
	u32 e_flags;
	u16 e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_phdr {
	u32 p_type, p_flags;
	u64 p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

struct elf_segment {
	u64 gpa;	/* p_paddr: guests are identity-mapped */
	u64 offset;	/* in the file */
	u64 filesz;
	u64 memsz;
	u32 flags;	/* PF_* */
};

struct elf_image {
	u64 entry;
	u32 nsegs;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/*
 * Validate the image in buf[0..size) for a guest whose loadable range is
 * [gpa_min, gpa_max): class, byte order, type, machine, header sizes,
 * every PT_LOAD inside the file and inside the range, no two segments
 * overlapping, the entry point inside an executable segment. Returns 0,
 * or -1 with a one-line reason in err.
 */
int elf_parse(const void *buf, size_t size, u64 gpa_min, u64 gpa_max,
	      struct elf_image *img, char *err, size_t errlen);

/*
 * Copy every segment's file bytes with write(ctx, gpa, src, len); the
 * rest of memsz is left as it is (guest memory starts zeroed). Returns 0
 * or the first non-zero write() result.
 */
int elf_load(const struct elf_image *img, const void *buf,
	     int (*write)(void *ctx, u64 gpa, const void *src, u64 len),
	     void *ctx);

#endif
