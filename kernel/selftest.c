// SPDX-License-Identifier: MIT
/*
 * Boot self-tests. Each check provokes the behaviour it claims (a write to
 * .text really happens, under a probe that catches the fault) and reports
 * what the CPU said, so a PASS is evidence, not a restatement of config.
 */
#include <stdarg.h>

#define LOG_SUBSYS "test"
#include "kernel/apic.h"
#include "kernel/cpu.h"
#include "kernel/image.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/percpu.h"
#include "kernel/platform.h"
#include "kernel/probe.h"
#include "kernel/selftest.h"
#include "kernel/smp.h"
#include "kernel/timer.h"
#include "kernel/trap.h"
#include "lib/format.h"

#define TIMER_TEST_HZ 100
#define TIMER_TEST_MS 200

static u32 checks_passed, checks_failed;

void selftest_check(bool ok, const char *name, const char *fmt, ...)
{
	char detail[160];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (ok) {
		__atomic_fetch_add(&checks_passed, 1, __ATOMIC_RELAXED);
		pr_info("PASS %s: %s\n", name, detail);
	} else {
		__atomic_fetch_add(&checks_failed, 1, __ATOMIC_RELAXED);
		pr_info("FAIL %s: %s\n", name, detail);
	}
}

u32 selftest_passed(void)
{
	return checks_passed;
}

u32 selftest_failed(void)
{
	return checks_failed;
}

void selftest_summary(void)
{
	pr_info("self-test: %u passed, %u failed\n", checks_passed,
		checks_failed);
}

/* A probe must fault with this vector and these page-fault error bits. */
static void expect_fault(const char *name, int got,
			 u64 vector, u64 err_bits)
{
	struct percpu *cpu = this_cpu();
	bool ok = got == (int)vector + 1 &&
		  (cpu->probe_error & err_bits) == err_bits;

	if (!got)
		selftest_check(false, name, "no fault: protection missing");
	else
		selftest_check(ok, name, "%s, error %#llx, cr2 %#llx",
			       exception_name((u64)got - 1), cpu->probe_error,
			       cpu->probe_cr2);
}

static u8 data_ret_insn = 0xc3; /* "ret", in writable, non-executable data */
static const u8 rodata_byte = 0x5a;

static void test_protections(void)
{
	volatile u8 *text = (volatile u8 *)(u64)selftest_kernel;
	u8 before = *text;
	u64 guard = this_cpu()->stack_bottom - PAGE_SIZE;

	expect_fault("W^X: write to .text", probe_write8(text, 0xcc),
		     EXC_PF, PF_PRESENT | PF_WRITE);
	selftest_check(*text == before, "W^X: .text unchanged",
		       "byte at %#llx is %#x", (u64)text, *text);
	expect_fault("W^X: write to .rodata",
		     probe_write8((volatile u8 *)&rodata_byte, 0),
		     EXC_PF, PF_PRESENT | PF_WRITE);
	expect_fault("NX: execute from .data", probe_call(&data_ret_insn),
		     EXC_PF, PF_PRESENT | PF_FETCH);
	expect_fault("NULL page unmapped", probe_read8(NULL), EXC_PF, 0);
	expect_fault("stack guard page", probe_read8((u8 *)guard), EXC_PF,
		     0);
	selftest_check(!(this_cpu()->probe_error & PF_PRESENT),
		       "guard page not present", "error %#llx at %#llx",
		       this_cpu()->probe_error, guard);
}

static void test_exceptions(void)
{
	u64 bp = this_cpu()->breakpoints;

	expect_fault("#UD delivered", probe_ud2(), EXC_UD, 0);
	expect_fault("#DE delivered", probe_divide_error(), EXC_DE, 0);
	__asm__ volatile("int3");
	selftest_check(this_cpu()->breakpoints == bp + 1,
		       "#BP handled and resumed", "%llu breakpoint(s)",
		       this_cpu()->breakpoints - bp);
}

static void test_frames(void)
{
	u64 before = frames_free_pages();
	u64 pa = frame_alloc_below(512, SZ_2M, 0);

	if (pa)
		frame_free(pa, 512);
	selftest_check(pa && IS_ALIGNED(pa, SZ_2M) &&
			       frames_free_pages() == before,
		       "frame allocator", "2 MiB aligned run at %#llx, %llu frames free",
		       pa, before);
}

/*
 * The interval is measured with the TSC, so this checks that the APIC
 * timer and the TSC agree with the calibration; bounds are wide because
 * an emulator's clock is noisy.
 */
static void test_timer(void)
{
	u64 expected = TIMER_TEST_HZ * TIMER_TEST_MS / 1000;
	u64 t0, ticks, start = this_cpu()->timer_ticks;

	timer_start_periodic(TIMER_TEST_HZ);
	irq_enable();
	t0 = time_ns();
	while (time_ns() - t0 < TIMER_TEST_MS * 1000000ull)
		cpu_halt();
	irq_disable();
	apic_timer_stop();
	ticks = this_cpu()->timer_ticks - start;
	selftest_check(ticks >= expected / 2 && ticks <= expected * 2,
		       "APIC timer interrupts", "%llu ticks at %u Hz in %u ms (expected ~%llu)",
		       ticks, TIMER_TEST_HZ, TIMER_TEST_MS, expected);
}

static void test_platform(u32 cpus_expected, u32 cpus_failed)
{
	selftest_check(platform.have_acpi && platform.acpi.nbad == 0,
		       "ACPI tables valid", "%u tables, %u bad",
		       platform.acpi.ntables, platform.acpi.nbad);
	selftest_check(platform.have_madt, "MADT parsed", "%u CPUs enabled",
		       platform.madt.ncpus);
	selftest_check(cpus_failed == 0 && cpu_count == cpus_expected,
		       "all CPUs online", "%u of %u online, %u failed", cpu_count,
		       cpus_expected, cpus_failed);
}

static void report_apic_id(void *arg)
{
	__atomic_store_n((u32 *)arg, apic_id() + 1, __ATOMIC_RELEASE);
}

/* Work handed to each AP runs there: it answers with its own APIC id. */
static void test_run_on(void)
{
	u32 i, answer, ok = 0;

	for (i = 1; i < cpu_count; i++) {
		u64 end = time_ns() + 1000000000ull;

		answer = 0;
		if (smp_run_on(i, report_apic_id, &answer))
			break;
		while (!__atomic_load_n(&answer, __ATOMIC_ACQUIRE) &&
		       time_ns() < end)
			cpu_relax();
		if (answer != cpu_table[i]->apic_id + 1)
			break;
		ok++;
	}
	selftest_check(ok == cpu_count - 1, "work runs on each AP",
		       "%u of %u APs answered with their APIC id", ok,
		       cpu_count - 1);
}

void selftest_kernel(u32 cpus_expected, u32 cpus_failed)
{
	pr_info("running kernel self-tests on cpu%u\n", this_cpu()->index);
	test_protections();
	test_exceptions();
	test_frames();
	test_timer();
	test_platform(cpus_expected, cpus_failed);
	test_run_on();
}
