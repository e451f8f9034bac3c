/* SPDX-License-Identifier: MIT */
/*
 * Thin wrappers around x86-64 instructions and architectural registers.
 * MSR and CR bit names follow the Intel SDM (Vol. 3A §2.5, Vol. 4).
 */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include "lib/types.h"

#define CR0_PE BIT(0)
#define CR0_MP BIT(1)
#define CR0_NE BIT(5)
#define CR0_WP BIT(16) /* supervisor writes honour read-only pages */
#define CR0_PG BIT(31)
#define CR4_PAE BIT(5)
#define CR4_PGE BIT(7)
#define CR4_OSFXSR BIT(9)
#define CR4_VMXE BIT(13)

#define MSR_APIC_BASE 0x1b
#define MSR_FEATURE_CONTROL 0x3a
#define MSR_EFER 0xc0000080
#define EFER_SCE BIT(0)
#define EFER_LME BIT(8)
#define EFER_LMA BIT(10)
#define EFER_NXE BIT(11)
#define EFER_SVME BIT(12)
#define MSR_GS_BASE 0xc0000101
#define MSR_FS_BASE 0xc0000100
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_CSTAR 0xc0000083
#define MSR_SFMASK 0xc0000084
#define MSR_TSC_AUX 0xc0000103	/* read by RDTSCP and RDPID */
#define MSR_SYSENTER_CS 0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_SYSENTER_EIP 0x176
#define MSR_TSC_DEADLINE 0x6e0
#define MSR_MISC_ENABLE 0x1a0	/* Intel's; Vol. 4 Table 2-2 */
#define MISC_ENABLE_FAST_STRING BIT(0)
#define MISC_ENABLE_BTS_UNAVAIL BIT(11)
#define MISC_ENABLE_PEBS_UNAVAIL BIT(12)

/* CPUID leaf 1 / 0x80000001 feature bits (SDM Vol. 2A, CPUID). */
#define CPUID1_ECX_MONITOR BIT(3)
#define CPUID1_ECX_VMX BIT(5)
#define CPUID1_ECX_SMX BIT(6)
#define CPUID1_ECX_X2APIC BIT(21)
#define CPUID1_ECX_TSC_DEADLINE BIT(24)
#define CPUID1_ECX_XSAVE BIT(26)
#define CPUID1_ECX_OSXSAVE BIT(27)
#define CPUID1_ECX_HYPERVISOR BIT(31)
#define CPUID1_EDX_MCE BIT(7)
#define CPUID1_EDX_APIC BIT(9)
#define CPUID1_EDX_MCA BIT(14)
#define CPUID1_EDX_ACPI BIT(22)	/* thermal monitor, clock control */
#define CPUID1_EDX_HTT BIT(28)		/* EBX[23:16] counts logical CPUs */
#define CPUID1_EDX_TM BIT(29)
#define CPUID1_ECX_TM2 BIT(8)
#define CPUID1_EBX_NPROC_MASK (0xffu << 16)
#define CPUID_LEAF_CACHE 4		/* EAX[31:14]: CPUs sharing, cores */
#define CPUID4_EAX_SHARING_MASK (0x3ffffu << 14)
#define CPUID7_ECX_LA57 BIT(16)		/* leaf 7 subleaf 0 */
#define CPUID7_ECX_RDPID BIT(22)
#define CPUID7_EBX_INVPCID BIT(10)
#define CPUID_LEAF_POWER 6
#define CPUID6_EAX_ARAT BIT(2)		/* APIC timer always running */
#define CPUID_LEAF_TOPOLOGY 0xb		/* EDX: this CPU's x2APIC ID */
#define CPUID_LEAF_TOPOLOGY2 0x1f
#define CPUID_LEAF_AMD_TOPOLOGY 0x8000001e	/* EAX: extended APIC ID */
#define CPUID81_ECX_SVM BIT(2)
#define CPUID81_EDX_NX BIT(20)
#define CPUID81_EDX_PAGE1G BIT(26)
#define CPUID81_EDX_RDTSCP BIT(27)

#define RFLAGS_IF BIT(9)
#define RFLAGS_DF BIT(10)	/* string instructions count down */

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(u32 leaf, u32 subleaf)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

static inline u8 inb(u16 port)
{
	u8 v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u16 inw(u16 port)
{
	u16 v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(u16 port, u16 v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(u16 port, u32 v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32))
			 : "memory");
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

#define DEFINE_CR_ACCESSORS(n)                                             \
	static inline u64 read_cr##n(void)                                 \
	{                                                                  \
		u64 v;                                                     \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));          \
		return v;                                                  \
	}                                                                  \
	static inline void write_cr##n(u64 v)                              \
	{                                                                  \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); \
	}
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

static inline u64 read_rflags(void)
{
	u64 v;

	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

static inline void irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

/* Returns the previous RFLAGS so irq_restore can put IF back. */
static inline u64 irq_save(void)
{
	u64 f = read_rflags();

	irq_disable();
	return f;
}

static inline void irq_restore(u64 flags)
{
	if (flags & RFLAGS_IF)
		irq_enable();
}

static inline void invlpg(u64 va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void cpu_halt(void)
{
	__asm__ volatile("hlt" ::: "memory");
}

static inline void __noreturn cpu_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt" ::: "memory");
}

static inline void barrier(void)
{
	__asm__ volatile("" ::: "memory");
}

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#endif
