// SPDX-License-Identifier: MIT
/*
 * A guest's exits by kind (vmm/exit_kind.h) in the log: in its closing
 * report, and at each console line that starts with the cmdline's
 * "exits_mark=TEXT". Two marks bracket a measured window: make bench's
 * Linux guest marks the lines its /init prints before and after the TCP
 * transfer, and the difference is what the transfer cost. A guest chooses
 * when its lines come, so it gets at most VM_MARKS_LOGGED marks: it
 * cannot flood the hypervisor's log through them.
 */
#define LOG_SUBSYS "vmm"
#include "kernel/log.h"
#include "lib/format.h"
#include "lib/string.h"
#include "vmm/vm.h"

#define VM_MARKS_LOGGED 32
#define MARK_TEXT_SHOWN 40	/* of the marked line, in the mark's entry */

/* The counts so far, and the interrupts the guest took, by source. */
static void log_kinds(const struct vm *vm, const char *when)
{
	char buf[EK_COUNT * 24];

	exit_kind_format(buf, sizeof(buf), vm->stats.kinds);
	pr_info("%s: exits %s: %s; irqs injected=%llu timer=%llu device=%llu\n",
		vm->name, when, buf, vm->stats.irqs_taken,
		vm->stats.timer_irqs, vm->stats.dev_irqs);
}

void vm_exit_mark(struct vm *vm, const char *line)
{
	char when[MARK_TEXT_SHOWN + 16];
	size_t n = strlen(vm->exits_mark);

	if (!n || strncmp(line, vm->exits_mark, n))
		return;
	if (++vm->marks_logged > VM_MARKS_LOGGED) {
		if (vm->marks_logged == VM_MARKS_LOGGED + 1)
			pr_info("%s: more than %u marked console lines: further marks not logged\n",
				vm->name, VM_MARKS_LOGGED);
		return;
	}
	fmt_snprintf(when, sizeof(when), "at mark \"%.*s\"",
		     MARK_TEXT_SHOWN, line);
	log_kinds(vm, when);
}

void vm_exit_kinds_report(const struct vm *vm)
{
	log_kinds(vm, "by kind");
}
