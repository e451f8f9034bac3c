// SPDX-License-Identifier: MIT
/*
 * Guest runtime: start-up, hypercalls, console, IDT, timer.
 */
#include "guest-tests/rt/rt.h"
#include "lib/format.h"
#include "lib/string.h"

const struct hv_boot_info *rt_bi;

/* ---- hypercalls: VMMCALL on SVM, VMCALL on VMX ------------------------ */

/* Each hypercall is a VM exit this guest caused: the one kind it can count. */
static u64 hypercalls;

u64 rt_hypercalls(void)
{
	return hypercalls;
}

u64 rt_vm_exits(void)
{
	if (rt_bi->version < 5)
		return 0;
	return *(const volatile u64 *)&rt_bi->vm_exits;
}

s64 hypercall(u64 nr, u64 a0, u64 a1, u64 a2)
{
	s64 ret;

	hypercalls++;
	if (rt_bi->hypercall_insn == HV_HCALL_VMCALL)
		__asm__ volatile("vmcall" : "=a"(ret)
				 : "a"(nr), "D"(a0), "S"(a1), "d"(a2)
				 : "memory");
	else
		__asm__ volatile("vmmcall" : "=a"(ret)
				 : "a"(nr), "D"(a0), "S"(a1), "d"(a2)
				 : "memory");
	return ret;
}

void rt_exit(s64 status)
{
	hypercall(HC_EXIT, (u64)status, 0, 0);
	for (;;)
		hlt();
}

/*
 * Time from the TSC when the boot info gives its frequency (ABI version 3):
 * RDTSC costs no VM exit, so a polling network guest can read the clock per
 * packet. The hypercall's clock anchors it once at start-up, so both
 * sources count from the guest's start.
 */
static u64 tsc0, tsc_hz, ns0;

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static void time_init(const struct hv_boot_info *bi)
{
	if (bi->version < 3 || !bi->tsc_hz)
		return;
	ns0 = (u64)hypercall(HC_TIME_NS, 0, 0, 0);
	tsc0 = rdtsc();
	tsc_hz = bi->tsc_hz;
}

bool rt_time_from_tsc(void)
{
	return tsc_hz != 0;
}

u64 rt_time_ns(void)
{
	u64 d;

	if (!tsc_hz)
		return (u64)hypercall(HC_TIME_NS, 0, 0, 0);
	d = rdtsc() - tsc0;
	/* Split so d * 10^9 cannot overflow 64 bits. */
	return ns0 + d / tsc_hz * 1000000000ull +
	       d % tsc_hz * 1000000000ull / tsc_hz;
}

/* ---- console: printf buffers a line, one hypercall per line ------------ */

struct outbuf {
	char buf[256];
	u32 len;
};

static void flush(struct outbuf *o)
{
	if (o->len)
		hypercall(HC_CONSOLE_WRITE, (u64)o->buf, o->len, 0);
	o->len = 0;
}

static void out_putc(void *ctx, char c)
{
	struct outbuf *o = ctx;

	o->buf[o->len++] = c;
	if (c == '\n' || o->len == sizeof(o->buf))
		flush(o);
}

int printf(const char *fmt, ...)
{
	struct outbuf o = { .len = 0 };
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vformat(out_putc, &o, fmt, ap);
	va_end(ap);
	flush(&o);
	return n;
}

void uart_puts(const char *s)
{
	for (; *s; s++) {
		while (!(inb(HV_UART_BASE + HV_UART_LSR) & HV_UART_LSR_THRE))
			;
		outb(HV_UART_BASE + HV_UART_THR, (u8)*s);
	}
}

/* ---- ports ------------------------------------------------------------- */

/* IN/OUT of 1, 2 or 4 bytes (SDM Vol. 2A, IN and OUT). */
u32 pio_in(u16 port, u8 size)
{
	u32 v = 0;

	if (size == 1)
		__asm__ volatile("inb %w1, %b0" : "+a"(v) : "Nd"(port));
	else if (size == 2)
		__asm__ volatile("inw %w1, %w0" : "+a"(v) : "Nd"(port));
	else
		__asm__ volatile("inl %w1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void pio_out(u16 port, u8 size, u32 v)
{
	if (size == 1)
		__asm__ volatile("outb %b0, %w1" : : "a"(v), "Nd"(port));
	else if (size == 2)
		__asm__ volatile("outw %w0, %w1" : : "a"(v), "Nd"(port));
	else
		__asm__ volatile("outl %0, %w1" : : "a"(v), "Nd"(port));
}

/* ---- MSRs -------------------------------------------------------------- */

u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

void wrmsr(u32 msr, u64 v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32))
			 : "memory");
}

/* ---- IDT --------------------------------------------------------------- */

struct idt_gate {
	u16 off_lo, sel;
	u8 ist, type;
	u16 off_mid;
	u32 off_hi, zero;
} __packed;

