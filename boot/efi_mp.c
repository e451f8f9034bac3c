// SPDX-License-Identifier: MIT
/*
 * The firmware's list of processors, from the UEFI MP Services protocol
 * (UEFI Platform Initialization spec 1.7, Vol. 2 §13.4). The kernel takes
 * its CPUs from the ACPI MADT; this list is the fallback for firmware that
 * installs no ACPI tables (OVMF under Bochs). gnu-efi has no definitions
 * for the protocol, so the part used is declared here.
 */
#include "boot/bootinfo.h"
#include "boot/efi.h"

#define EFI_MP_SERVICES_PROTOCOL_GUID \
	{ 0x3fdda605, 0xa76e, 0x4f46, { 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 } }

/* StatusFlag bits (§13.4.3, EFI_PROCESSOR_INFORMATION). */
#define PROCESSOR_AS_BSP_BIT BIT(0)
#define PROCESSOR_ENABLED_BIT BIT(1)
#define PROCESSOR_HEALTH_STATUS_BIT BIT(2)

struct efi_processor_information {
	UINT64 ProcessorId;	/* the local APIC id on x86 */
	UINT32 StatusFlag;
	UINT32 Package, Core, Thread;
	/* PI 1.7 appends extended topology; room is left for it below. */
};

struct efi_mp_services {
	EFI_STATUS(EFIAPI *GetNumberOfProcessors)(struct efi_mp_services *this,
						  UINTN *total, UINTN *enabled);
	EFI_STATUS(EFIAPI *GetProcessorInfo)(struct efi_mp_services *this,
					     UINTN number, void *info);
	void *StartupAllAPs, *StartupThisAP, *SwitchBSP, *EnableDisableAP,
		*WhoAmI;
};

static EFI_GUID mp_guid = EFI_MP_SERVICES_PROTOCOL_GUID;

void efi_collect_cpus(struct hv_bootinfo *bi)
{
	struct efi_mp_services *mp;
	UINTN total, enabled, i;
	union {
		struct efi_processor_information info;
		u8 room[128];
	} buf;

	if (EFI_ERROR(efi_bs->LocateProtocol(&mp_guid, NULL, (void **)&mp)) ||
	    EFI_ERROR(mp->GetNumberOfProcessors(mp, &total, &enabled)))
		return;	/* the MADT is the source of truth anyway */
	for (i = 0; i < total; i++) {
		if (EFI_ERROR(mp->GetProcessorInfo(mp, i, &buf)))
			continue;
		if (!(buf.info.StatusFlag & PROCESSOR_ENABLED_BIT) ||
		    !(buf.info.StatusFlag & PROCESSOR_HEALTH_STATUS_BIT))
			continue;
		if (bi->fw_ncpus == HV_BOOT_MAX_CPUS) {
			efi_printf("firmware lists more than %u CPUs: the rest are not recorded\n",
				   HV_BOOT_MAX_CPUS);
			break;
		}
		bi->fw_apic_ids[bi->fw_ncpus++] = (u32)buf.info.ProcessorId;
	}
	efi_printf("firmware MP services: %llu CPU(s), %llu enabled, %u recorded\n",
		   (u64)total, (u64)enabled, bi->fw_ncpus);
}
