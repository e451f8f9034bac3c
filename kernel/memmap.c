// SPDX-License-Identifier: MIT
/*
 * UEFI memory map -> struct hv_mem_region list; see memmap.h.
 *
 * Firmware maps are usually sorted and disjoint, but the spec promises
 * neither, and real firmware has shipped overlapping entries. Rather than
 * sort-then-patch, the translation sweeps the address space: the start and
 * end of every descriptor are boundaries, and between two consecutive
 * boundaries the set of covering descriptors is constant, so each such
 * elementary interval gets exactly one type (the most restrictive of its
 * covers). Consecutive intervals of the same type are merged as they are
 * emitted. That gives sorting, merging and overlap resolution in one loop,
 * with no scratch memory (this runs after ExitBootServices, before any
 * allocator exists), at O(n^2) for n descriptors: a few hundred at most.
 */
#define LOG_SUBSYS "memmap"
#include "kernel/memmap.h"
#include "kernel/log.h"
#include "lib/string.h"

/* x86-64 architectural physical-address limit; nothing real lies above. */
#define MEMMAP_PA_LIMIT (1ull << 52)

/* OEM and OS loader ranges of EFI_MEMORY_TYPE (UEFI 2.10 section 7.2.1). */
#define EFI_MT_OEM_FIRST 0x70000000u
#define EFI_MT_OS_FIRST 0x80000000u

static const u8 efi_to_hv[EFI_MT_COUNT] = {
	[EFI_MT_RESERVED] = HV_MEM_RESERVED,
	[EFI_MT_LOADER_CODE] = HV_MEM_LOADED,
	[EFI_MT_LOADER_DATA] = HV_MEM_LOADED,
	[EFI_MT_BOOT_SERVICES_CODE] = HV_MEM_BOOT_SERVICES,
	[EFI_MT_BOOT_SERVICES_DATA] = HV_MEM_BOOT_SERVICES,
	[EFI_MT_RUNTIME_SERVICES_CODE] = HV_MEM_RUNTIME,
	[EFI_MT_RUNTIME_SERVICES_DATA] = HV_MEM_RUNTIME,
	[EFI_MT_CONVENTIONAL] = HV_MEM_USABLE,
	[EFI_MT_UNUSABLE] = HV_MEM_UNUSABLE,
	[EFI_MT_ACPI_RECLAIM] = HV_MEM_ACPI_RECLAIM,
	[EFI_MT_ACPI_NVS] = HV_MEM_ACPI_NVS,
	[EFI_MT_MMIO] = HV_MEM_MMIO,
	[EFI_MT_MMIO_PORT_SPACE] = HV_MEM_MMIO,
	[EFI_MT_PAL_CODE] = HV_MEM_RESERVED,
	[EFI_MT_PERSISTENT] = HV_MEM_PERSISTENT,
	/* Touching unaccepted memory faults in a TDX/SNP guest; we can't
	 * accept it, so it is simply not ours. */
	[EFI_MT_UNACCEPTED] = HV_MEM_RESERVED,
};

/*
 * Who wins an overlap: ranked by the harm of getting it wrong. Handing out
 * memory someone else uses is worse than losing a few pages, so anything
 * beats USABLE; ACPI NVS, MMIO, firmware reservations and bad RAM must
 * never be touched at all.
 */
static const u8 hv_rank[] = {
	[HV_MEM_USABLE] = 0,
	[HV_MEM_BOOT_SERVICES] = 1,
	[HV_MEM_LOADED] = 2,
	[HV_MEM_ACPI_RECLAIM] = 3,
	[HV_MEM_PERSISTENT] = 4,
	[HV_MEM_RUNTIME] = 5,
	[HV_MEM_ACPI_NVS] = 6,
	[HV_MEM_MMIO] = 7,
	[HV_MEM_RESERVED] = 8,
	[HV_MEM_UNUSABLE] = 9,
};

