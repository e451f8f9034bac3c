// SPDX-License-Identifier: MIT
#include "kernel/cpu.h"
#include "kernel/percpu.h"

struct percpu *cpu_table[HV_MAX_CPUS];
u32 cpu_count;

/* Makes p this CPU's per-CPU area: this_cpu() returns it from now on. */
void percpu_install(struct percpu *p)
{
	p->self = p;
	cpu_table[p->index] = p;
	wrmsr(MSR_GS_BASE, (u64)p);
}
