// SPDX-License-Identifier: MIT
/*
 * Bringing up the application processors: INIT-SIPI-SIPI as in the SDM
 * (Vol. 3A §9.4.4.1, "Typical BSP initialization sequence"), one CPU at a
 * time through one low-memory trampoline (kernel/trampoline.S).
 */
#define LOG_SUBSYS "smp"
#include "kernel/apic.h"
#include "kernel/cpu.h"
#include "kernel/cpu_plan.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/smp.h"
#include "kernel/pagetable.h"
#include "kernel/timer.h"
#include "kernel/trampoline.h"
#include "kernel/trap.h"
#include "lib/string.h"

#define CPU_STACK_PAGES 16
#define IST_STACK_PAGES 2
#define INIT_DELAY_US 10000
#define SIPI_DELAY_US 200
/* Generous: under emulation an AP takes far longer than on hardware. */
#define AP_ONLINE_TIMEOUT_US 2000000

extern const u8 trampoline_start[], trampoline_end[];
extern const u8 tramp_pm32[], tramp_lm64[], tramp_gdt[], tramp_gdtr[],
	tramp_pm_ptr[], tramp_lm_ptr[];

static void ap_entry(struct percpu *p);

int cpu_setup_stacks(struct percpu *p)
{
	struct stack s;

	if (stack_alloc(CPU_STACK_PAGES, &s))
		return -1;
	p->stack_bottom = s.bottom;
	p->stack_top = s.top;
	return 0;
}

/* GDT/TSS with the interrupt stacks, then the shared IDT. */
void cpu_load_tables(struct percpu *p)
{
	u64 ist[IST_COUNT];
	struct stack s;
	int i;

	for (i = 0; i < IST_COUNT; i++) {
		if (stack_alloc(IST_STACK_PAGES, &s))
			panic("cpu%u: no memory for interrupt stacks", p->index);
		ist[i] = s.top;
	}
	gdt_load(&p->gdt, ist);
	idt_load();
}

/* Where a trampoline symbol lands in the copy at page (below 1 MiB). */
static u64 tramp_addr(u64 page, const u8 *sym)
{
	return page + (u64)(sym - trampoline_start);
}

/*
 * Copies the code, fills in the linear addresses the far jumps need (real
 * mode cannot compute them; the jump into 64-bit code is an immediate far
 * jump whose offset is patched here, as there is no stack yet), then makes the page read+execute (W^X holds for it too).
 */
static int trampoline_install(u64 page)
{
	u32 gdt = (u32)tramp_addr(page, tramp_gdt);
	u32 pm32 = (u32)tramp_addr(page, tramp_pm32);
	u32 lm64 = (u32)tramp_addr(page, tramp_lm64);

	memcpy((void *)page, trampoline_start,
	       (u64)(trampoline_end - trampoline_start));
	memcpy((void *)(tramp_addr(page, tramp_gdtr) + 2), &gdt, sizeof(gdt));
	memcpy((void *)tramp_addr(page, tramp_pm_ptr), &pm32, sizeof(pm32));
	memcpy((void *)tramp_addr(page, tramp_lm_ptr), &lm64, sizeof(lm64));
	return mmu_protect(page, PAGE_SIZE, PT_R | PT_X);
}

static void trampoline_set(u64 page, struct percpu *p)
{
	*(u64 *)(page + TRAMP_CR3) = read_cr3();
	*(u64 *)(page + TRAMP_STACK) = p->stack_top;
	*(u64 *)(page + TRAMP_PERCPU) = (u64)p;
	*(u64 *)(page + TRAMP_ENTRY) = (u64)ap_entry;
}

static struct percpu *percpu_alloc(u32 index, u32 apic_id)
{
	u64 pages = ALIGN_UP(sizeof(struct percpu), PAGE_SIZE) / PAGE_SIZE;
	struct percpu *p = phys_to_virt(frame_alloc(pages));

	if (!p)
		return NULL;
	p->index = index;
	p->apic_id = apic_id;
	if (cpu_setup_stacks(p))
		return NULL;
	return p;
}

/*
 * Waits for work from smp_run_on(). "sti; hlt" is atomic with respect to
 * interrupts (STI's one-instruction shadow), so a wake-up IPI sent after
 * the check cannot be lost.
 */
static void __noreturn ap_idle(struct percpu *p)
{
	for (;;) {
		void (*fn)(void *);

		irq_disable();
		fn = __atomic_load_n(&p->work_fn, __ATOMIC_ACQUIRE);
		if (fn) {
			irq_enable();
			fn(p->work_arg);
			__atomic_store_n(&p->work_fn, NULL, __ATOMIC_RELEASE);
			continue;
		}
		__asm__ volatile("sti; hlt" ::: "memory");
	}
}

static void wake_handler(struct regs *regs)
{
}

