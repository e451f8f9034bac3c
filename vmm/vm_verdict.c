// SPDX-License-Identifier: MIT
/*
 * What a test run expects of a guest (its cmdline's expect= and timeout=)
 * and whether it did that: one self-test check per guest run.
 */
#define LOG_SUBSYS "vmm"
#include "kernel/log.h"
#include "kernel/selftest.h"
#include "lib/string.h"
#include "vmm/vm.h"

#define DEFAULT_TIMEOUT_S 60

#define MAX_TIMEOUT_S 3600
/*
 * "timeout=none": a server guest (make run's web guest) that runs until
 * the machine is switched off. The hypervisor keeps waiting for it; its
 * limit is far enough away that start_ns + limit cannot wrap.
 */
#define TIMEOUT_NONE_NS ((u64)INT64_MAX / 2)

/* A decimal number (optionally negative) filling w[0..n); false if not. */
static bool parse_num(const char *w, size_t n, bool sign_ok, s64 *out)
{
	s64 v = 0, sign = 1;
	size_t i = 0;

	if (sign_ok && n && w[0] == '-') {
		sign = -1;
		i++;
	}
	if (i == n || n - i > 18)
		return false;
	for (; i < n; i++) {
		if (!lib_isdigit(w[i]))
			return false;
		v = v * 10 + (w[i] - '0');
	}
	*out = sign * v;
	return true;
}

/*
 * The test-only cross-CPU posts (vmm/vm_xpost.c): "xpost=N" interrupts,
 * "xpost_vec=V" (decimal, the guest reads it too), "xpost_ms=M" apart.
 * Other "xpost..." words are the guest's. False (logged) if malformed.
 */
static bool parse_xpost(struct vm *vm, const char *w, size_t n)
{
	static const struct { const char *key; s64 lo, hi; } k[] = {
		{ "xpost=", 1, 100000 }, { "xpost_vec=", 32, 254 },
		{ "xpost_ms=", 1, 10000 },
	};
	size_t i, kl;
	s64 v;

	for (i = 0; i < ARRAY_SIZE(k); i++) {
		kl = strlen(k[i].key);
		if (n >= kl && !strncmp(w, k[i].key, kl))
			break;
	}
	if (i == ARRAY_SIZE(k))
		return true;
	if (!parse_num(w + kl, n - kl, false, &v) || v < k[i].lo ||
	    v > k[i].hi) {
		pr_err("%s: cmdline word '%.*s': %s takes a decimal number %lld..%lld\n",
		       vm->name, (int)n, w, k[i].key, k[i].lo, k[i].hi);
		return false;
	}
	if (i == 0)
		vm->xpost.count = (u32)v;
	else if (i == 1)
		vm->xpost.vector = (u8)v;
	else
		vm->xpost.period_ms = (u32)v;
	return true;
}

/*
 * "exits_mark=TEXT" (vmm/vm_exit_stats.c): the exit counts are logged at
 * each console line starting with TEXT. False (logged) if TEXT is empty
 * or longer than VM_MARK_MAX - 1.
 */
static bool parse_mark(struct vm *vm, const char *text, size_t n)
{
	if (!n || n >= sizeof(vm->exits_mark)) {
		pr_err("%s: cmdline: exits_mark= takes a text of 1..%zu characters\n",
		       vm->name, sizeof(vm->exits_mark) - 1);
		return false;
	}
	memcpy(vm->exits_mark, text, n);
	vm->exits_mark[n] = '\0';
	return true;
}

/* One "expect=..." or "timeout=..." word; false (logged) if malformed. */
static bool parse_word(struct vm *vm, const char *w, size_t n)
{
	s64 v;

	if (n >= 7 && !strncmp(w, "expect=", 7)) {
		if (n == 14 && !strncmp(w + 7, "stopped", 7))
			vm->expect_stopped = true;
		else if (parse_num(w + 7, n - 7, true, &v))
			vm->expect_status = v;
		else
			goto bad;
	} else if (n == 12 && !strncmp(w, "timeout=none", 12)) {
		vm->timeout_ns = TIMEOUT_NONE_NS;
	} else if (n >= 8 && !strncmp(w, "timeout=", 8)) {
		if (!parse_num(w + 8, n - 8, false, &v) || v < 1 ||
		    v > MAX_TIMEOUT_S)
			goto bad;
		vm->timeout_ns = (u64)v * 1000000000ull;
	} else if (n > 5 && !strncmp(w, "xpost", 5)) {
		return parse_xpost(vm, w, n);
	} else if (n >= 11 && !strncmp(w, "exits_mark=", 11)) {
		return parse_mark(vm, w + 11, n - 11);
	}
	return true;
bad:
	pr_err("%s: cmdline word '%.*s': expect= takes a number or 'stopped', timeout= whole seconds 1..%u or 'none'\n",
	       vm->name, (int)n, w, MAX_TIMEOUT_S);
	return false;
}

/*
 * "expect=N", "expect=stopped", "timeout=S"; other words are the guest's.
 * Returns -1 if one of ours is malformed: a test that cannot say what it
 * expects must not run (and pass by default).
 */
int vm_parse_cmdline(struct vm *vm)
{
	const char *p = vm->cfg->cmdline;
	int rc = 0;

	vm->expect_status = 0;
	vm->timeout_ns = DEFAULT_TIMEOUT_S * 1000000000ull;
	memset(&vm->xpost, 0, sizeof(vm->xpost));
	vm->xpost.period_ms = 10;
	vm->exits_mark[0] = '\0';
	while (*p) {
		const char *w = p;
		size_t n = 0;

		while (w[n] && w[n] != ' ')
			n++;
		if (!parse_word(vm, w, n))
			rc = -1;
		p = w + n;
		while (*p == ' ')
			p++;
	}
	if (vm->xpost.count && !vm->xpost.vector) {
		pr_err("%s: cmdline: xpost= needs xpost_vec= (the guest's handler reads it too)\n",
		       vm->name);
		rc = -1;
	}
	return rc;
}

bool vm_run_verdict(struct vm *vm)
{
	bool ok;

	/* The other guests still ran; a guest that could not is a failure. */
	if (!vm->started) {
		selftest_check(false, vm->name, "not started");
		return false;
	}
	if (vm->expect_stopped) {
		ok = !vm->exited;
		if (ok)
			selftest_check(true, vm->name, "expected to be stopped: stopped: %s",
				       vm->stop_reason);
		else
			selftest_check(false, vm->name, "expected to be stopped: exited with status %lld",
				       vm->status);
		return ok;
	}
	ok = vm->exited && vm->status == vm->expect_status;
	if (vm->exited)
		selftest_check(ok, vm->name, "exit status %lld, expected %lld",
			       vm->status, vm->expect_status);
	else
		selftest_check(false, vm->name, "stopped (%s), expected exit status %lld",
			       vm->stop_reason, vm->expect_status);
	return ok;
}

/* The last run, and every earlier one (restart = N) a restart judged. */
bool vm_verdict(struct vm *vm)
{
	bool ok = vm_run_verdict(vm);

	if (vm->runs_failed) {
		selftest_check(false, vm->name, "%u of its %u earlier run(s) missed the expectation",
			       vm->runs_failed, vm->restarts_done);
		ok = false;
	}
	return ok;
}
