// SPDX-License-Identifier: MIT
/* Host tests for kernel/memmap.c: UEFI memory map -> struct hv_mem_region. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/memmap.h"
#include "tests/unit/log_stub.h"

/* EFI_MEMORY_UC | EFI_MEMORY_WC | EFI_MEMORY_WT | EFI_MEMORY_WB */
#define ATTR_RAM 0xfull
#define ATTR_MMIO (0x1ull | (1ull << 63))	/* UC | RUNTIME */

struct d {
	u32 type;
	u64 start;
	u64 pages;
};

/* Lay descriptors out stride bytes apart, padding filled with junk. */
static void *build(const struct d *d, unsigned n, u64 stride)
{
	u8 *buf = malloc(n * stride + 1);
	unsigned i;

	assert_non_null(buf);
	memset(buf, 0xa5, n * stride + 1);
	for (i = 0; i < n; i++) {
		struct efi_mem_desc e = {
			.type = d[i].type,
			.pad = 0xdeadbeef,
			.phys_start = d[i].start,
			.virt_start = 0x5a5a5a5a5a5a0000ull,
			.num_pages = d[i].pages,
			.attribute = d[i].type == EFI_MT_MMIO ? ATTR_MMIO :
								ATTR_RAM,
		};
		memcpy(buf + i * stride, &e, sizeof(e));
	}
	return buf;
}

static void expect_region(const struct hv_mem_region *r, u64 base, u64 end,
			  u32 type, u32 efi_type)
{
	assert_int_equal(r->base, base);
	assert_int_equal(r->pages, (end - base) / 4096);
	assert_int_equal(r->type, type);
	assert_int_equal(r->efi_type, efi_type);
}

static int reset_log(void **state)
{
	log_stub_reset();
	return 0;
}

/*
 * What OVMF hands over on q35 with 1 GiB of RAM (the shape of a real
 * map, compressed): low memory, ACPI NVS at 8 MiB, the loader and runtime
 * pieces near the top of RAM, PCIe MMCONFIG and the flash as reserved and
 * MMIO, and the AMD HyperTransport hole. Given out of order, with two
 * pairs split into adjacent halves that must merge again.
 */
static const struct d ovmf[] = {
	{ EFI_MT_RUNTIME_SERVICES_CODE, 0x3f340000, 0x100 },
	{ EFI_MT_CONVENTIONAL, 0x400000, 0x400 },		/* C2 */
	{ EFI_MT_MMIO, 0xffc00000, 0x400 },
	{ EFI_MT_BOOT_SERVICES_CODE, 0, 1 },
	{ EFI_MT_ACPI_NVS, 0x810000, 0xf0 },
	{ EFI_MT_CONVENTIONAL, 0x1000000, 0x3d000 },
	{ EFI_MT_BOOT_SERVICES_DATA, 0x3fc00000, 0x400 },	/* Q2 */
	{ EFI_MT_LOADER_DATA, 0x3e040000, 0x200 },
	{ EFI_MT_RESERVED, 0xfd00000000ull, 0x300000 },
	{ EFI_MT_CONVENTIONAL, 0x1000, 0x9f },
	{ EFI_MT_ACPI_NVS, 0x800000, 8 },
	{ EFI_MT_BOOT_SERVICES_DATA, 0x3e240000, 0x1000 },
	{ EFI_MT_ACPI_RECLAIM, 0x3faee000, 0x12 },
	{ EFI_MT_CONVENTIONAL, 0x808000, 8 },
	{ EFI_MT_BOOT_SERVICES_DATA, 0x900000, 0x700 },
	{ EFI_MT_RUNTIME_SERVICES_DATA, 0x3f240000, 0x100 },
	{ EFI_MT_RESERVED, 0xb0000000, 0x10000 },
	{ EFI_MT_BOOT_SERVICES_CODE, 0x3f440000, 0x6ae },
	{ EFI_MT_CONVENTIONAL, 0x100000, 0x300 },		/* C1 */
	{ EFI_MT_ACPI_NVS, 0x3fb00000, 0x80 },
	{ EFI_MT_LOADER_CODE, 0x3e000000, 0x40 },
	{ EFI_MT_BOOT_SERVICES_DATA, 0x3fb80000, 0x80 },	/* Q1 */
};