static const char *const hv_names[] = {
	[HV_MEM_USABLE] = "usable",
	[HV_MEM_BOOT_SERVICES] = "boot-services",
	[HV_MEM_LOADED] = "loaded",
	[HV_MEM_ACPI_RECLAIM] = "acpi-reclaim",
	[HV_MEM_ACPI_NVS] = "acpi-nvs",
	[HV_MEM_RUNTIME] = "runtime",
	[HV_MEM_MMIO] = "mmio",
	[HV_MEM_RESERVED] = "reserved",
	[HV_MEM_UNUSABLE] = "unusable",
	[HV_MEM_PERSISTENT] = "persistent",
};

static const char *const efi_names[EFI_MT_COUNT] = {
	[EFI_MT_RESERVED] = "Reserved",
	[EFI_MT_LOADER_CODE] = "LoaderCode",
	[EFI_MT_LOADER_DATA] = "LoaderData",
	[EFI_MT_BOOT_SERVICES_CODE] = "BootServicesCode",
	[EFI_MT_BOOT_SERVICES_DATA] = "BootServicesData",
	[EFI_MT_RUNTIME_SERVICES_CODE] = "RuntimeServicesCode",
	[EFI_MT_RUNTIME_SERVICES_DATA] = "RuntimeServicesData",
	[EFI_MT_CONVENTIONAL] = "Conventional",
	[EFI_MT_UNUSABLE] = "Unusable",
	[EFI_MT_ACPI_RECLAIM] = "ACPIReclaim",
	[EFI_MT_ACPI_NVS] = "ACPINVS",
	[EFI_MT_MMIO] = "MMIO",
	[EFI_MT_MMIO_PORT_SPACE] = "MMIOPortSpace",
	[EFI_MT_PAL_CODE] = "PalCode",
	[EFI_MT_PERSISTENT] = "Persistent",
	[EFI_MT_UNACCEPTED] = "Unaccepted",
};

u32 memmap_hv_type(u32 efi_type)
{
	if (efi_type < EFI_MT_COUNT)
		return efi_to_hv[efi_type];
	return HV_MEM_RESERVED;	/* OEM, OS or future types: not ours */
}

const char *hv_mem_type_name(u32 type)
{
	if (type < ARRAY_SIZE(hv_names) && hv_names[type])
		return hv_names[type];
	return "unknown";
}

const char *memmap_efi_type_name(u32 efi_type)
{
	if (efi_type < EFI_MT_COUNT)
		return efi_names[efi_type];
	if (efi_type >= EFI_MT_OS_FIRST)
		return "OS";
	if (efi_type >= EFI_MT_OEM_FIRST)
		return "OEM";
	return "unknown";
}

/* One descriptor as an address range, after the fix-ups of desc_span(). */
struct span {
	u64 start, end;		/* [start, end), page aligned */
	u32 hv, efi;
};

/* Memory the allocator may hand out: a partial page there is not ours. */
static bool hv_allocatable(u32 hv)
{
	return hv == HV_MEM_USABLE || hv == HV_MEM_BOOT_SERVICES;
}

enum span_fixup {
	SPAN_OK = 0,
	SPAN_UNALIGNED = 1,
	SPAN_CLIPPED = 2,
};

/*
 * Descriptor i as a span. Returns false for descriptors that cover no
 * page; *fix says what had to be repaired, for the report pass.
 */
