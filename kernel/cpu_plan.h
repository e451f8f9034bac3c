/* SPDX-License-Identifier: MIT */
/*
 * Which local APIC mode the hypervisor uses and which CPUs it starts,
 * decided from the firmware's tables alone. Pure functions: the boot path
 * (kernel/platform.c, kernel/smp.c) and tools/hwcheck (on saved tables)
 * call the same code, so hwcheck says what a boot would do.
 */
#ifndef KERNEL_CPU_PLAN_H
#define KERNEL_CPU_PLAN_H

#include "kernel/acpi.h"
#include "lib/types.h"

/* xAPIC destinations are 8 bits and 0xff is the broadcast id (SDM Vol. 3A
 * 11.6.2.1): an xAPIC-mode hypervisor reaches APIC ids 0-254 only. */
#define XAPIC_MAX_ID 0xfe

struct cpu_plan {
	bool x2apic;		/* run the local APICs in x2APIC mode */
	char why[128];		/* the reason, in words */
	u32 enabled;		/* enabled CPUs the MADT lists */
	u32 started;		/* of them started (the boot CPU included) */
	u32 unreachable;	/* enabled, but the APIC mode cannot address */
	u32 over_limit;		/* enabled, beyond max CPUs */
};

/*
 * x2APIC when the CPU has it and the DMAR does not set X2APIC_OPT_OUT (VT-d
 * 4.1 section 8.1: firmware asks the OS to stay in xAPIC mode, e.g. because
 * its SMM code uses the xAPIC MMIO page). Interrupt remapping does not
 * enter into it: without remapping, device interrupts reach APIC ids 0-255
 * only (iommu_route_gsi() refuses the others), the CPUs still run.
 */
void cpu_plan_apic(bool cpu_has_x2apic, u8 dmar_flags, struct cpu_plan *p);

/* Whether a CPU with this APIC id can be started in the chosen mode. */
bool cpu_plan_reachable(u32 apic_id, bool x2apic);

/* Counts what smp_boot_aps() will start of cpus[0..n): the enabled CPUs
 * whose id the mode reaches, at most max (the boot CPU is one of them). */
void cpu_plan_count(const struct madt_cpu *cpus, u32 n, u32 max,
		    struct cpu_plan *p);

#endif