static void check_ovmf(const struct hv_mem_region *r)
{
	expect_region(&r[0], 0, 0x1000, HV_MEM_BOOT_SERVICES,
		      EFI_MT_BOOT_SERVICES_CODE);
	expect_region(&r[1], 0x1000, 0xa0000, HV_MEM_USABLE,
		      EFI_MT_CONVENTIONAL);
	expect_region(&r[2], 0x100000, 0x800000, HV_MEM_USABLE,
		      EFI_MT_CONVENTIONAL);
	expect_region(&r[3], 0x800000, 0x808000, HV_MEM_ACPI_NVS,
		      EFI_MT_ACPI_NVS);
	expect_region(&r[4], 0x808000, 0x810000, HV_MEM_USABLE,
		      EFI_MT_CONVENTIONAL);
	expect_region(&r[5], 0x810000, 0x900000, HV_MEM_ACPI_NVS,
		      EFI_MT_ACPI_NVS);
	expect_region(&r[6], 0x900000, 0x1000000, HV_MEM_BOOT_SERVICES,
		      EFI_MT_BOOT_SERVICES_DATA);
	expect_region(&r[7], 0x1000000, 0x3e000000, HV_MEM_USABLE,
		      EFI_MT_CONVENTIONAL);
	/* Same hv type, different EFI types: not merged. */
	expect_region(&r[8], 0x3e000000, 0x3e040000, HV_MEM_LOADED,
		      EFI_MT_LOADER_CODE);
	expect_region(&r[9], 0x3e040000, 0x3e240000, HV_MEM_LOADED,
		      EFI_MT_LOADER_DATA);
	expect_region(&r[10], 0x3e240000, 0x3f240000, HV_MEM_BOOT_SERVICES,
		      EFI_MT_BOOT_SERVICES_DATA);
	expect_region(&r[11], 0x3f240000, 0x3f340000, HV_MEM_RUNTIME,
		      EFI_MT_RUNTIME_SERVICES_DATA);
	expect_region(&r[12], 0x3f340000, 0x3f440000, HV_MEM_RUNTIME,
		      EFI_MT_RUNTIME_SERVICES_CODE);
	expect_region(&r[13], 0x3f440000, 0x3faee000, HV_MEM_BOOT_SERVICES,
		      EFI_MT_BOOT_SERVICES_CODE);
	expect_region(&r[14], 0x3faee000, 0x3fb00000, HV_MEM_ACPI_RECLAIM,
		      EFI_MT_ACPI_RECLAIM);
	expect_region(&r[15], 0x3fb00000, 0x3fb80000, HV_MEM_ACPI_NVS,
		      EFI_MT_ACPI_NVS);
	expect_region(&r[16], 0x3fb80000, 0x40000000, HV_MEM_BOOT_SERVICES,
		      EFI_MT_BOOT_SERVICES_DATA);
	expect_region(&r[17], 0xb0000000, 0xc0000000, HV_MEM_RESERVED,
		      EFI_MT_RESERVED);
	expect_region(&r[18], 0xffc00000, 0x100000000ull, HV_MEM_MMIO,
		      EFI_MT_MMIO);
	expect_region(&r[19], 0xfd00000000ull, 0x10000000000ull,
		      HV_MEM_RESERVED, EFI_MT_RESERVED);
}

static void test_descriptor_layout(void **state)
{
	assert_int_equal(sizeof(struct efi_mem_desc), 40);
	assert_int_equal(offsetof(struct efi_mem_desc, type), 0);
	assert_int_equal(offsetof(struct efi_mem_desc, phys_start), 8);
	assert_int_equal(offsetof(struct efi_mem_desc, virt_start), 16);
	assert_int_equal(offsetof(struct efi_mem_desc, num_pages), 24);
	assert_int_equal(offsetof(struct efi_mem_desc, attribute), 32);
	assert_int_equal(EFI_MT_CONVENTIONAL, 7);
	assert_int_equal(EFI_MT_PAL_CODE, 13);
	assert_int_equal(EFI_MT_UNACCEPTED, 15);
}

