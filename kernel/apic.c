// SPDX-License-Identifier: MIT
#define LOG_SUBSYS "apic"
#include "kernel/apic.h"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/trap.h"

#define X2APIC_MSR(reg) (0x800 + ((reg) >> 4))
#define MSR_X2APIC_ICR 0x830
/* Bounded wait for the xAPIC to accept an IPI: it takes microseconds. */
#define ICR_SPIN_LIMIT 1000000

#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1

static bool x2apic;
static volatile u32 *xapic_regs;

bool apic_is_x2apic(void)
{
	return x2apic;
}

const char *apic_mode_name(void)
{
	return x2apic ? "x2APIC" : "xAPIC";
}

u32 apic_read(u32 reg)
{
	if (x2apic)
		return (u32)rdmsr(X2APIC_MSR(reg));
	return xapic_regs[reg / 4];
}

void apic_write(u32 reg, u32 value)
{
	if (x2apic)
		wrmsr(X2APIC_MSR(reg), value);
	else
		xapic_regs[reg / 4] = value;
}

u32 apic_id(void)
{
	return x2apic ? apic_read(APIC_ID) : apic_read(APIC_ID) >> 24;
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

/* The hypervisor takes interrupts only through the local APIC. */
static void mask_legacy_pic(void)
{
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
}

static void apic_enable_local(void)
{
	u64 base = rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE;

	if (x2apic)
		base |= APIC_BASE_X2APIC;
	wrmsr(MSR_APIC_BASE, base);
	apic_write(APIC_TPR, 0);
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT1, APIC_LVT_NMI);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
	apic_write(APIC_LVT_ERROR, APIC_LVT_MASKED);
	apic_write(APIC_SVR, APIC_SVR_ENABLE | VEC_SPURIOUS);
}

int apic_init_bsp(enum apic_mode want)
{
	struct cpuid_regs id = cpuid(1, 0);
	bool has_x2apic = id.ecx & CPUID1_ECX_X2APIC;
	u64 base = rdmsr(MSR_APIC_BASE);

	if (!(id.edx & CPUID1_EDX_APIC)) {
		pr_err("CPU has no local APIC\n");
		return -1;
	}
	if (want == APIC_MODE_X2APIC && !has_x2apic) {
		pr_err("x2APIC requested but the CPU lacks it; using xAPIC\n");
		want = APIC_MODE_XAPIC;
	}
	/* Leaving x2APIC for xAPIC needs a disable in between (§11.12.5). */
	if (want == APIC_MODE_XAPIC && (base & APIC_BASE_X2APIC)) {
		wrmsr(MSR_APIC_BASE, base & ~(APIC_BASE_X2APIC | APIC_BASE_ENABLE));
		base = rdmsr(MSR_APIC_BASE);
	}
	x2apic = want != APIC_MODE_XAPIC && has_x2apic;
	if (!x2apic) {
		xapic_regs = mmio_map(base & APIC_BASE_ADDR_MASK, PAGE_SIZE);
		if (!xapic_regs)
			return -1;
	}
	mask_legacy_pic();
	apic_enable_local();
	pr_info("cpu0: %s mode, APIC id %u, version %#x%s\n", apic_mode_name(),
		apic_id(), apic_read(APIC_VERSION) & 0xff,
		x2apic ? "" : " (MMIO)");
	return 0;
}

void apic_init_ap(void)
{
	apic_enable_local();
}

static int wait_icr_idle(void)
{
	unsigned spins = 0;

	if (x2apic)
		return 0; /* x2APIC ICR writes complete synchronously */
	while (apic_read(APIC_ICR_LOW) & ICR_DELIVERY_PENDING)
		if (spins++ > ICR_SPIN_LIMIT)
			return -1;
		else
			cpu_relax();
	return 0;
}

int apic_send_ipi(u32 dest, u32 icr_low)
{
	if (x2apic) {
		wrmsr(MSR_X2APIC_ICR, (u64)dest << 32 | icr_low);
		return 0;
	}
	apic_write(APIC_ICR_HIGH, dest << 24);
	apic_write(APIC_ICR_LOW, icr_low);
	return wait_icr_idle();
}

/* Used by panic: NMI every other CPU, whose NMI handler then halts. */
void apic_stop_other_cpus(void)
{
	if (!x2apic && !xapic_regs)
		return; /* panic before the APIC was set up: nobody else runs */
	apic_send_ipi(0, ICR_NMI | ICR_LEVEL_ASSERT | ICR_ALL_BUT_SELF);
}

void apic_timer_start(u8 vector, u32 initial, bool periodic)
{
	apic_write(APIC_TIMER_DIVIDE, APIC_TIMER_DIVIDE_1);
	apic_write(APIC_LVT_TIMER, vector | (periodic ? APIC_LVT_PERIODIC : 0));
	apic_write(APIC_TIMER_INITIAL, initial);
}

void apic_timer_stop(void)
{
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
	apic_write(APIC_TIMER_INITIAL, 0);
}
