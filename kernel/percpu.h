/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data. Each CPU's GS base points at its own struct percpu, whose
 * first field points at itself, so this_cpu() is a single load.
 */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include "kernel/gdt.h"
#include "lib/types.h"

/* 256: the largest machines in docs/running.md's survey have 96; x2APIC ids
 * are stored by value, so sparse ids above 255 fit too. Per CPU the static
 * cost is a pointer here and in vmm/ (VMXON / host-save area addresses),
 * a struct madt_cpu in kernel/platform.h; stacks are allocated per CPU
 * started, and the AP trampoline page is shared (one CPU at a time). */
#define HV_MAX_CPUS 256

struct percpu {
	struct percpu *self; /* must stay first: read through %gs:0 */
	u32 index;	     /* 0 = bootstrap CPU, then MADT order */
	u32 apic_id;
	u64 stack_bottom;    /* lowest usable byte; a guard page lies below */
	u64 stack_top;
	volatile u32 online;
	/* What the last caught probe fault reported (see kernel/probe.h). */
	u64 probe_error;
	u64 probe_cr2;
	volatile u64 timer_ticks;
	u64 breakpoints;
	u64 nmis;	   /* platform NMIs taken (not printed: see trap.c) */
	bool inject_fault; /* config "inject = fault:N" names this CPU */
	/* Work handed to an idle AP by smp_run_on(); NULL when idle. */
	void (*volatile work_fn)(void *arg);
	void *work_arg;
	struct gdt_set gdt;
};

extern struct percpu *cpu_table[HV_MAX_CPUS];
extern u32 cpu_count; /* CPUs brought up so far, including the BSP */

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

void percpu_install(struct percpu *p);

#endif
