// SPDX-License-Identifier: MIT
/*
 * hostile: a guest that attacks the CPU side of the hypervisor, one attack
 * per run, chosen by "attack=N" on its command line (see the table below).
 * It runs beside a victim guest that must finish normally; the boot test
 * tests/boot/attack_cpu.sh checks both.
 *
 *   1 spin-cli   cli; spin forever: must be stopped at its timeout
 *   2 spin-sti   sti; spin forever (no timer armed): the same
 *   3 triple     no IDT, then a fault: triple fault, stopped
 *   4 insn       every sensitive instruction class of both backends: the
 *                virtualization and SMX/XSAVE/MONITOR ones raise #UD, the
 *                cache flushes are stepped over; exits 0 if so
 *   5 msr        20,000 accesses to random MSRs: each #GP, exits 0
 *   6 hcall      100,000 hypercalls with random numbers and arguments:
 *                no crash, no hang, exits 0
 *   7 flood      20,000 console lines as fast as it can: exits 0
 *   8 storm      the virtual APIC timer at its shortest period for 1 s:
 *                exits 0
 *   9 hlt-cli    cli; hlt: it would never wake, so it is stopped
 */
#include "guest-tests/rt/rt.h"

enum { SPIN_CLI = 1, SPIN_STI, TRIPLE, INSN, MSR, HCALL, FLOOD, STORM, HLT_CLI };

static u64 rng = 0x9e3779b97f4a7c15ull;

static u64 rand64(void)
{
	return rt_xorshift64(&rng);
}

/* ---- sensitive instructions ------------------------------------------- */

static volatile u32 ud_count, gp_count;
static volatile u64 skip_len;

/* #UD: step over the faulting instruction, whose length we know. */
static bool on_ud(struct rt_frame *f)
{
	ud_count++;
	f->rip += skip_len;
	return true;
}

static bool on_gp(struct rt_frame *f)
{
	gp_count++;
	f->rip += 2;	/* rdmsr 0f 32 / wrmsr 0f 30 */
	return true;
}

/* The instruction's length for the #UD handler is cases[i].len. */
#define TRY(insn) \
	__asm__ volatile(insn ::: "memory", "rax", "rcx", "rdx")

/*
 * Each sensitive instruction, by the backend that must intercept it. The
 * other vendor's instructions are tried too, but only reported: they are
 * not the hypervisor's to handle (the CPU raises #UD by itself, or an
 * emulator may not).
 */
enum { BOTH, SVM, VMX };	/* which backend intercepts it */

struct ud_case {
	const char *name;
	u8 len;		/* bytes, for the #UD handler to step over */
	u8 backend;
};

static const struct ud_case cases[] = {
	{ "vmrun", 3, SVM }, { "vmload", 3, SVM }, { "vmsave", 3, SVM },
	{ "clgi", 3, SVM }, { "stgi", 3, SVM }, { "skinit", 3, SVM },
	{ "invlpga", 3, SVM }, { "xsetbv", 3, BOTH }, { "vmxon", 4, VMX },
	{ "vmptrld", 3, VMX }, { "vmxoff", 3, VMX }, { "getsec", 2, VMX },
	{ "monitor", 3, BOTH }, { "mwait", 3, BOTH },
};

static void try_insn(u32 i)
{
	u64 vmcs = 0;

	skip_len = cases[i].len;
	switch (i) {
	case 0: TRY("xor %%eax, %%eax; vmrun"); break;
	case 1: TRY("xor %%eax, %%eax; vmload"); break;
	case 2: TRY("xor %%eax, %%eax; vmsave"); break;
	case 3: TRY("clgi"); break;
	case 4: TRY("stgi"); break;
	case 5: TRY("xor %%eax, %%eax; skinit"); break;
	case 6: TRY("xor %%eax, %%eax; xor %%ecx, %%ecx; invlpga"); break;
	case 7: TRY("xor %%ecx, %%ecx; xor %%eax, %%eax; xor %%edx, %%edx; xsetbv"); break;
	case 8:	/* f3 0f c7 30 */
		__asm__ volatile("vmxon (%0)" :: "r"(&vmcs) : "memory");
		break;
	case 9:	/* 0f c7 30 */
		__asm__ volatile("vmptrld (%0)" :: "r"(&vmcs) : "memory");
		break;
	case 10: TRY("vmxoff"); break;
	case 11: TRY("xor %%eax, %%eax; getsec"); break;
	case 12: TRY("xor %%eax, %%eax; xor %%ecx, %%ecx; xor %%edx, %%edx; monitor"); break;
	case 13: TRY("xor %%eax, %%eax; xor %%ecx, %%ecx; mwait"); break;
	}
}