static bool desc_span(const void *map, u64 desc_size, u64 i, struct span *sp,
		      unsigned *fix)
{
	struct efi_mem_desc d;
	u64 start, end;

	/* The stride need not keep the fields aligned: copy it out. */
	memcpy(&d, (const u8 *)map + i * desc_size, sizeof(d));
	sp->efi = d.type;
	sp->hv = memmap_hv_type(d.type);
	*fix = SPAN_OK;
	start = d.phys_start;
	if (!d.num_pages || start >= MEMMAP_PA_LIMIT)
		return false;
	if (d.num_pages > (MEMMAP_PA_LIMIT - start) >> PAGE_SHIFT) {
		end = MEMMAP_PA_LIMIT;
		*fix |= SPAN_CLIPPED;
	} else {
		end = start + (d.num_pages << PAGE_SHIFT);
	}
	if (!IS_ALIGNED(start, PAGE_SIZE)) {
		*fix |= SPAN_UNALIGNED;
		if (hv_allocatable(sp->hv)) {
			start = ALIGN_UP(start, PAGE_SIZE);
			end = ALIGN_DOWN(end, PAGE_SIZE);
		} else {
			start = ALIGN_DOWN(start, PAGE_SIZE);
			end = MIN(ALIGN_UP(end, PAGE_SIZE), MEMMAP_PA_LIMIT);
		}
	}
	sp->start = start;
	sp->end = end;
	return start < end;
}

/* Say once per descriptor what was odd about it. */
static void report_descs(const void *map, u64 ndesc, u64 desc_size)
{
	struct efi_mem_desc d;
	struct span sp;
	unsigned fix;
	u64 i;

	for (i = 0; i < ndesc; i++) {
		bool ok = desc_span(map, desc_size, i, &sp, &fix);

		memcpy(&d, (const u8 *)map + i * desc_size, sizeof(d));
		if (d.type == EFI_MT_UNACCEPTED && ok)
			pr_warn("unaccepted memory %#llx-%#llx treated as reserved\n",
				(unsigned long long)sp.start,
				(unsigned long long)sp.end - 1);
		else if (d.type >= EFI_MT_COUNT && ok)
			pr_warn("%s memory type %#x at %#llx-%#llx treated as reserved\n",
				memmap_efi_type_name(d.type), d.type,
				(unsigned long long)sp.start,
				(unsigned long long)sp.end - 1);
		if ((fix & SPAN_UNALIGNED) && ok)
			pr_warn("descriptor %llu (%s) starts at unaligned %#llx; using %#llx-%#llx\n",
				(unsigned long long)i,
				memmap_efi_type_name(d.type),
				(unsigned long long)d.phys_start,
				(unsigned long long)sp.start,
				(unsigned long long)sp.end - 1);
		else if (fix & SPAN_UNALIGNED)
			pr_warn("descriptor %llu (%s) starts at unaligned %#llx and holds no whole page; ignored\n",
				(unsigned long long)i,
				memmap_efi_type_name(d.type),
				(unsigned long long)d.phys_start);
		if (fix & SPAN_CLIPPED)
			pr_warn("descriptor %llu (%s) at %#llx: %llu pages reach past 2^52; clipped\n",
				(unsigned long long)i,
				memmap_efi_type_name(d.type),
				(unsigned long long)d.phys_start,
				(unsigned long long)d.num_pages);
		if (!ok && d.num_pages && d.phys_start >= MEMMAP_PA_LIMIT)
			pr_warn("descriptor %llu (%s) at %#llx is above 2^52; ignored\n",
				(unsigned long long)i,
				memmap_efi_type_name(d.type),
				(unsigned long long)d.phys_start);
	}
}

/* Builds the output one elementary interval at a time. */
struct emitter {
	struct hv_mem_region *out;
	u32 max_out;
	u32 count;	/* regions finished, written or not */
	bool open;	/* cur holds a region still growing */
	struct span cur;
};

static void emit_flush(struct emitter *em)
{
	struct hv_mem_region *r;

	if (!em->open)
		return;
	if (em->count < em->max_out) {
		r = &em->out[em->count];
		r->base = em->cur.start;
		r->pages = (em->cur.end - em->cur.start) >> PAGE_SHIFT;
		r->type = em->cur.hv;
		r->efi_type = em->cur.efi;
	}
	em->count++;
	em->open = false;
}

