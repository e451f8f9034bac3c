// SPDX-License-Identifier: MIT
#include "kernel/cpu_plan.h"
#include "lib/format.h"

void cpu_plan_apic(bool cpu_has_x2apic, u8 dmar_flags, struct cpu_plan *p)
{
	const char *why;

	p->x2apic = false;
	if (!cpu_has_x2apic) {
		why = "the CPU has no x2APIC";
	} else if (dmar_flags & DMAR_FLAG_X2APIC_OPT_OUT) {
		why = "the firmware opts out of x2APIC (DMAR X2APIC_OPT_OUT)";
	} else {
		p->x2apic = true;
		why = "the CPU has it and the firmware does not opt out";
	}
	fmt_snprintf(p->why, sizeof(p->why), "%s", why);
}

bool cpu_plan_reachable(u32 apic_id, bool x2apic)
{
	return x2apic || apic_id <= XAPIC_MAX_ID;
}

void cpu_plan_count(const struct madt_cpu *cpus, u32 n, u32 max,
		    struct cpu_plan *p)
{
	u32 i;

	p->enabled = p->started = p->unreachable = p->over_limit = 0;
	for (i = 0; i < n; i++) {
		if (!cpus[i].enabled)
			continue;
		p->enabled++;
		if (!cpu_plan_reachable(cpus[i].apic_id, p->x2apic))
			p->unreachable++;
		else if (p->started == max)
			p->over_limit++;
		else
			p->started++;
	}
}