static void test_type_mapping(void **state)
{
	static const u32 want[EFI_MT_COUNT] = {
		HV_MEM_RESERVED, HV_MEM_LOADED, HV_MEM_LOADED,
		HV_MEM_BOOT_SERVICES, HV_MEM_BOOT_SERVICES, HV_MEM_RUNTIME,
		HV_MEM_RUNTIME, HV_MEM_USABLE, HV_MEM_UNUSABLE,
		HV_MEM_ACPI_RECLAIM, HV_MEM_ACPI_NVS, HV_MEM_MMIO, HV_MEM_MMIO,
		HV_MEM_RESERVED, HV_MEM_PERSISTENT, HV_MEM_RESERVED,
	};
	u32 t;

	for (t = 0; t < EFI_MT_COUNT; t++)
		assert_int_equal(memmap_hv_type(t), want[t]);
	assert_int_equal(memmap_hv_type(16), HV_MEM_RESERVED);
	assert_int_equal(memmap_hv_type(0x70000001), HV_MEM_RESERVED);
	assert_int_equal(memmap_hv_type(0x80000000), HV_MEM_RESERVED);

	assert_string_equal(hv_mem_type_name(HV_MEM_USABLE), "usable");
	assert_string_equal(hv_mem_type_name(HV_MEM_BOOT_SERVICES),
			    "boot-services");
	assert_string_equal(hv_mem_type_name(HV_MEM_PERSISTENT), "persistent");
	assert_string_equal(hv_mem_type_name(HV_MEM_ACPI_NVS), "acpi-nvs");
	assert_string_equal(hv_mem_type_name(0), "unknown");
	assert_string_equal(hv_mem_type_name(99), "unknown");
	for (t = HV_MEM_USABLE; t <= HV_MEM_PERSISTENT; t++)
		assert_string_not_equal(hv_mem_type_name(t), "unknown");

	assert_string_equal(memmap_efi_type_name(EFI_MT_CONVENTIONAL),
			    "Conventional");
	assert_string_equal(memmap_efi_type_name(EFI_MT_UNACCEPTED),
			    "Unaccepted");
	assert_string_equal(memmap_efi_type_name(16), "unknown");
	assert_string_equal(memmap_efi_type_name(0x70000000), "OEM");
	assert_string_equal(memmap_efi_type_name(0x80000001), "OS");
}

static void test_ovmf_map(void **state)
{
	struct hv_mem_region r[32];
	void *map = build(ovmf, ARRAY_SIZE(ovmf), 48);
	u32 needed = 0;

	memset(r, 0, sizeof(r));
	assert_int_equal(memmap_translate(map, ARRAY_SIZE(ovmf) * 48, 48, r,
					  32, &needed), 20);
	assert_int_equal(needed, 20);
	check_ovmf(r);
	/* Nothing in a sane map is worth a warning. */
	assert_int_equal(log_stub_count(), 0);
	assert_int_equal(memmap_usable_top(r, 20), 0x40000000);
	/* Exactly the room it needs is enough. */
	memset(r, 0, sizeof(r));
	assert_int_equal(memmap_translate(map, ARRAY_SIZE(ovmf) * 48, 48, r,
					  20, NULL), 20);
	check_ovmf(r);
	free(map);
}

static void test_stride(void **state)
{
	static const u64 strides[] = { 40, 44, 56, 96 };
	struct hv_mem_region r[32];
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(strides); i++) {
		void *map = build(ovmf, ARRAY_SIZE(ovmf), strides[i]);
		u64 size = ARRAY_SIZE(ovmf) * strides[i];

		memset(r, 0, sizeof(r));
		assert_int_equal(memmap_translate(map, size, strides[i], r, 32,
						  NULL), 20);
		check_ovmf(r);
		free(map);
	}
	assert_int_equal(log_stub_count(), 0);
}

