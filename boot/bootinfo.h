/* SPDX-License-Identifier: MIT */
/*
 * The hand-off from the UEFI boot stub (boot/) to the hypervisor kernel.
 * Everything the kernel needs from the firmware is in here; after
 * ExitBootServices nothing of UEFI is used again.
 */
#ifndef BOOT_BOOTINFO_H
#define BOOT_BOOTINFO_H

#include "boot/config.h"
#include "lib/types.h"

/*
 * Physical memory as the kernel sees it. The boot stub translates the UEFI
 * memory types (UEFI 2.10 section 7.2.3, EFI_MEMORY_TYPE) into these.
 */
enum hv_mem_type {
	HV_MEM_USABLE = 1,	/* conventional memory: free now */
	HV_MEM_BOOT_SERVICES,	/* firmware boot-services code/data: free once
				 * the kernel runs on its own stack and page
				 * tables */
	HV_MEM_LOADED,		/* our image, boot info, config, guest images */
	HV_MEM_ACPI_RECLAIM,	/* ACPI tables: read them, never hand out */
	HV_MEM_ACPI_NVS,
	HV_MEM_RUNTIME,		/* UEFI runtime services code/data */
	HV_MEM_MMIO,
	HV_MEM_RESERVED,
	HV_MEM_UNUSABLE,	/* firmware-reported bad memory */
	HV_MEM_PERSISTENT,
};

struct hv_mem_region {
	u64 base;	/* page aligned */
	u64 pages;	/* 4 KiB pages */
	u32 type;	/* enum hv_mem_type */
	u32 efi_type;	/* the firmware's own type, for the log */
};

/* A guest image the boot stub loaded from the ESP. */
struct hv_image {
	u64 pa;		/* page aligned, HV_MEM_LOADED */
	u64 size;	/* bytes; 0 unless loaded */
	u32 status;	/* enum hv_image_status */
	u32 reserved;
};

enum hv_image_status {
	HV_IMAGE_LOADED = 0,
	HV_IMAGE_MISSING,	/* no such file (or unreadable): logged */
	HV_IMAGE_EMPTY,		/* a file of 0 bytes: logged */
};

/* CPUs recorded from the firmware's MP services (fallback for the MADT). */
#define HV_BOOT_MAX_CPUS 256	/* = HV_MAX_CPUS (kernel/percpu.h) */

#define HV_BOOTINFO_MAGIC 0x4f464e49544f4f42ull /* "BOOTINFO" */

/*
 * The firmware's clock as UEFI GetTime gave it (UEFI 2.10 §8.3.1,
 * EFI_TIME) and the TSC right after: the hypervisor's wall clock
 * (kernel/wallclock.c). valid = 0: GetTime failed.
 */
struct hv_boot_time {
	u16 year;		/* 1900..9999 */
	u8 month, day, hour, minute, second;
	u8 valid;
	s16 timezone;		/* minutes from UTC; 2047: unspecified */
	u16 reserved;
	u32 nanosecond;
	u64 tsc;
};

struct hv_bootinfo {
	u64 magic;
	u64 rsdp_pa;		/* ACPI 2.0 RSDP, else 1.0; 0 if none */
	u64 image_base;		/* where UEFI loaded us */
	u64 image_size;
	u64 trampoline_pa;	/* TRAMP_PAGES pages below 1 MiB: AP start code */
	struct hv_mem_region *mem;
	u32 mem_count;
	u32 reserved0;
	struct hv_config cfg;
	u32 config_errors;	/* the config had errors: no guests, run fails */
	u32 reserved1;
	/* images[i] belongs to cfg.guests[i]; size 0 if it failed to load */
	struct hv_image images[CFG_MAX_GUESTS];
	/* initrds[i]: cfg.guests[i].initrd (Linux guests), size 0 if none */
	struct hv_image initrds[CFG_MAX_GUESTS];
	/* Enabled CPUs by APIC id, from UEFI MP services (boot/efi_mp.c);
	 * used only when there is no MADT. */
	u32 fw_ncpus;
	u32 fw_apic_ids[HV_BOOT_MAX_CPUS];
	/*
	 * Added at the end. There is no layout version: the stub and the
	 * kernel are one image (build/hv.efi), built from this header.
	 */
	struct hv_boot_time time;
};

/* The kernel's entry point; the boot stub calls it after ExitBootServices. */
void __attribute__((noreturn)) kernel_main(struct hv_bootinfo *bi);

#endif
