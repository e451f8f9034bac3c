/* SPDX-License-Identifier: MIT */
/*
 * Translation of the UEFI memory map into the kernel's struct
 * hv_mem_region list (boot/bootinfo.h). The kernel's: it reads the result
 * (frame allocator, page tables) and this reports through its log; the
 * boot stub calls memmap_translate() once, before the hand-off.
 *
 * The descriptor layout and type numbers are mirrored here so that the
 * translation builds and is tested on the host without gnu-efi. The names
 * are deliberately not gnu-efi's (EFI_MEMORY_DESCRIPTOR, EfiLoaderCode...)
 * so both headers can be included together.
 */
#ifndef KERNEL_MEMMAP_H
#define KERNEL_MEMMAP_H

#include "boot/bootinfo.h"
#include "lib/types.h"

/* EFI_MEMORY_TYPE, UEFI 2.10 section 7.2.1 (AllocatePages). */
enum efi_mem_type {
	EFI_MT_RESERVED = 0,		/* EfiReservedMemoryType */
	EFI_MT_LOADER_CODE = 1,
	EFI_MT_LOADER_DATA = 2,
	EFI_MT_BOOT_SERVICES_CODE = 3,
	EFI_MT_BOOT_SERVICES_DATA = 4,
	EFI_MT_RUNTIME_SERVICES_CODE = 5,
	EFI_MT_RUNTIME_SERVICES_DATA = 6,
	EFI_MT_CONVENTIONAL = 7,
	EFI_MT_UNUSABLE = 8,
	EFI_MT_ACPI_RECLAIM = 9,
	EFI_MT_ACPI_NVS = 10,
	EFI_MT_MMIO = 11,
	EFI_MT_MMIO_PORT_SPACE = 12,
	EFI_MT_PAL_CODE = 13,
	EFI_MT_PERSISTENT = 14,
	EFI_MT_UNACCEPTED = 15,		/* UEFI 2.9+: needs TDX/SNP accept */
	EFI_MT_COUNT,
};

/*
 * EFI_MEMORY_DESCRIPTOR, UEFI 2.10 section 7.2.3 (GetMemoryMap). Natural
 * alignment puts 4 bytes of padding after type. Firmware may return larger
 * descriptors (DescriptorSize): always step through a map by that size.
 */
struct efi_mem_desc {
	u32 type;
	u32 pad;
	u64 phys_start;		/* 4 KiB aligned */
	u64 virt_start;
	u64 num_pages;		/* 4 KiB pages, whatever the CPU page size */
	u64 attribute;		/* EFI_MEMORY_UC/WB/RUNTIME/... */
};

_Static_assert(sizeof(struct efi_mem_desc) == 40,
	       "EFI_MEMORY_DESCRIPTOR is 40 bytes");
_Static_assert(offsetof(struct efi_mem_desc, phys_start) == 8,
	       "EFI_MEMORY_DESCRIPTOR.PhysicalStart at offset 8");

/*
 * Translate map_size bytes of descriptors, desc_size apart, into out:
 * sorted by base, adjacent regions of the same hv type and EFI type merged,
 * overlaps resolved in favour of the more restrictive type (and reported),
 * holes left out. Regions are whole 4 KiB pages below 2^52.
 *
 * Returns the number of regions written. If that is more than max_out it
 * returns 0 (out then holds a useless prefix): never a silently truncated
 * map. *needed (may be NULL) always receives the full count, which is at
 * most 2 * descriptors - 1; 0 for an empty map or a desc_size below 40.
 * Oddities (overlaps, unaligned or out-of-range descriptors, unaccepted or
 * unknown types) are reported with pr_warn().
 */
u32 memmap_translate(const void *efi_map, u64 map_size, u64 desc_size,
		     struct hv_mem_region *out, u32 max_out, u32 *needed);

/* The hv type a firmware type becomes. */
u32 memmap_hv_type(u32 efi_type);

/* "usable", "boot-services", ... for logs; "unknown" if out of range. */
const char *hv_mem_type_name(u32 type);

/* "Conventional", "BootServicesData", ... for logs; "OEM"/"OS"/"unknown". */
const char *memmap_efi_type_name(u32 efi_type);

/*
 * End of the highest USABLE or BOOT_SERVICES region (everything the frame
 * allocator may ever own), 0 if there is none.
 */
u64 memmap_usable_top(const struct hv_mem_region *r, u32 n);

#endif
