// SPDX-License-Identifier: MIT
/*
 * The UEFI boot stub: everything the hypervisor needs from the firmware,
 * gathered before ExitBootServices, then a one-way jump into the kernel.
 *   1. read \hv.cfg from the ESP and parse it (errors are all printed);
 *   2. load every guest image it names;
 *   3. find the ACPI 2.0 RSDP in the configuration table;
 *   4. reserve a page below 1 MiB for the AP start code;
 *   5. take the final memory map and ExitBootServices (retrying when the
 *      map changed under us), translate the map, call kernel_main().
 */
#include "boot/bootinfo.h"
#include "boot/efi.h"
#include "kernel/cpu.h"
#include "kernel/memmap.h"
#include "kernel/serial.h"
#include "kernel/trampoline.h"
#include "lib/string.h"

#define CONFIG_PATH "hv.cfg"
#define MAX_CONFIG_ERRORS 32
/* Highest byte the AP start pages may use: SIPI vectors address < 1 MiB,
 * and firmware reserves the EBDA just below 0xa0000 anyway. */
#define TRAMPOLINE_MAX 0x9ffff
#define EBS_RETRIES 8
/* The map grows while we allocate the buffer that holds it. */
#define MAP_SLACK_DESCS 64

static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
static EFI_GUID acpi10_guid = ACPI_TABLE_GUID;
static EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;

static void *alloc_pages(u64 bytes)
{
	EFI_PHYSICAL_ADDRESS pa = 0;

	if (EFI_ERROR(efi_bs->AllocatePages(AllocateAnyPages, EfiLoaderData,
					    EFI_SIZE_TO_PAGES(bytes), &pa)))
		return NULL;
	memset((void *)pa, 0, EFI_SIZE_TO_PAGES(bytes) * EFI_PAGE_SIZE);
	return (void *)pa;
}

static void load_config(EFI_HANDLE image, struct hv_bootinfo *bi)
{
	struct hv_config *cfg = &bi->cfg;
	struct cfg_error errs[MAX_CONFIG_ERRORS];
	u32 nerrs = 0, i;
	void *text;
	u64 size;
	EFI_STATUS st;

	config_defaults(cfg);
	st = efi_read_file(image, CONFIG_PATH, &text, &size);
	if (EFI_ERROR(st)) {
		efi_printf("no \\%s (%s): defaults, no guests\n", CONFIG_PATH,
			   efi_strerror(st));
		return;
	}
	if (!config_parse(text, size, cfg, errs, MAX_CONFIG_ERRORS, &nerrs)) {
		efi_printf("config \\%s: %u guest(s)\n", CONFIG_PATH, cfg->nguests);
		return;
	}
	for (i = 0; i < nerrs && i < MAX_CONFIG_ERRORS; i++)
		efi_printf("%s line %u: %s\n", CONFIG_PATH, errs[i].line,
			   errs[i].msg);
	if (nerrs > MAX_CONFIG_ERRORS)
		efi_printf("... and %u more errors\n", nerrs - MAX_CONFIG_ERRORS);
	efi_printf("config has %u error(s): no guest will be started, the run fails\n",
		   nerrs);
	bi->config_errors = nerrs;
	cfg->nguests = 0;
}

/* One file of a guest (its image, kernel or initrd) into memory. */
static void load_guest_file(EFI_HANDLE image, const struct cfg_guest *g,
			    const char *what, const char *path,
			    struct hv_image *out)
{
	void *data;
	u64 size;
	EFI_STATUS st = efi_read_file(image, path, &data, &size);

	if (EFI_ERROR(st)) {
		efi_printf("guest %s: cannot load %s %s: %s\n", g->name, what,
			   path, efi_strerror(st));
		out->status = HV_IMAGE_MISSING;
		return;
	}
	if (!size) {
		efi_printf("guest %s: %s %s is empty (0 bytes)\n", g->name, what,
			   path);
		out->status = HV_IMAGE_EMPTY;
		return;
	}
	out->pa = (u64)data;
	out->size = size;
	efi_printf("guest %s: %s %s, %llu bytes at %#llx\n", g->name, what,
		   path, size, (u64)data);
}

static void load_images(EFI_HANDLE image, struct hv_bootinfo *bi)
{
	u32 i;

	for (i = 0; i < bi->cfg.nguests; i++) {
		const struct cfg_guest *g = &bi->cfg.guests[i];

		load_guest_file(image, g, g->is_linux ? "kernel" : "image",
				g->image, &bi->images[i]);
		if (g->initrd[0])
			load_guest_file(image, g, "initrd", g->initrd,
					&bi->initrds[i]);
	}
}

static u64 find_config_table(const EFI_GUID *guid)
{
	UINTN i;

	for (i = 0; i < efi_st->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &efi_st->ConfigurationTable[i];

		if (!memcmp(&t->VendorGuid, guid, sizeof(EFI_GUID)))
			return (u64)t->VendorTable;
	}
	return 0;
}

