/* SPDX-License-Identifier: MIT */
/*
 * What the firmware tells us about the machine, read once at boot from the
 * ACPI tables and kept for the layers above (drivers/ needs the ECAM
 * windows, smp the CPU list; iommu/ parses the DMAR it finds in acpi).
 */
#ifndef KERNEL_PLATFORM_H
#define KERNEL_PLATFORM_H

#include "boot/bootinfo.h"
#include "kernel/acpi.h"
#include "kernel/apic.h"
#include "kernel/cpu_plan.h"
#include "kernel/percpu.h"

#define PLATFORM_MAX_IOAPICS 16
#define PLATFORM_MAX_ECAM 16

struct platform {
	struct acpi_tables acpi;
	bool have_acpi;
	struct madt_info madt;
	struct madt_cpu cpus[HV_MAX_CPUS];
	u32 ncpus;		/* entries in cpus[] (MADT or firmware list) */
	u32 ncpus_enabled;	/* enabled CPUs the source lists */
	struct madt_ioapic ioapics[PLATFORM_MAX_IOAPICS];
	bool have_madt;
	struct mcfg_entry ecam[PLATFORM_MAX_ECAM];
	u32 necam;
	struct fadt_info fadt;
	bool have_fadt;
	struct hpet_info hpet;
	bool have_hpet;
	struct cpu_plan cpu_plan;	/* APIC mode and its reason */
};

extern struct platform platform;

/* Reads and validates the ACPI tables; every problem is logged. Then
 * decides the local APIC mode (cpu_plan_apic): call before apic_init_bsp
 * and pass platform_apic_mode(). */
void platform_discover(const struct hv_bootinfo *bi);
enum apic_mode platform_apic_mode(void);

#endif
