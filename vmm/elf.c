// SPDX-License-Identifier: MIT
/*
 * ELF64 guest image validation and loading. Every field is checked before
 * it is used, with overflow-safe arithmetic: the image comes off the ESP
 * and is untrusted.
 */
#include "vmm/elf.h"

#include "lib/format.h"
#include "vmm/image_check.h"
#ifdef HV_HOST_TEST
#include <string.h>
#else
#include "lib/string.h"
#endif

static const u8 elf_magic[4] = { 0x7f, 'E', 'L', 'F' };


static int check_header(const struct elf64_ehdr *eh, size_t size, char *err,
			size_t errlen)
{
	u64 ph_bytes, ph_end;

	if (memcmp(eh->e_ident, elf_magic, 4))
		return image_fail(err, errlen, "not an ELF file (bad magic)", 0, 0);
	if (eh->e_ident[4] != ELFCLASS64)
		return image_fail(err, errlen, "ELF class %llu, expected 2 (64-bit)",
			    eh->e_ident[4], 0);
	if (eh->e_ident[5] != ELFDATA2LSB)
		return image_fail(err, errlen, "ELF data encoding %llu, expected 1 (little-endian)",
			    eh->e_ident[5], 0);
	if (eh->e_ident[6] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return image_fail(err, errlen, "ELF version %llu, expected 1",
			    eh->e_version, 0);
	if (eh->e_type != ET_EXEC)
		return image_fail(err, errlen, "ELF type %llu, expected 2 (ET_EXEC)",
			    eh->e_type, 0);
	if (eh->e_machine != EM_X86_64)
		return image_fail(err, errlen, "ELF machine %llu, expected 62 (x86-64)",
			    eh->e_machine, 0);
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return image_fail(err, errlen, "program header size %llu, expected %llu",
			    eh->e_phentsize, sizeof(struct elf64_phdr));
	if (eh->e_phnum == 0 || eh->e_phnum > 64)
		return image_fail(err, errlen, "%llu program headers (1..64 allowed)",
			    eh->e_phnum, 0);
	ph_bytes = (u64)eh->e_phnum * sizeof(struct elf64_phdr);
	if (!add_ok(eh->e_phoff, ph_bytes, &ph_end) || ph_end > size)
		return image_fail(err, errlen, "program headers at %#llx run past the end of the file (%#llx bytes)",
			    eh->e_phoff, size);
	return 0;
}

static int check_segment(const struct elf64_phdr *ph, unsigned i, size_t size,
			 u64 gpa_min, u64 gpa_max, char *err, size_t errlen)
{
	u64 end;

	if (ph->p_filesz > ph->p_memsz)
		return image_fail(err, errlen, "segment %llu: file size %#llx > memory size",
			    i, ph->p_filesz);
	if (!add_ok(ph->p_offset, ph->p_filesz, &end) || end > size)
		return image_fail(err, errlen, "segment %llu: file bytes end at %#llx, past the end of the file",
			    i, ph->p_offset + ph->p_filesz);
	if (!add_ok(ph->p_paddr, ph->p_memsz, &end) || ph->p_paddr < gpa_min ||
	    end > gpa_max)
		return image_fail(err, errlen, "segment %llu: GPA %#llx outside guest memory",
			    i, ph->p_paddr);
	return 0;
}

static bool overlaps(const struct elf_segment *a, const struct elf_segment *b)
{
	return a->gpa < b->gpa + b->memsz && b->gpa < a->gpa + a->memsz;
}

int elf_parse(const void *buf, size_t size, u64 gpa_min, u64 gpa_max,
	      struct elf_image *img, char *err, size_t errlen)
{
	const u8 *bytes = buf;
	struct elf64_ehdr eh;
	unsigned i, j;
	bool entry_ok = false;

	memset(img, 0, sizeof(*img));
	if (!buf || size < sizeof(eh))
		return image_fail(err, errlen, "file too short for an ELF header (%llu bytes)",
			    size, 0);
	memcpy(&eh, bytes, sizeof(eh));	/* buf need not be aligned */
	if (check_header(&eh, size, err, errlen))
		return -1;

	for (i = 0; i < eh.e_phnum; i++) {
		struct elf64_phdr ph;
		struct elf_segment *s;

		memcpy(&ph, bytes + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (check_segment(&ph, i, size, gpa_min, gpa_max, err, errlen))
			return -1;
		if (img->nsegs == ELF_MAX_SEGMENTS)
			return image_fail(err, errlen, "more than %llu loadable segments",
				    ELF_MAX_SEGMENTS, 0);
		s = &img->seg[img->nsegs];
		s->gpa = ph.p_paddr;
		s->offset = ph.p_offset;
		s->filesz = ph.p_filesz;
		s->memsz = ph.p_memsz;
		s->flags = ph.p_flags;
		for (j = 0; j < img->nsegs; j++)
			if (overlaps(s, &img->seg[j]))
				return image_fail(err, errlen, "segment at GPA %#llx overlaps the one at %#llx",
					    s->gpa, img->seg[j].gpa);
		if ((s->flags & PF_X) && eh.e_entry >= s->gpa &&
		    eh.e_entry - s->gpa < s->memsz)
			entry_ok = true;
		img->nsegs++;
	}
	if (!img->nsegs)
		return image_fail(err, errlen, "no loadable segment", 0, 0);
	if (!entry_ok)
		return image_fail(err, errlen, "entry point %#llx is not in an executable segment",
			    eh.e_entry, 0);
	img->entry = eh.e_entry;
	return 0;
}

int elf_load(const struct elf_image *img, const void *buf,
	     int (*write)(void *ctx, u64 gpa, const void *src, u64 len),
	     void *ctx)
{
	const u8 *bytes = buf;
	unsigned i;
	int err;

	for (i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->seg[i];

		if (!s->filesz)
			continue;
		err = write(ctx, s->gpa, bytes + s->offset, s->filesz);
		if (err)
			return err;
	}
	return 0;
}
