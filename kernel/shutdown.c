// SPDX-License-Identifier: MIT
#define LOG_SUBSYS "hv"
#include "kernel/shutdown.h"
#include "kernel/cpu.h"
#include "kernel/log.h"

static u16 debug_exit_port;

void shutdown_set_debug_exit(u16 port)
{
	debug_exit_port = port;
}

static const char *verdict_name(enum hv_verdict v)
{
	switch (v) {
	case HV_EXIT_PASS:
		return "pass";
	case HV_EXIT_FAIL:
		return "FAIL";
	default:
		return "PANIC";
	}
}

void __noreturn hv_exit(enum hv_verdict verdict)
{
	if (debug_exit_port) {
		pr_info("exit: %s (debug-exit port %#x, code %#x)\n",
			verdict_name(verdict), debug_exit_port, verdict);
		outl(debug_exit_port, verdict);
	} else {
		pr_info("stopped: %s; no debug_exit port in hv.cfg: halted (power off or reset the machine)\n",
			verdict_name(verdict));
	}
	cpu_halt_forever();
}
