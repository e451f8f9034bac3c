// SPDX-License-Identifier: MIT
/*
 * A guest's console (HC_CONSOLE_WRITE and the virtual 16550) becomes lines
 * of the hypervisor log: "[NAME] | text". The name is the guest's (never a
 * subsystem's: boot/config.c refuses those), the "| " marks what follows
 * as the guest's own words, so no guest can write a line that passes for
 * the hypervisor's or another guest's. Guests may not print escape
 * sequences, a long line is cut into several entries, and a guest that
 * floods its console is held to VM_CON_RATE lines a second (after a burst
 * of VM_CON_BURST): the rest are counted, not logged, so its neighbours'
 * lines are not drowned.
 */
#define LOG_SUBSYS "vmm"
#include "kernel/log.h"
#include "kernel/timer.h"
#include "vmm/vm.h"

#define VM_CON_RATE 100		/* lines per second, sustained */
#define VM_CON_BURST 200	/* lines at once */
#define NS_PER_LINE (1000000000ull / VM_CON_RATE)

/* Token bucket: one token per line, VM_CON_RATE new tokens a second. */
static bool console_admit(struct vm *vm)
{
	u64 now = time_ns(), fresh;

	if (!vm->con_refill_ns) {
		vm->con_tokens = VM_CON_BURST;
		vm->con_refill_ns = now;
	}
	fresh = (now - vm->con_refill_ns) / NS_PER_LINE;
	if (fresh) {
		vm->con_tokens = (u32)MIN(vm->con_tokens + fresh, VM_CON_BURST);
		vm->con_refill_ns += fresh * NS_PER_LINE;
	}
	if (!vm->con_tokens)
		return false;
	vm->con_tokens--;
	return true;
}

/* At the guest's end: how many of its lines the limit kept out. */
void vm_console_report_dropped(struct vm *vm)
{
	if (vm->con_dropped)
		pr_warn("%s: %llu console line(s) not logged in all: more than %u lines/s\n",
			vm->name, vm->con_dropped, VM_CON_RATE);
}

void vm_console_flush(struct vm *vm)
{
	vm->line[vm->line_len] = '\0';
	vm->line_len = 0;
	vm_exit_mark(vm, vm->line);
	if (!console_admit(vm)) {
		if (!vm->con_dropped++)
			pr_warn("%s: console over %u lines/s: lines over the limit are counted, not logged\n",
				vm->name, VM_CON_RATE);
		return;
	}
	log_printf(LOG_INFO, vm->name, "| %s\n", vm->line);
}

void vm_putc(struct vm *vm, char c)
{
	if (c == '\r')
		return;
	if (c == '\n') {
		vm_console_flush(vm);
		return;
	}
	if (c != '\t' && (c < 0x20 || c > 0x7e))
		c = '?';	/* no escape sequences from a guest */
	vm->line[vm->line_len++] = c;
	if (vm->line_len == VM_LINE_MAX - 1)
		vm_console_flush(vm);
}