static int attack_insn(void)
{
	u32 i, want = 0, got = 0;

	rt_set_handler(6, on_ud);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u8 mine = rt_bi->hypercall_insn == HV_HCALL_VMCALL ? VMX : SVM;
		bool ours = cases[i].backend == BOTH ||
			    cases[i].backend == mine;
		u32 before = ud_count;

		try_insn(i);
		printf("hostile: %s: %s%s\n", cases[i].name,
		       ud_count == before + 1 ? "#UD" : "NO #UD",
		       ours ? "" : " (the other vendor's: not intercepted)");
		want += ours;
		got += ours && ud_count == before + 1;
	}
	__asm__ volatile("wbinvd; invd" ::: "memory");
	printf("hostile: wbinvd, invd: stepped over\n");
	printf("hostile: %u of %u intercepted instructions raised #UD\n", got,
	       want);
	return got == want ? 0 : 1;
}

/* ---- MSRs, hypercalls, console, timer ---------------------------------- */

static int attack_msr(void)
{
	u32 i, n = 20000;

	rt_set_handler(13, on_gp);
	for (i = 0; i < n; i++) {
		/* random MSR numbers, away from the x2APIC timer the VMM
		 * emulates, so that every access must be refused */
		u32 msr = (u32)rand64() | 0x40000000u;

		if (i & 1)
			wrmsr(msr, rand64());
		else
			(void)rdmsr(msr);
	}
	printf("hostile: %u MSR accesses, %u #GP\n", n, gp_count);
	return gp_count == n ? 0 : 1;
}

static int attack_hcall(void)
{
	u32 i, n = 100000, ok = 0;

	for (i = 0; i < n; i++) {
		u64 nr = rand64() & 0xff;
		s64 r;

		/* never HC_EXIT (that ends the attack) nor a long sleep */
		if (nr == HC_EXIT || nr == HC_SLEEP_NS)
			nr = 0x1000 + nr;
		if ((i & 3) == 0)
			nr = HC_CONSOLE_WRITE;	/* random addresses and lengths */
		r = hypercall(nr, rand64(), rand64() & 0x1ffff, rand64());
		ok += r != HC_ENOSYS;
	}
	printf("hostile: %u random hypercalls, %u not ENOSYS\n", n, ok);
	return 0;
}

static int attack_flood(void)
{
	u32 i;

	for (i = 0; i < 20000; i++)
		printf("hostile: flood line %u\n", i);
	return 0;
}

#define X2APIC_LVT_TIMER 0x832
#define X2APIC_INIT_COUNT 0x838
#define X2APIC_DIV_CONF 0x83e
#define LVT_PERIODIC BIT(17)

static volatile u64 storm_ticks;

static void storm_tick(void)
{
	storm_ticks++;
}

static int attack_storm(void)
{
	u64 t0;

	rt_timer_start(1000, storm_tick);	/* installs the handler */
	wrmsr(X2APIC_DIV_CONF, 0xb);		/* divide by 1 */
	wrmsr(X2APIC_LVT_TIMER, LVT_PERIODIC | RT_TIMER_VECTOR);
	wrmsr(X2APIC_INIT_COUNT, 1);		/* as short as it gets */
	t0 = rt_time_ns();
	sti();
	while (rt_time_ns() - t0 < 1000000000ull)
		;
	cli();
	rt_timer_stop();
	printf("hostile: timer storm: %llu ticks in 1 s\n", (u64)storm_ticks);
	return 0;
}

int guest_main(const struct hv_boot_info *bi)
{
	s64 attack = rt_cmdline_num("attack", 0);

	printf("hostile: %s: attack %lld\n", bi->name, attack);
	switch (attack) {
	case SPIN_CLI:
		cli();
		for (;;)
			__asm__ volatile("" ::: "memory");
	case SPIN_STI:
		sti();
		for (;;)
			__asm__ volatile("" ::: "memory");
	case TRIPLE: {
		struct { u16 limit; u64 base; } __attribute__((packed)) idt = { 0, 0 };

		__asm__ volatile("lidt %0; int3" :: "m"(idt) : "memory");
		return 2;
	}
	case INSN:
		return attack_insn();
	case MSR:
		return attack_msr();
	case HCALL:
		return attack_hcall();
	case FLOOD:
		return attack_flood();
	case STORM:
		return attack_storm();
	case HLT_CLI:
		cli();
		hlt();
		return 4;
	}
	printf("hostile: no such attack %lld\n", attack);
	return 3;
}
