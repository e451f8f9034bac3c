/* SPDX-License-Identifier: MIT */
/* vm_parse_cmdline(): the VMM's words of a guest's command line, above all
 * timeout=none, which make run's server guest needs; vm_verdict() over
 * the runs of a restarted guest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/selftest.h"
#include "tests/unit/log_stub.h"
#include "vmm/vm.h"

#define S_NS 1000000000ull

static u32 checks, checks_failed;

void selftest_check(bool ok, const char *name, const char *fmt, ...)
{
	checks++;
	checks_failed += !ok;
}

static struct cfg_guest cfg;
static struct vm vm;

static int parse(const char *cmdline)
{
	memset(&vm, 0, sizeof(vm));
	memset(&cfg, 0, sizeof(cfg));
	strncpy(cfg.cmdline, cmdline, sizeof(cfg.cmdline) - 1);
	vm.cfg = &cfg;
	strncpy(vm.name, "g", sizeof(vm.name) - 1);
	log_stub_reset();
	return vm_parse_cmdline(&vm);
}

static void test_default_timeout(void **state)
{
	assert_int_equal(parse("expect=3 other=words"), 0);
	assert_int_equal(vm.timeout_ns, 60 * S_NS);
	assert_int_equal(vm.expect_status, 3);
}

static void test_timeout_seconds(void **state)
{
	assert_int_equal(parse("timeout=5"), 0);
	assert_int_equal(vm.timeout_ns, 5 * S_NS);
}

/* No limit: far beyond any run, and start + limit must not wrap in the
 * vCPU loop's signed comparison. */
static void test_timeout_none(void **state)
{
	u64 start = 1ull << 40;

	assert_int_equal(parse("timeout=none report_s=30 expect=stopped"), 0);
	assert_true(vm.timeout_ns >= 100ull * 365 * 24 * 3600 * S_NS);
	assert_true(vm.expect_stopped);
	assert_true(start + vm.timeout_ns > start);
	assert_true((int64_t)vm.timeout_ns > 0);
}

static void test_timeout_bad(void **state)
{
	assert_int_equal(parse("timeout=nonee"), -1);
	assert_true(log_stub_contains("timeout= whole seconds 1..3600 or 'none'"));
	assert_int_equal(parse("timeout=0"), -1);
	assert_int_equal(parse("timeout=none1"), -1);
}

/* A run that exited as expected passes only if no earlier run failed. */
static void test_verdict_counts_earlier_runs(void **state)
{
	assert_int_equal(parse("expect=0"), 0);
	vm.started = true;
	vm.exited = true;
	vm.status = 0;
	checks = checks_failed = 0;
	assert_true(vm_run_verdict(&vm));
	assert_true(vm_verdict(&vm));
	assert_int_equal(checks_failed, 0);

	vm.restarts_done = 2;
	vm.runs_failed = 1;
	assert_true(vm_run_verdict(&vm));	/* this run alone is fine */
	checks = checks_failed = 0;
	assert_false(vm_verdict(&vm));
	assert_int_equal(checks, 2);	/* the run's line and the earlier runs' */
	assert_int_equal(checks_failed, 1);

	/* And the last run failing fails it without earlier failures too. */
	vm.runs_failed = 0;
	vm.status = 3;
	assert_false(vm_verdict(&vm));
}

/* The test-only cross-CPU posts (vmm/vm_xpost.c): all three words, the
 * period's default, and words of the guest's that merely start alike. */
static void test_xpost(void **state)
{
	assert_int_equal(parse("xpost=50 xpost_vec=34 xpost_ms=5 hlt=1"), 0);
	assert_int_equal(vm.xpost.count, 50);
	assert_int_equal(vm.xpost.vector, 34);
	assert_int_equal(vm.xpost.period_ms, 5);
	assert_int_equal(parse("xpost_vec=254 xpost=1"), 0);
	assert_int_equal(vm.xpost.period_ms, 10);
	assert_int_equal(vm.xpost.vector, 254);
	assert_int_equal(parse("xposture=3 expect=0"), 0);
	assert_int_equal(vm.xpost.count, 0);
}

/* Malformed: refused with the range named, never half-applied silently. */
static void test_xpost_bad(void **state)
{
	assert_int_equal(parse("xpost=50"), -1);
	assert_true(log_stub_contains("xpost= needs xpost_vec="));
	assert_int_equal(parse("xpost=50 xpost_vec=31"), -1);
	assert_true(log_stub_contains("xpost_vec= takes a decimal number 32..254"));
	assert_int_equal(parse("xpost=0 xpost_vec=34"), -1);
	assert_int_equal(parse("xpost=100001 xpost_vec=34"), -1);
	assert_int_equal(parse("xpost=5 xpost_vec=0x22"), -1);
	assert_int_equal(parse("xpost=5 xpost_vec=34 xpost_ms=0"), -1);
	assert_true(log_stub_contains("xpost_ms= takes a decimal number 1..10000"));
	assert_int_equal(parse("xpost=5 xpost_vec=34 xpost_ms=-1"), -1);
}

/* make bench's window marks (vmm/vm_exit_stats.c): the text is kept as
 * given; empty or too long is refused. */
static void test_exits_mark(void **state)
{
	assert_int_equal(parse("expect=0"), 0);
	assert_string_equal(vm.exits_mark, "");
	assert_int_equal(parse("exits_mark=linux-guest: timeout=9"), 0);
	assert_string_equal(vm.exits_mark, "linux-guest:");
	assert_int_equal(vm.timeout_ns, 9000000000ull);
	assert_int_equal(parse("exits_mark="), -1);
	assert_true(log_stub_contains("exits_mark= takes a text of 1..31 characters"));
	assert_int_equal(parse("exits_mark=0123456789012345678901234567890"), 0);
	assert_int_equal(strlen(vm.exits_mark), 31);
	assert_int_equal(parse("exits_mark=01234567890123456789012345678901"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_timeout),
		cmocka_unit_test(test_timeout_seconds),
		cmocka_unit_test(test_timeout_none),
		cmocka_unit_test(test_timeout_bad),
		cmocka_unit_test(test_verdict_counts_earlier_runs),
		cmocka_unit_test(test_xpost),
		cmocka_unit_test(test_xpost_bad),
		cmocka_unit_test(test_exits_mark),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