int smp_run_on(u32 cpu, void (*fn)(void *arg), void *arg)
{
	struct percpu *p = cpu < HV_MAX_CPUS ? cpu_table[cpu] : NULL;

	if (!p || p == this_cpu() || !p->online ||
	    __atomic_load_n(&p->work_fn, __ATOMIC_ACQUIRE))
		return -1;
	p->work_arg = arg;
	__atomic_store_n(&p->work_fn, fn, __ATOMIC_RELEASE);
	return apic_send_ipi(p->apic_id, ICR_FIXED | VEC_WAKE);
}

bool smp_cpu_idle(u32 cpu)
{
	struct percpu *p = cpu < HV_MAX_CPUS ? cpu_table[cpu] : NULL;

	return p && p != this_cpu() && p->online &&
	       !__atomic_load_n(&p->work_fn, __ATOMIC_ACQUIRE);
}

static void __attribute__((used)) ap_entry(struct percpu *p)
{
	percpu_install(p);
	cpu_load_tables(p);
	apic_init_ap();
	pr_info("cpu%u online: APIC id %u, stack %#llx-%#llx\n", p->index,
		apic_id(), p->stack_bottom, p->stack_top);
	__atomic_store_n(&p->online, 1, __ATOMIC_RELEASE);
	if (p->inject_fault)
		inject_fault();
	ap_idle(p);
}

static bool wait_online(struct percpu *p, u64 timeout_us)
{
	u64 end = time_ns() + timeout_us * 1000;

	while (!__atomic_load_n(&p->online, __ATOMIC_ACQUIRE))
		if (time_ns() > end)
			return false;
		else
			cpu_relax();
	return true;
}

static int start_ap(struct percpu *p, u64 page)
{
	u32 vector = (u32)(page >> PAGE_SHIFT);

	trampoline_set(page, p);
	if (apic_send_ipi(p->apic_id, ICR_INIT | ICR_LEVEL_ASSERT))
		return -1;
	udelay(INIT_DELAY_US);
	apic_send_ipi(p->apic_id, ICR_STARTUP | vector);
	udelay(SIPI_DELAY_US);
	if (!__atomic_load_n(&p->online, __ATOMIC_ACQUIRE))
		apic_send_ipi(p->apic_id, ICR_STARTUP | vector);
	return wait_online(p, AP_ONLINE_TIMEOUT_US) ? 0 : -1;
}

void smp_hold_aps(void)
{
	if (apic_send_ipi(0, ICR_INIT | ICR_LEVEL_ASSERT | ICR_ALL_BUT_SELF))
		pr_warn("INIT to the other CPUs was not accepted\n");
	else
		pr_info("other CPUs held in INIT until they are started\n");
}

u32 smp_boot_aps(const struct madt_cpu *cpus, u32 ncpus, u64 page,
		 const struct hv_config *cfg)
{
	u32 bsp = apic_id(), failed = 0, slot = 0, i;

	if (!page) {
		pr_err("no start page below 1 MiB: application processors stay off\n");
		return ncpus > 1 ? ncpus - 1 : 0;
	}
	irq_register(VEC_WAKE, wake_handler);
	if (trampoline_install(page)) {
		pr_err("cannot map the AP start code at %#llx\n", page);
		return ncpus > 1 ? ncpus - 1 : 0;
	}
	for (i = 0; i < ncpus; i++) {
		struct percpu *p;
		u32 index = cpu_count;

		if (!cpus[i].enabled || cpus[i].apic_id == bsp)
			continue;
		if (!cpu_plan_reachable(cpus[i].apic_id, apic_is_x2apic())) {
			pr_warn("APIC id %u: beyond what xAPIC mode addresses, not started\n",
				cpus[i].apic_id);
			failed++;
			continue;
		}
		/* inject = ap-no-start:N names the N-th CPU of the MADT
		 * (the BSP is 0), whatever became of the ones before it. */
		slot++;
		if (config_injects(cfg, CFG_INJECT_AP_NO_START, slot)) {
			pr_warn("fault injection: not starting CPU %u of the MADT (APIC id %u)\n",
				slot, cpus[i].apic_id);
			failed++;
			continue;
		}
		if (cfg->max_cpus && cpu_count >= cfg->max_cpus) {
			pr_info("cpus = %u in the config: not starting APIC id %u\n",
				cfg->max_cpus, cpus[i].apic_id);
			continue;
		}
		if (index >= HV_MAX_CPUS) {
			pr_err("APIC id %u: more than %u CPUs, not started\n",
			       cpus[i].apic_id, HV_MAX_CPUS);
			failed++;
			continue;
		}
		p = percpu_alloc(index, cpus[i].apic_id);
		if (!p) {
			pr_err("cpu%u: out of memory for its stacks\n", index);
			failed++;
			continue;
		}
		p->inject_fault = config_injects(cfg, CFG_INJECT_FAULT, index);
		if (!start_ap(p, page)) {
			cpu_count++;
			continue;
		}
		/* Its stacks are leaked: a CPU that answers late may use them. */
		pr_err("cpu%u (APIC id %u) did not come up within %u ms\n",
		       index, p->apic_id, AP_ONLINE_TIMEOUT_US / 1000);
		failed++;
	}
	return failed;
}
