// SPDX-License-Identifier: MIT
/*
 * Exception handling: expected faults (probes) are fixed up, breakpoints
 * are counted, everything else is a hypervisor bug and panics with the
 * full register state.
 */
#define LOG_SUBSYS "trap"
#include "kernel/cpu.h"
#include "kernel/extable.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/trap.h"

static const char *const exception_names[32] = {
	[EXC_DE] = "#DE divide error",
	[EXC_DB] = "#DB debug",
	[EXC_NMI] = "NMI",
	[EXC_BP] = "#BP breakpoint",
	[EXC_OF] = "#OF overflow",
	[EXC_BR] = "#BR bound range",
	[EXC_UD] = "#UD invalid opcode",
	[EXC_NM] = "#NM device not available",
	[EXC_DF] = "#DF double fault",
	[EXC_TS] = "#TS invalid TSS",
	[EXC_NP] = "#NP segment not present",
	[EXC_SS] = "#SS stack fault",
	[EXC_GP] = "#GP general protection",
	[EXC_PF] = "#PF page fault",
	[EXC_MF] = "#MF x87 error",
	[EXC_AC] = "#AC alignment check",
	[EXC_MC] = "#MC machine check",
	[EXC_XM] = "#XM SIMD exception",
	[EXC_VE] = "#VE virtualization exception",
	[EXC_CP] = "#CP control protection",
};

const char *exception_name(u64 vector)
{
	if (vector < 32 && exception_names[vector])
		return exception_names[vector];
	return vector < 32 ? "reserved exception" : "interrupt";
}

/* Where to resume if this fault was expected, else 0. */
static u64 find_fixup(struct regs *r)
{
	u64 fixup = extable_find(r->rip);
	u64 ret;

	if (fixup || r->vector != EXC_PF || !(r->error_code & PF_FETCH))
		return fixup;
	/* A fetch fault right after a probing call: see probe_call. */
	ret = *(const u64 *)r->rsp;
	fixup = extable_find(ret);
	if (fixup)
		r->rsp += 8;
	return fixup;
}

void exception_handle(struct regs *r)
{
	struct percpu *cpu = this_cpu();
	u64 fixup;

	if (r->vector == EXC_NMI) {
		if (panic_in_progress())
			cpu_halt_forever(); /* another CPU panicked: stop */
		/*
		 * A platform NMI (LINT1) signals hardware trouble. It may
		 * have interrupted this CPU inside the console lock, so it
		 * is only counted here, never printed.
		 */
		cpu->nmis++;
		return;
	}

	if (r->vector == EXC_BP) {
		cpu->breakpoints++;
		pr_info("cpu%u: breakpoint at %#llx\n", cpu->index, r->rip - 1);
		return;
	}

	fixup = find_fixup(r);
	if (fixup) {
		cpu->probe_error = r->error_code;
		cpu->probe_cr2 = r->vector == EXC_PF ? read_cr2() : 0;
		r->rax = r->vector + 1;
		r->rip = fixup;
		return;
	}
	panic_regs(r, "unhandled %s", exception_name(r->vector));
}