static void test_too_small(void **state)
{
	struct hv_mem_region r[20];
	void *map = build(ovmf, ARRAY_SIZE(ovmf), 48);
	u32 needed = 0;

	memset(r, 0, sizeof(r));
	assert_int_equal(memmap_translate(map, ARRAY_SIZE(ovmf) * 48, 48, r,
					  19, &needed), 0);
	assert_int_equal(needed, 20);
	assert_true(log_stub_contains("needs 20 regions, room for 19"));
	/* Nothing written past max_out. */
	assert_int_equal(r[19].pages, 0);

	needed = 0;
	assert_int_equal(memmap_translate(map, ARRAY_SIZE(ovmf) * 48, 48, NULL,
					  0, &needed), 0);
	assert_int_equal(needed, 20);
	free(map);
}

static void test_empty_and_bad_size(void **state)
{
	struct hv_mem_region r[4];
	static const struct d one[] = { { EFI_MT_CONVENTIONAL, 0x1000, 1 } };
	void *map = build(one, 1, 48);
	u32 needed = 77;

	assert_int_equal(memmap_translate(map, 0, 48, r, 4, &needed), 0);
	assert_int_equal(needed, 0);
	assert_int_equal(log_stub_count(), 0);

	needed = 77;
	assert_int_equal(memmap_translate(map, 48, 32, r, 4, &needed), 0);
	assert_int_equal(needed, 0);
	assert_true(log_stub_contains("descriptor size 32"));

	/* A trailing partial descriptor is reported and ignored. */
	log_stub_reset();
	assert_int_equal(memmap_translate(map, 48 + 20, 48, r, 4, &needed), 1);
	assert_true(log_stub_contains("not a multiple"));
	expect_region(&r[0], 0x1000, 0x2000, HV_MEM_USABLE,
		      EFI_MT_CONVENTIONAL);

	/* Zero-page descriptors vanish. */
	free(map);
	{
		static const struct d z[] = {
			{ EFI_MT_RESERVED, 0x5000, 0 },
			{ EFI_MT_CONVENTIONAL, 0x1000, 1 },
		};

		map = build(z, 2, 40);
		assert_int_equal(memmap_translate(map, 80, 40, r, 4, &needed),
				 1);
		expect_region(&r[0], 0x1000, 0x2000, HV_MEM_USABLE,
			      EFI_MT_CONVENTIONAL);
	}
	free(map);
}

static void test_merge_rules(void **state)
{
	static const struct d m[] = {
		/* same hv and efi type, adjacent, three pieces: one region */
		{ EFI_MT_CONVENTIONAL, 0x3000, 2 },
		{ EFI_MT_CONVENTIONAL, 0x1000, 2 },
		{ EFI_MT_CONVENTIONAL, 0x5000, 1 },
		/* same type after a one-page hole: separate */
		{ EFI_MT_CONVENTIONAL, 0x7000, 1 },
		/* same hv type, other EFI type: separate */
		{ EFI_MT_BOOT_SERVICES_CODE, 0x8000, 1 },
		{ EFI_MT_BOOT_SERVICES_DATA, 0x9000, 1 },
		{ EFI_MT_BOOT_SERVICES_DATA, 0xa000, 1 },
		/* MMIO and MMIO port space are both mmio, still separate */
		{ EFI_MT_MMIO, 0xb000, 1 },
		{ EFI_MT_MMIO_PORT_SPACE, 0xc000, 1 },
	};
	struct hv_mem_region r[16];
	void *map = build(m, ARRAY_SIZE(m), 48);

	assert_int_equal(memmap_translate(map, sizeof(m) / sizeof(m[0]) * 48,
					  48, r, 16, NULL), 6);
	expect_region(&r[0], 0x1000, 0x6000, HV_MEM_USABLE,
		      EFI_MT_CONVENTIONAL);
	expect_region(&r[1], 0x7000, 0x8000, HV_MEM_USABLE,
		      EFI_MT_CONVENTIONAL);
	expect_region(&r[2], 0x8000, 0x9000, HV_MEM_BOOT_SERVICES,
		      EFI_MT_BOOT_SERVICES_CODE);
	expect_region(&r[3], 0x9000, 0xb000, HV_MEM_BOOT_SERVICES,
		      EFI_MT_BOOT_SERVICES_DATA);
	expect_region(&r[4], 0xb000, 0xc000, HV_MEM_MMIO, EFI_MT_MMIO);
	expect_region(&r[5], 0xc000, 0xd000, HV_MEM_MMIO,
		      EFI_MT_MMIO_PORT_SPACE);
	assert_int_equal(log_stub_count(), 0);
	free(map);
}

