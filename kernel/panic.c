// SPDX-License-Identifier: MIT
/*
 * panic(): print what is known, stop the other CPUs, end the run.
 *
 * Backtraces follow the frame-pointer chain (the image is built with
 * -fno-omit-frame-pointer). Addresses are printed with their offset in the
 * image too, so `addr2line -e build/hv.elf OFFSET` names the line.
 */
#include <stdarg.h>

#include "kernel/apic.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/image.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/shutdown.h"
#include "lib/format.h"

#define BACKTRACE_MAX 16
/* Time for the other CPUs to take the stop NMI (no timer is trusted here). */
#define STOP_SPINS 1000000

static volatile u32 panicking;

bool panic_in_progress(void)
{
	return READ_ONCE(panicking) != 0;
}

static void print_frame(int depth, u64 addr)
{
	if (image_contains(addr))
		console_printf("  #%-2d 0x%016llx  (hv.elf+%#llx)\n", depth, addr,
			       addr - image_base());
	else
		console_printf("  #%-2d 0x%016llx\n", depth, addr);
}

static bool frame_ok(u64 rbp, u64 lo, u64 hi)
{
	return IS_ALIGNED(rbp, 8) && rbp >= lo && rbp + 16 <= hi;
}

static void backtrace(u64 rip, u64 rbp)
{
	struct percpu *cpu = this_cpu();
	u64 lo = cpu->stack_bottom, hi = cpu->stack_top;
	int depth;

	console_printf("backtrace:\n");
	print_frame(0, rip);
	for (depth = 1; depth < BACKTRACE_MAX; depth++) {
		const u64 *frame = (const u64 *)rbp;

		/* Before the stacks are set up, trust nothing but the image. */
		if (hi ? !frame_ok(rbp, lo, hi) : !IS_ALIGNED(rbp, 8) || !rbp)
			break;
		if (!image_contains(frame[1]))
			break;
		print_frame(depth, frame[1]);
		rbp = frame[0];
	}
}

static void dump_regs(const struct regs *r)
{
	console_printf("  rip 0x%016llx  rsp 0x%016llx  rflags %#llx\n", r->rip,
		       r->rsp, r->rflags);
	console_printf("  rax 0x%016llx  rbx 0x%016llx  rcx 0x%016llx\n", r->rax,
		       r->rbx, r->rcx);
	console_printf("  rdx 0x%016llx  rsi 0x%016llx  rdi 0x%016llx\n", r->rdx,
		       r->rsi, r->rdi);
	console_printf("  rbp 0x%016llx  r8  0x%016llx  r9  0x%016llx\n", r->rbp,
		       r->r8, r->r9);
	console_printf("  r10 0x%016llx  r11 0x%016llx  r12 0x%016llx\n", r->r10,
		       r->r11, r->r12);
	console_printf("  r13 0x%016llx  r14 0x%016llx  r15 0x%016llx\n", r->r13,
		       r->r14, r->r15);
	console_printf("  cs %#llx ss %#llx  vector %llu  error %#llx\n", r->cs,
		       r->ss, r->vector, r->error_code);
}

static void dump_pf(const struct regs *r)
{
	u64 e = r->error_code;

	console_printf("  page fault at %#llx: %s, %s, %s%s%s\n", read_cr2(),
		       e & PF_PRESENT ? "protection violation" : "not present",
		       e & PF_FETCH ? "instruction fetch" :
		       e & PF_WRITE ? "write" : "read",
		       e & PF_USER ? "user" : "supervisor",
		       e & PF_RSVD ? ", reserved bit set" : "", "");
}

static void dump_crs(void)
{
	console_printf("  cr0 %#llx  cr2 %#llx  cr3 %#llx  cr4 %#llx\n",
		       read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

static void __noreturn panic_common(struct regs *r, const char *fmt,
				    va_list ap)
{
	char msg[160];
	u64 rbp;
	u32 spins;

	irq_disable();
	if (__atomic_fetch_add(&panicking, 1, __ATOMIC_SEQ_CST)) {
		/* A second panic (on this or another CPU): stay quiet. */
		cpu_halt_forever();
	}
	/*
	 * Stop the others before printing, so the report is not interleaved
	 * with their output; one of them may have died holding the console
	 * lock, so print without it.
	 */
	apic_stop_other_cpus();
	for (spins = 0; spins < STOP_SPINS; spins++)
		cpu_relax();
	console_break_lock();
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	console_printf("\n*** PANIC on cpu%u: %s\n", this_cpu()->index, msg);
	if (r) {
		if (r->vector == EXC_PF)
			dump_pf(r);
		dump_regs(r);
	}
	dump_crs();
	__asm__ volatile("mov %%rbp, %0" : "=r"(rbp));
	if (r)
		backtrace(r->rip, r->rbp);
	else
		backtrace((u64)__builtin_return_address(0), rbp);
	hv_exit(HV_EXIT_PANIC);
}

void __noreturn panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_common(NULL, fmt, ap);
}

void __noreturn panic_regs(struct regs *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_common(r, fmt, ap);
}

/* Read through a variable so the compiler cannot see the bad address. */
static volatile u64 inject_fault_addr = 0x8;

void __noreturn inject_fault(void)
{
	console_printf("fault injection: cpu%u touches %#llx\n",
		       this_cpu()->index, inject_fault_addr);
	*(volatile u64 *)inject_fault_addr = 0xdead;
	panic("fault injection: the write to %#llx did not fault",
	      inject_fault_addr);
}
