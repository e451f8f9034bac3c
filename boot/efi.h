/* SPDX-License-Identifier: MIT */
/*
 * The boot stub's view of UEFI: gnu-efi's headers for the types and
 * protocol layouts (no libefi: the stub calls the firmware directly, and
 * formats text with lib/format.c like the rest of the hypervisor).
 */
#ifndef BOOT_EFI_H
#define BOOT_EFI_H

#include <efi.h>

#include "lib/types.h"

extern EFI_SYSTEM_TABLE *efi_st;
extern EFI_BOOT_SERVICES *efi_bs;

/* "[boot] ..." lines on the firmware console (mirrored to COM1 by OVMF). */
void efi_printf(const char *fmt, ...) __printf(1, 2);
const char *efi_strerror(EFI_STATUS st);

/* Reads a whole file from the volume we were loaded from into fresh
 * pages (EfiLoaderData). path uses '/' or '\'. */
EFI_STATUS efi_read_file(EFI_HANDLE image, const char *path, void **data,
			 u64 *size);

struct hv_bootinfo;
/* Records the firmware's enabled CPUs (UEFI MP services) in bi. */
void efi_collect_cpus(struct hv_bootinfo *bi);

#endif