static void test_overlaps(void **state)
{
	static const struct d m[] = {
		/* reserved hole punched into conventional memory */
		{ EFI_MT_CONVENTIONAL, 0x100000, 0x100 },
		{ EFI_MT_RESERVED, 0x180000, 0x10 },
		/* ACPI NVS overlapping the tail of boot-services data */
		{ EFI_MT_ACPI_NVS, 0x280000, 0x20 },
		{ EFI_MT_BOOT_SERVICES_DATA, 0x270000, 0x20 },
		/* exact duplicate */
		{ EFI_MT_LOADER_DATA, 0x400000, 4 },
		{ EFI_MT_LOADER_DATA, 0x400000, 4 },
		/* tie in hv type: the first in the map wins */
		{ EFI_MT_RUNTIME_SERVICES_CODE, 0x500000, 2 },
		{ EFI_MT_RUNTIME_SERVICES_DATA, 0x501000, 2 },
	};
	struct hv_mem_region r[16];
	void *map = build(m, ARRAY_SIZE(m), 48);
	u32 needed;

	assert_int_equal(memmap_translate(map, ARRAY_SIZE(m) * 48, 48, r, 16,
					  &needed), 8);
	expect_region(&r[0], 0x100000, 0x180000, HV_MEM_USABLE,
		      EFI_MT_CONVENTIONAL);
	expect_region(&r[1], 0x180000, 0x190000, HV_MEM_RESERVED,
		      EFI_MT_RESERVED);
	expect_region(&r[2], 0x190000, 0x200000, HV_MEM_USABLE,
		      EFI_MT_CONVENTIONAL);
	expect_region(&r[3], 0x270000, 0x280000, HV_MEM_BOOT_SERVICES,
		      EFI_MT_BOOT_SERVICES_DATA);
	expect_region(&r[4], 0x280000, 0x2a0000, HV_MEM_ACPI_NVS,
		      EFI_MT_ACPI_NVS);
	expect_region(&r[5], 0x400000, 0x404000, HV_MEM_LOADED,
		      EFI_MT_LOADER_DATA);
	expect_region(&r[6], 0x500000, 0x502000, HV_MEM_RUNTIME,
		      EFI_MT_RUNTIME_SERVICES_CODE);
	expect_region(&r[7], 0x502000, 0x503000, HV_MEM_RUNTIME,
		      EFI_MT_RUNTIME_SERVICES_DATA);
	assert_int_equal(needed, 8);
	assert_true(log_stub_contains(
		"1 [memmap] overlap 0x180000-0x18ffff: Reserved (reserved) and Conventional (usable); keeping reserved"));
	assert_true(log_stub_contains(
		"overlap 0x280000-0x28ffff: ACPINVS (acpi-nvs) and BootServicesData (boot-services); keeping acpi-nvs"));
	assert_true(log_stub_contains("overlap 0x400000-0x403fff: LoaderData"));
	assert_true(log_stub_contains(
		"overlap 0x501000-0x501fff: RuntimeServicesCode (runtime) and RuntimeServicesData (runtime); keeping runtime"));
	assert_int_equal(log_stub_count(), 4);
	free(map);
}

