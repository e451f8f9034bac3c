// SPDX-License-Identifier: MIT
/*
 * The hypervisor kernel's boot sequence, from the boot stub's hand-off to
 * a running system. Order matters and each step says why it is where it
 * is.
 */
#define LOG_SUBSYS "hv"
#include "boot/bootinfo.h"
#include "kernel/memmap.h"
#include "kernel/apic.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/image.h"
#include "kernel/ioapic.h"
#include "kernel/log.h"
#include "kernel/main.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/platform.h"
#include "kernel/refclock.h"
#include "kernel/selftest.h"
#include "kernel/serial.h"
#include "kernel/shutdown.h"
#include "kernel/smp.h"
#include "kernel/timer.h"
#include "kernel/wallclock.h"
#include "kernel/trap.h"

#define HV_VERSION "0.1"

static struct percpu boot_cpu;
static struct hv_bootinfo *bootinfo;

static void __noreturn kernel_main_stack(void);

/* Continues on a fresh stack (with a guard page) and never comes back. */
static void __noreturn switch_stack(u64 top, void (*fn)(void))
{
	__asm__ volatile("mov %0, %%rsp\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "push $0\n\t"
			 "jmp *%1"
			 :
			 : "r"(top), "r"(fn)
			 : "memory");
	__builtin_unreachable();
}

static void check_bootinfo(struct hv_bootinfo *bi)
{
	if (!bi || bi->magic != HV_BOOTINFO_MAGIC)
		panic("bad boot info at %p", bi);
}

static void early_cpu_setup(void)
{
	static const u64 no_ist[IST_COUNT];

	boot_cpu.index = 0;
	percpu_install(&boot_cpu);
	/* Our own GDT first: the IDT's gates name our code selector. */
	gdt_load(&boot_cpu.gdt, no_ist);
	idt_init();
	idt_load();
}

void __noreturn kernel_main(struct hv_bootinfo *bi)
{
	/* The firmware's interrupt sources are not ours to service. */
	irq_disable();
	serial_init(COM1_PORT, 115200);
	early_cpu_setup();
	check_bootinfo(bi);
	bootinfo = bi;
	log_set_level(bi->cfg.log_level);
	shutdown_set_debug_exit(bi->cfg.debug_exit_port);
	console_printf("\n");
	pr_info("hypervisor %s: image at %#llx (%llu KiB), boot info at %p\n",
		HV_VERSION, image_base(), (u64)(__image_end - __image_start) >> 10,
		bi);

	mm_init(bi);
	mmu_init(bi);
	if (cpu_setup_stacks(&boot_cpu))
		panic("no memory for the boot CPU's stack");
	switch_stack(boot_cpu.stack_top, (void (*)(void))kernel_main_stack);
}

static void setup_timer(void)
{
	struct refclock ref;
	int err = -1;

	if (platform.have_hpet)
		err = hpet_refclock(platform.hpet.base, &ref);
	if (err && platform.have_fadt && platform.fadt.pm_tmr_port)
		err = pmtimer_refclock(platform.fadt.pm_tmr_port,
				       platform.fadt.pm_tmr_32bit, &ref);
	/* No ACPI at all (OVMF under Bochs): the PIIX4's timer, if it counts. */
	if (err && !platform.have_fadt)
		err = pmtimer_piix4_refclock(&ref);
	if (err)
		panic("no reference clock (neither HPET nor ACPI PM timer)");
	if (timer_calibrate(&ref))
		panic("timer calibration failed");
}

static u32 cpus_expected(const struct hv_config *cfg)
{
	u32 n = platform.ncpus_enabled ? platform.ncpus_enabled : 1;

	if (cfg->max_cpus && cfg->max_cpus < n)
		n = cfg->max_cpus;
	return n < HV_MAX_CPUS ? n : HV_MAX_CPUS;
}

static void __noreturn kernel_main_stack(void)
{
	struct hv_bootinfo *bi = bootinfo;
	u32 failed = 0;

	cpu_load_tables(&boot_cpu); /* now with interrupt stacks */
	/* The tables first: the DMAR's X2APIC_OPT_OUT picks the APIC mode. */
	platform_discover(bi);
	if (apic_init_bsp(platform_apic_mode()))
		panic("cannot enable the local APIC");
	boot_cpu.apic_id = apic_id();
	/*
	 * The firmware may have left its APs looping in boot-services
	 * memory, which is about to be reused: hold them all in INIT first.
	 */
	smp_hold_aps();
	mm_reclaim_boot_services(bi);
	cpu_count = 1;

	ioapic_init();
	setup_timer();
	wallclock_init(&bi->time);
	failed = smp_boot_aps(platform.cpus, platform.ncpus, bi->trampoline_pa,
			      &bi->cfg);
	pr_info("%u CPU(s) online, %u failed; %llu MiB free\n", cpu_count,
		failed, frames_free_pages() >> 8);

	if (config_injects(&bi->cfg, CFG_INJECT_FAULT, 0))
		inject_fault();
	if (bi->cfg.selftest)
		selftest_kernel(cpus_expected(&bi->cfg), failed);
	hv_main(bi, failed);
}
