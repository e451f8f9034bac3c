// SPDX-License-Identifier: MIT
/*
 * xirq: takes the interrupts the hypervisor raises for it from another
 * CPU (cmdline "xpost=N xpost_vec=V", which the VMM reads too; see
 * vmm/vm_xpost.c). A handler for V counts and EOIs; the guest waits with
 * interrupts on, spinning (no exit of its own; "hlt=1": halting instead)
 * until N have come, then spins "linger_ms=" (default 100) more for any
 * extra one before it prints the count. Exits 0 if exactly N came, 1 if
 * more, 2 if the cmdline is unusable; fewer and the VMM stops it at its
 * timeout.
 *
 * The runtime has gates for vectors 33..35 only (guest-tests/rt), so V
 * must be one of those.
 */
#include "guest-tests/rt/rt.h"

#define FIRST_GATE 33
#define LAST_GATE 35
#define NS_PER_MS 1000000ull

static volatile u64 received;
static volatile u64 wrong_vector;
static u8 want_vector;

static bool on_xpost(struct rt_frame *f)
{
	if (f->vector == want_vector)
		received++;
	else
		wrong_vector++;
	wrmsr(HV_MSR_X2APIC_EOI, 0);
	return true;
}

/* Halting, each check is made with IF clear and left by sti_hlt(). */
static void wait_for(u64 n, bool halt)
{
	if (!halt) {
		sti();
		while (received < n)
			__asm__ volatile("pause" ::: "memory");
		cli();
		return;
	}
	for (cli(); received < n; cli())
		sti_hlt();
}

/* Spins with interrupts on for ms (a hlt could sleep to the timeout). */
static void linger(u64 ms)
{
	u64 t0 = rt_time_ns();

	sti();
	while (rt_time_ns() - t0 < ms * NS_PER_MS)
		__asm__ volatile("pause" ::: "memory");
	cli();
}

int guest_main(const struct hv_boot_info *bi)
{
	s64 n = rt_cmdline_num("xpost", 0);
	s64 vec = rt_cmdline_num("xpost_vec", 0);
	bool halt = rt_cmdline_num("hlt", 0) != 0;
	s64 linger_ms = rt_cmdline_num("linger_ms", 100);

	if (n < 1 || vec < FIRST_GATE || vec > LAST_GATE || linger_ms < 0) {
		printf("xirq: needs xpost=N (N >= 1) and xpost_vec=%u..%u, linger_ms >= 0\n",
		       FIRST_GATE, LAST_GATE);
		return 2;
	}
	want_vector = (u8)vec;
	rt_set_handler(want_vector, on_xpost);
	printf("xirq: %s: waiting for %lld interrupts at vector %lld by %s\n",
	       bi->name, n, vec, halt ? "hlt" : "spinning");
	wait_for((u64)n, halt);
	linger((u64)linger_ms);
	printf("xirq: %llu of %lld interrupts at vector %lld received, %llu at another vector\n",
	       (u64)received, n, vec, (u64)wrong_vector);
	return received == (u64)n && !wrong_vector ? 0 : 1;
}