static void test_overlap_region_count_bound(void **state)
{
	/* n nested descriptors: at most 2n - 1 regions. */
	static const struct d m[] = {
		{ EFI_MT_CONVENTIONAL, 0x0000, 16 },
		{ EFI_MT_BOOT_SERVICES_DATA, 0x1000, 14 },
		{ EFI_MT_LOADER_DATA, 0x2000, 12 },
		{ EFI_MT_ACPI_NVS, 0x3000, 10 },
	};
	struct hv_mem_region r[8];
	void *map = build(m, ARRAY_SIZE(m), 48);
	static const u32 types[] = {
		HV_MEM_USABLE, HV_MEM_BOOT_SERVICES, HV_MEM_LOADED,
		HV_MEM_ACPI_NVS, HV_MEM_LOADED, HV_MEM_BOOT_SERVICES,
		HV_MEM_USABLE,
	};
	static const u64 bounds[] = {
		0, 0x1000, 0x2000, 0x3000, 0xd000, 0xe000, 0xf000, 0x10000,
	};
	unsigned i;

	assert_int_equal(memmap_translate(map, ARRAY_SIZE(m) * 48, 48, r, 7,
					  NULL), 7);
	for (i = 0; i < 7; i++) {
		assert_int_equal(r[i].base, bounds[i]);
		assert_int_equal(r[i].pages, (bounds[i + 1] - bounds[i]) / 4096);
		assert_int_equal(r[i].type, types[i]);
	}
	free(map);
}

static void test_unaccepted_unknown(void **state)
{
	static const struct d m[] = {
		{ EFI_MT_UNACCEPTED, 0x100000000ull, 0x100 },
		{ 0x80000005, 0x2000, 1 },
		{ 0x7000000a, 0x3000, 1 },
		{ 42, 0x4000, 1 },
		{ EFI_MT_PERSISTENT, 0x200000000ull, 0x10 },
		{ EFI_MT_UNUSABLE, 0x5000, 1 },
		{ EFI_MT_PAL_CODE, 0x6000, 1 },
	};
	struct hv_mem_region r[16];
	void *map = build(m, ARRAY_SIZE(m), 48);

	assert_int_equal(memmap_translate(map, ARRAY_SIZE(m) * 48, 48, r, 16,
					  NULL), 7);
	expect_region(&r[0], 0x2000, 0x3000, HV_MEM_RESERVED, 0x80000005);
	expect_region(&r[1], 0x3000, 0x4000, HV_MEM_RESERVED, 0x7000000a);
	expect_region(&r[2], 0x4000, 0x5000, HV_MEM_RESERVED, 42);
	expect_region(&r[3], 0x5000, 0x6000, HV_MEM_UNUSABLE, EFI_MT_UNUSABLE);
	expect_region(&r[4], 0x6000, 0x7000, HV_MEM_RESERVED, EFI_MT_PAL_CODE);
	expect_region(&r[5], 0x100000000ull, 0x100100000ull, HV_MEM_RESERVED,
		      EFI_MT_UNACCEPTED);
	expect_region(&r[6], 0x200000000ull, 0x200010000ull,
		      HV_MEM_PERSISTENT, EFI_MT_PERSISTENT);
	assert_true(log_stub_contains(
		"unaccepted memory 0x100000000-0x1000fffff treated as reserved"));
	assert_true(log_stub_contains("OS memory type 0x80000005 at 0x2000-0x2fff"));
	assert_true(log_stub_contains("OEM memory type 0x7000000a"));
	assert_true(log_stub_contains("unknown memory type 0x2a"));
	assert_int_equal(log_stub_count(), 4);
	assert_int_equal(memmap_usable_top(r, 7), 0);
	free(map);
}

