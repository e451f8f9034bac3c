/* SPDX-License-Identifier: MIT */
/*
 * The guest runtime: what a test guest needs and nothing more. Hypercalls
 * (lib/hv_abi.h), printf to the hypervisor console, an IDT with handlers,
 * the virtual x2APIC timer.
 *
 * A guest defines int guest_main(const struct hv_boot_info *bi); its
 * return value is the exit status.
 */
#ifndef GUEST_RT_H
#define GUEST_RT_H

#include "lib/hv_abi.h"
#include "lib/types.h"

struct rt_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error_code;
	u64 rip, cs, rflags, rsp, ss;
};

#define RT_TIMER_VECTOR 32

int guest_main(const struct hv_boot_info *bi);
/* The entry's C half (rt/start.S; rt/bzentry.c for a bzImage guest). */
void __noreturn rt_start(const struct hv_boot_info *bi);

s64 hypercall(u64 nr, u64 a0, u64 a1, u64 a2);
/* Hypercalls made so far: the VM exits this guest caused on purpose. */
u64 rt_hypercalls(void);
/* Every VM exit of this guest so far, as the VMM counts them (boot info,
 * ABI version 5; 0 before): read without an exit. */
u64 rt_vm_exits(void);
void __noreturn rt_exit(s64 status);
int printf(const char *fmt, ...) __printf(1, 2);
void uart_puts(const char *s);	/* through the virtual 16550 */
/* ns since the guest started: from the TSC (no exit) if the boot info
 * gives tsc_hz, else HC_TIME_NS; rt_time_from_tsc() says which. */
u64 rt_time_ns(void);
bool rt_time_from_tsc(void);

/* Exceptions: a handler returns true if it fixed the cause (it may move
 * frame->rip); otherwise the guest reports the fault and exits 99. */
typedef bool (*rt_handler_t)(struct rt_frame *f);
void rt_set_handler(u8 vector, rt_handler_t h);

/* Periodic virtual APIC timer at hz, calling tick() from the interrupt. */
void rt_timer_start(u32 hz, void (*tick)(void));
/* One-shot virtual APIC timer: tick() once, ns from now. */
void rt_timer_oneshot(u64 ns, void (*tick)(void));
void rt_timer_stop(void);

u64 rdmsr(u32 msr);
void wrmsr(u32 msr, u64 v);
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
/*
 * Sleeps until an interrupt, for a caller that checked its wake-up
 * condition with IF clear: the STI shadow holds a pending interrupt until
 * the hlt has begun, so one landing after the check still ends the hlt
 * (a plain sti(); hlt() pair could sleep through it). Returns with IF set.
 */
static inline void sti_hlt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }
/* xorshift64 (Marsaglia): reproducible garbage from a nonzero *state. */
static inline u64 rt_xorshift64(u64 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}
static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* IN/OUT of size 1, 2 or 4 bytes; a smaller IN is zero-extended. */
u32 pio_in(u16 port, u8 size);
void pio_out(u16 port, u8 size, u32 v);

/* "key=N" from the command line, or def. */
s64 rt_cmdline_num(const char *key, s64 def);

extern const struct hv_boot_info *rt_bi;

#endif