static void emit(struct emitter *em, u64 start, u64 end, u32 hv, u32 efi)
{
	if (em->open && em->cur.end == start && em->cur.hv == hv &&
	    em->cur.efi == efi) {
		em->cur.end = end;
		return;
	}
	emit_flush(em);
	em->cur = (struct span){ .start = start, .end = end, .hv = hv,
				 .efi = efi };
	em->open = true;
}

/* The smallest boundary above x, or 0 if there is none. */
static u64 next_boundary(const void *map, u64 ndesc, u64 desc_size, u64 x)
{
	struct span sp;
	unsigned fix;
	u64 i, next = 0;

	for (i = 0; i < ndesc; i++) {
		if (!desc_span(map, desc_size, i, &sp, &fix))
			continue;
		if (sp.start > x && (!next || sp.start < next))
			next = sp.start;
		if (sp.end > x && (!next || sp.end < next))
			next = sp.end;
	}
	return next;
}

/*
 * Give [x, next) the type of its most restrictive cover (the first in the
 * map among equals), and report if there was more than one.
 */
static void sweep_interval(const void *map, u64 ndesc, u64 desc_size,
			   struct emitter *em, u64 x, u64 next)
{
	struct span sp, best = { 0 }, other = { 0 };
	unsigned fix, covers = 0;
	u64 i;

	for (i = 0; i < ndesc; i++) {
		if (!desc_span(map, desc_size, i, &sp, &fix))
			continue;
		if (sp.start > x || sp.end <= x)
			continue;
		if (!covers++) {
			best = sp;
		} else if (hv_rank[sp.hv] > hv_rank[best.hv]) {
			other = best;
			best = sp;
		} else {
			other = sp;
		}
	}
	if (!covers)
		return;		/* a hole in the map */
	if (covers > 1)
		pr_warn("overlap %#llx-%#llx: %s (%s) and %s (%s)%s; keeping %s\n",
			(unsigned long long)x, (unsigned long long)next - 1,
			memmap_efi_type_name(best.efi),
			hv_mem_type_name(best.hv),
			memmap_efi_type_name(other.efi),
			hv_mem_type_name(other.hv),
			covers > 2 ? " and more" : "",
			hv_mem_type_name(best.hv));
	emit(em, x, next, best.hv, best.efi);
}

u32 memmap_translate(const void *efi_map, u64 map_size, u64 desc_size,
		     struct hv_mem_region *out, u32 max_out, u32 *needed)
{
	struct emitter em = { .out = out, .max_out = max_out };
	u64 ndesc, x, next;

	if (needed)
		*needed = 0;
	if (desc_size < sizeof(struct efi_mem_desc)) {
		pr_err("descriptor size %llu is below the 40 bytes of UEFI 2.10\n",
		       (unsigned long long)desc_size);
		return 0;
	}
	ndesc = map_size / desc_size;
	if (map_size % desc_size)
		pr_warn("map size %llu is not a multiple of the descriptor size %llu\n",
			(unsigned long long)map_size,
			(unsigned long long)desc_size);
	report_descs(efi_map, ndesc, desc_size);

	/* Every boundary is above 0, so [0, first) is the first interval. */
	for (x = 0;; x = next) {
		next = next_boundary(efi_map, ndesc, desc_size, x);
		if (!next)
			break;
		sweep_interval(efi_map, ndesc, desc_size, &em, x, next);
	}
	emit_flush(&em);

	if (needed)
		*needed = em.count;
	if (em.count > max_out) {
		pr_err("memory map needs %u regions, room for %u\n", em.count,
		       max_out);
		return 0;
	}
	return em.count;
}

u64 memmap_usable_top(const struct hv_mem_region *r, u32 n)
{
	u64 top = 0, end;
	u32 i;

	for (i = 0; i < n; i++) {
		if (!hv_allocatable(r[i].type))
			continue;
		end = r[i].base + r[i].pages * PAGE_SIZE;
		top = MAX(top, end);
	}
	return top;
}