static void test_unaligned_and_clipped(void **state)
{
	static const struct d m[] = {
		/* usable shrinks inward: [0x1800, 0x3800) -> [0x2000, 0x3000) */
		{ EFI_MT_CONVENTIONAL, 0x1800, 2 },
		/* reserved grows outward: [0x5800, 0x7800) -> [0x5000, 0x8000) */
		{ EFI_MT_RESERVED, 0x5800, 2 },
		/* a single unaligned usable page holds no whole page */
		{ EFI_MT_CONVENTIONAL, 0x9010, 1 },
		/* runs past 2^52: clipped */
		{ EFI_MT_MMIO, (1ull << 52) - 0x2000, 0x10 },
		/* wholly above 2^52 or wrapping: ignored */
		{ EFI_MT_MMIO, 1ull << 52, 1 },
		{ EFI_MT_CONVENTIONAL, 0xfffffffffffff000ull, 2 },
	};
	struct hv_mem_region r[8];
	void *map = build(m, ARRAY_SIZE(m), 48);

	assert_int_equal(memmap_translate(map, ARRAY_SIZE(m) * 48, 48, r, 8,
					  NULL), 3);
	expect_region(&r[0], 0x2000, 0x3000, HV_MEM_USABLE,
		      EFI_MT_CONVENTIONAL);
	expect_region(&r[1], 0x5000, 0x8000, HV_MEM_RESERVED, EFI_MT_RESERVED);
	expect_region(&r[2], (1ull << 52) - 0x2000, 1ull << 52, HV_MEM_MMIO,
		      EFI_MT_MMIO);
	assert_true(log_stub_contains(
		"descriptor 0 (Conventional) starts at unaligned 0x1800; using 0x2000-0x2fff"));
	assert_true(log_stub_contains(
		"descriptor 1 (Reserved) starts at unaligned 0x5800; using 0x5000-0x7fff"));
	assert_true(log_stub_contains(
		"descriptor 2 (Conventional) starts at unaligned 0x9010 and holds no whole page; ignored"));
	assert_true(log_stub_contains("descriptor 3 (MMIO) at 0xfffffffffe000: 16 pages reach past 2^52; clipped"));
	assert_true(log_stub_contains("descriptor 4 (MMIO) at 0x10000000000000 is above 2^52; ignored"));
	assert_true(log_stub_contains("descriptor 5 (Conventional) at 0xfffffffffffff000 is above 2^52"));
	free(map);
}

static void test_usable_top(void **state)
{
	const struct hv_mem_region r[] = {
		{ .base = 0x1000, .pages = 0x9f, .type = HV_MEM_USABLE },
		{ .base = 0x100000000ull, .pages = 0x100,
		  .type = HV_MEM_BOOT_SERVICES },
		{ .base = 0x200000000ull, .pages = 0x100,
		  .type = HV_MEM_RESERVED },
		{ .base = 0x100000, .pages = 0x100, .type = HV_MEM_USABLE },
		{ .base = 0xffc00000, .pages = 0x400, .type = HV_MEM_MMIO },
		{ .base = 0x300000000ull, .pages = 1, .type = HV_MEM_LOADED },
	};

	assert_int_equal(memmap_usable_top(r, ARRAY_SIZE(r)), 0x100100000ull);
	assert_int_equal(memmap_usable_top(r, 1), 0xa0000);
	assert_int_equal(memmap_usable_top(r + 2, 4), 0x200000);
	assert_int_equal(memmap_usable_top(r, 0), 0);
	assert_int_equal(memmap_usable_top(r + 4, 2), 0);
}

/* ---- randomized: page-granular reference model ------------------------- */

#define RND_PAGES 64
#define RND_ROUNDS 2000

static u64 rng = 0x853c49e6748fea9bull;

static u64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* The specification of "more restrictive", independently written down. */
static unsigned spec_rank(u32 hv)
{
	static const u32 order[] = {
		HV_MEM_USABLE, HV_MEM_BOOT_SERVICES, HV_MEM_LOADED,
		HV_MEM_ACPI_RECLAIM, HV_MEM_PERSISTENT, HV_MEM_RUNTIME,
		HV_MEM_ACPI_NVS, HV_MEM_MMIO, HV_MEM_RESERVED, HV_MEM_UNUSABLE,
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(order); i++)
		if (order[i] == hv)
			return i;
	fail();
	return 0;
}

