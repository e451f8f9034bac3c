/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include "boot/config.h"
#include "kernel/acpi.h"
#include "kernel/percpu.h"

/* Allocates the stacks and interrupt stacks of a CPU and loads its GDT. */
int cpu_setup_stacks(struct percpu *p);
void cpu_load_tables(struct percpu *p);

/* Puts every other CPU into wait-for-SIPI (INIT to all but self). */
void smp_hold_aps(void);

/*
 * Starts every enabled CPU the MADT lists (up to cfg->max_cpus), one at a
 * time. Returns how many failed to come up; each failure is logged.
 */
u32 smp_boot_aps(const struct madt_cpu *cpus, u32 ncpus, u64 trampoline_pa,
		 const struct hv_config *cfg);

/*
 * Runs fn(arg) on CPU index cpu, which must be an idle AP. The call returns
 * once the work is queued; fn runs on that CPU's stack with interrupts
 * enabled and may never return (a vCPU loop). Returns -1 if the CPU does
 * not exist, is the caller, or is busy.
 */
int smp_run_on(u32 cpu, void (*fn)(void *arg), void *arg);

/* True if CPU index cpu is an online AP with no work queued or running. */
bool smp_cpu_idle(u32 cpu);

#endif