/* ACPI 2.0+ (XSDT) when the firmware has it, else an ACPI 1.0 RSDP. */
static u64 find_rsdp(void)
{
	u64 rsdp = find_config_table(&acpi20_guid);

	if (rsdp) {
		efi_printf("ACPI 2.0 RSDP at %#llx\n", rsdp);
		return rsdp;
	}
	rsdp = find_config_table(&acpi10_guid);
	if (rsdp)
		efi_printf("ACPI 1.0 RSDP at %#llx (no ACPI 2.0 table)\n", rsdp);
	else
		efi_printf("no ACPI RSDP in the EFI configuration table\n");
	return rsdp;
}

/* The firmware's clock, once: the guests' RTCs count from it. */
static void read_time(struct hv_bootinfo *bi)
{
	struct hv_boot_time *t = &bi->time;
	EFI_STATUS s;
	EFI_TIME now;

	s = efi_st->RuntimeServices->GetTime(&now, NULL);
	t->tsc = rdtsc();
	if (EFI_ERROR(s)) {
		efi_printf("GetTime failed: %s; the guests' RTCs start at 1970\n",
			   efi_strerror(s));
		return;
	}
	*t = (struct hv_boot_time){ now.Year, now.Month, now.Day, now.Hour,
				    now.Minute, now.Second, 1, now.TimeZone, 0,
				    now.Nanosecond, t->tsc };
}

static u64 alloc_trampoline(void)
{
	EFI_PHYSICAL_ADDRESS pa = TRAMPOLINE_MAX;

	if (EFI_ERROR(efi_bs->AllocatePages(AllocateMaxAddress, EfiLoaderData,
					    TRAMP_PAGES, &pa))) {
		efi_printf("no free page below 1 MiB: APs cannot be started\n");
		return 0;
	}
	return pa;
}

struct efi_map {
	void *buf;
	UINTN size, cap, key, desc_size;
	UINT32 desc_version;
};

static EFI_STATUS prepare_map(struct efi_map *m)
{
	EFI_STATUS st;

	m->size = 0;
	st = efi_bs->GetMemoryMap(&m->size, NULL, &m->key, &m->desc_size,
				  &m->desc_version);
	if (st != EFI_BUFFER_TOO_SMALL)
		return st;
	m->cap = m->size + MAP_SLACK_DESCS * m->desc_size;
	m->buf = alloc_pages(m->cap);
	return m->buf ? EFI_SUCCESS : EFI_OUT_OF_RESOURCES;
}

/*
 * After a failed ExitBootServices only GetMemoryMap and ExitBootServices
 * may be called (UEFI 2.10 §7.4.6), so nothing here prints or allocates.
 */
static EFI_STATUS exit_boot_services(EFI_HANDLE image, struct efi_map *m)
{
	EFI_STATUS st = EFI_INVALID_PARAMETER;
	int i;

	for (i = 0; i < EBS_RETRIES && EFI_ERROR(st); i++) {
		m->size = m->cap;
		st = efi_bs->GetMemoryMap(&m->size, m->buf, &m->key,
					  &m->desc_size, &m->desc_version);
		if (EFI_ERROR(st))
			return st;
		st = efi_bs->ExitBootServices(image, m->key);
	}
	return st;
}

static void __noreturn stall_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	struct hv_bootinfo *bi;
	EFI_LOADED_IMAGE *li;
	struct efi_map map;
	u32 max_regions, needed = 0;
	EFI_STATUS s;

	efi_st = st;
	efi_bs = st->BootServices;
	efi_printf("hypervisor boot stub, firmware %s rev %#x\n",
		   "UEFI", st->FirmwareRevision);
	bi = alloc_pages(sizeof(*bi));
	if (!bi || EFI_ERROR(efi_bs->HandleProtocol(image, &loaded_image_guid,
						     (void **)&li))) {
		efi_printf("cannot allocate boot info\n");
		return EFI_OUT_OF_RESOURCES;
	}
	bi->magic = HV_BOOTINFO_MAGIC;
	bi->image_base = (u64)li->ImageBase;
	bi->image_size = li->ImageSize;
	load_config(image, bi);
	load_images(image, bi);
	bi->rsdp_pa = find_rsdp();
	read_time(bi);
	efi_collect_cpus(bi);
	bi->trampoline_pa = alloc_trampoline();

	s = prepare_map(&map);
	max_regions = map.cap / map.desc_size * 2 + 16;
	bi->mem = alloc_pages(max_regions * sizeof(*bi->mem));
	if (EFI_ERROR(s) || !bi->mem) {
		efi_printf("cannot get the memory map: %s\n", efi_strerror(s));
		return s;
	}
	efi_printf("exiting boot services; the hypervisor takes over\n");
	s = exit_boot_services(image, &map);
	if (EFI_ERROR(s)) {
		efi_printf("ExitBootServices failed: %s\n", efi_strerror(s));
		return s;
	}
	/* No firmware services from here on; the kernel's console logs. */
	serial_init(COM1_PORT, 115200);
	bi->mem_count = memmap_translate(map.buf, map.size, map.desc_size,
					 bi->mem, max_regions, &needed);
	if (!bi->mem_count)
		stall_forever(); /* cannot happen: max_regions covers the map */
	kernel_main(bi);
}