static void test_random_vs_model(void **state)
{
	static const u32 efi_types[] = {
		EFI_MT_CONVENTIONAL, EFI_MT_CONVENTIONAL, EFI_MT_CONVENTIONAL,
		EFI_MT_BOOT_SERVICES_CODE, EFI_MT_BOOT_SERVICES_DATA,
		EFI_MT_LOADER_DATA, EFI_MT_ACPI_NVS, EFI_MT_RESERVED,
		EFI_MT_MMIO, EFI_MT_RUNTIME_SERVICES_DATA, EFI_MT_UNUSABLE,
	};
	struct d m[12];
	struct hv_mem_region r[32];
	int page_desc[RND_PAGES];	/* winning descriptor, -1: hole */
	unsigned round, n, i, p, k, overlaps = 0;

	for (round = 0; round < RND_ROUNDS; round++) {
		void *map;
		u32 got, needed, want = 0;
		u64 stride = 40 + 8 * (rnd() % 3);

		n = 1 + rnd() % ARRAY_SIZE(m);
		for (i = 0; i < n; i++) {
			m[i].type = efi_types[rnd() % ARRAY_SIZE(efi_types)];
			m[i].start = rnd() % RND_PAGES * 4096;
			m[i].pages = 1 + rnd() % 12;
			if (m[i].start / 4096 + m[i].pages > RND_PAGES)
				m[i].pages = RND_PAGES - m[i].start / 4096;
		}
		for (p = 0; p < RND_PAGES; p++) {
			int best = -1, covers = 0;

			for (i = 0; i < n; i++) {
				if (p < m[i].start / 4096 ||
				    p >= m[i].start / 4096 + m[i].pages)
					continue;
				covers++;
				if (best < 0 ||
				    spec_rank(memmap_hv_type(m[i].type)) >
				    spec_rank(memmap_hv_type(m[best].type)))
					best = i;
			}
			page_desc[p] = best;
			overlaps += covers > 1;
		}
		/* Expected regions: runs of pages with the same types. */
		for (p = 0; p < RND_PAGES; p++)
			if (page_desc[p] >= 0 &&
			    (p == 0 || page_desc[p - 1] < 0 ||
			     m[page_desc[p - 1]].type != m[page_desc[p]].type))
				want++;

		map = build(m, n, stride);
		log_stub_reset();
		got = memmap_translate(map, n * stride, stride, r,
				       ARRAY_SIZE(r), &needed);
		free(map);
		assert_int_equal(got, want);
		assert_int_equal(needed, want);
		for (k = 0, p = 0; k < got; k++) {
			while (page_desc[p] < 0)
				p++;
			assert_int_equal(r[k].base, p * 4096ull);
			assert_int_equal(r[k].efi_type, m[page_desc[p]].type);
			assert_int_equal(r[k].type,
					 memmap_hv_type(m[page_desc[p]].type));
			for (i = 0; i < r[k].pages; i++, p++) {
				assert_true(p < RND_PAGES);
				assert_true(page_desc[p] >= 0);
				assert_int_equal(m[page_desc[p]].type,
						 r[k].efi_type);
			}
			/* maximal: the next page differs or is a hole */
			if (p < RND_PAGES && page_desc[p] >= 0)
				assert_int_not_equal(m[page_desc[p]].type,
						     r[k].efi_type);
		}
		for (; p < RND_PAGES; p++)
			assert_int_equal(page_desc[p], -1);
	}
	assert_true(overlaps > 1000);
}

#define T(f) cmocka_unit_test_setup(f, reset_log)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_descriptor_layout),
		T(test_type_mapping),
		T(test_ovmf_map),
		T(test_stride),
		T(test_too_small),
		T(test_empty_and_bad_size),
		T(test_merge_rules),
		T(test_overlaps),
		T(test_overlap_region_count_bound),
		T(test_unaccepted_unknown),
		T(test_unaligned_and_clipped),
		T(test_usable_top),
		T(test_random_vs_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