static struct idt_gate idt[256] __aligned(16);
static rt_handler_t handlers[256];
static void (*tick_fn)(void);
static bool oneshot_mode;	/* LVT and divider already set one-shot */

#define DECL(n) extern char isr_##n[];
DECL(0) DECL(1) DECL(2) DECL(3) DECL(4) DECL(5) DECL(6) DECL(7) DECL(8)
DECL(9) DECL(10) DECL(11) DECL(12) DECL(13) DECL(14) DECL(16) DECL(17)
DECL(18) DECL(19) DECL(32) DECL(33) DECL(34) DECL(35)

/* The gates name the code segment we run on: HV_GUEST_CS under our ABI,
 * another one when the VMM entered us as Linux (guest-tests/rt/bzhdr.S). */
static void set_gate(u8 vec, void *fn)
{
	u64 a = (u64)fn;
	u16 cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	idt[vec] = (struct idt_gate){ (u16)a, cs, 0, 0x8e,
				      (u16)(a >> 16), (u32)(a >> 32), 0 };
}

static void idt_init(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed idtr = { sizeof(idt) - 1, (u64)idt };
	void *stubs[] = { isr_0, isr_1, isr_2, isr_3, isr_4, isr_5, isr_6,
			  isr_7, isr_8, isr_9, isr_10, isr_11, isr_12,
			  isr_13, isr_14, NULL, isr_16, isr_17, isr_18,
			  isr_19 };
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(stubs); i++)
		if (stubs[i])
			set_gate((u8)i, stubs[i]);
	set_gate(32, isr_32);
	set_gate(33, isr_33);
	set_gate(34, isr_34);
	set_gate(35, isr_35);
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void rt_set_handler(u8 vector, rt_handler_t h)
{
	handlers[vector] = h;
}

void rt_trap(struct rt_frame *f)
{
	if (f->vector == RT_TIMER_VECTOR) {
		if (tick_fn)
			tick_fn();
		wrmsr(HV_MSR_X2APIC_EOI, 0);
		return;
	}
	if (handlers[f->vector] && handlers[f->vector](f))
		return;
	printf("unexpected exception %llu, error %#llx, at RIP %#llx\n",
	       f->vector, f->error_code, f->rip);
	rt_exit(99);
}

/* ---- virtual x2APIC timer (SDM Vol. 3A §11.5.4) ------------------------- */

void rt_timer_start(u32 hz, void (*tick)(void))
{
	tick_fn = tick;
	oneshot_mode = false;
	wrmsr(HV_MSR_X2APIC_TIMER_DIV, 0xb);	/* divide by 1 */
	wrmsr(HV_MSR_X2APIC_LVT_TIMER, RT_TIMER_VECTOR | HV_LVT_PERIODIC);
	wrmsr(HV_MSR_X2APIC_TIMER_INIT, rt_bi->vtimer_hz / hz);
}

/*
 * One-shot: the LVT and divider are written only when the timer was not
 * one-shot already, so re-arming costs one MSR write (one VM exit). The
 * count is 32 bits: a far deadline is cut to about 42 s (the caller's
 * loop re-arms when it wakes early).
 */
#define ONESHOT_MAX_NS 40000000000ull

void rt_timer_oneshot(u64 ns, void (*tick)(void))
{
	u64 count = MIN(ns, ONESHOT_MAX_NS) * rt_bi->vtimer_hz / 1000000000ull;

	tick_fn = tick;
	if (!oneshot_mode) {
		wrmsr(HV_MSR_X2APIC_TIMER_DIV, 0xb);	/* divide by 1 */
		wrmsr(HV_MSR_X2APIC_LVT_TIMER, RT_TIMER_VECTOR);
		oneshot_mode = true;
	}
	wrmsr(HV_MSR_X2APIC_TIMER_INIT, MAX(count, 1));
}

void rt_timer_stop(void)
{
	oneshot_mode = false;
	wrmsr(HV_MSR_X2APIC_TIMER_INIT, 0);
	wrmsr(HV_MSR_X2APIC_LVT_TIMER, HV_LVT_MASKED);
}

/* ---- command line ------------------------------------------------------- */

s64 rt_cmdline_num(const char *key, s64 def)
{
	const char *p = rt_bi->cmdline;
	size_t klen = strlen(key);

	while (*p) {
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			s64 v = 0, sign = 1;

			p += klen + 1;
			if (*p == '-') {
				sign = -1;
				p++;
			}
			while (lib_isdigit(*p))
				v = v * 10 + (*p++ - '0');
			return sign * v;
		}
		while (*p && *p != ' ')
			p++;
		while (*p == ' ')
			p++;
	}
	return def;
}

void rt_start(const struct hv_boot_info *bi)
{
	rt_bi = bi;
	if (bi->magic != HV_GUEST_BOOTINFO_MAGIC)
		for (;;)
			hlt();	/* no way to talk to anyone */
	idt_init();
	time_init(bi);
	rt_exit(guest_main(bi));
}
