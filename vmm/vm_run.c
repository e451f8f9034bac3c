// SPDX-License-Identifier: MIT
/*
 * Running guests: the vCPU loop on the guest's CPU, waiting while it
 * halts, interrupt delivery through the per-vCPU posted-interrupt
 * descriptor, and the life cycle. Every guest starts, runs and stops on
 * its own; a guest that misbehaves is stopped and reported while the
 * others carry on.
 *
 * The hypervisor always gets its CPU back: host interrupts force an exit
 * on both backends, and the host APIC timer is armed before every entry
 * for the guest's next timer tick or its time limit, whichever is first,
 * so a guest spinning with interrupts off is still stopped at its timeout.
 *
 * CPUs: cpu0 keeps the hypervisor; each guest runs alone on one AP. With
 * more guests than APs the rest wait, in config order, for an AP to become
 * free. On a machine with only cpu0, guests run one after the other on it.
 *
 * Nothing here knows whether it runs on SVM or VMX: the backend is the
 * struct vcpu_ops chosen once in vmm_run_guests().
 */
#define LOG_SUBSYS "vmm"
#include "drivers/igb.h"
#include "iommu/iommu.h"
#include "kernel/apic.h"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/percpu.h"
#include "kernel/selftest.h"
#include "kernel/smp.h"
#include "kernel/timer.h"
#include "kernel/trap.h"
#include "lib/format.h"
#include "lib/string.h"
#include "vmm/vm.h"
#include "vmm/vmm.h"

#define IDLE_POLL_NS 10000000ull	/* a halted vCPU re-checks every 10 ms */
/* cpu0's watch over the guests: time limits, starts, the PF poll */
#define WATCH_PERIOD_NS (IGB_POLL_PERIOD_US * 1000ull)

const struct vcpu_ops *vm_ops;
static struct vm vms[CFG_MAX_GUESTS];
static u8 kick_vector;

/* ---- backend choice -------------------------------------------------- */

const struct vcpu_ops *vcpu_backend_select(void)
{
	const struct vcpu_ops *o;

	o = svm_probe();
	if (!o)
		o = vmx_probe();
	if (!o)
		pr_err("no usable virtualization extension (SVM: CPUID 0x80000001 ECX[2], VMX: CPUID 1 ECX[5])\n");
	return o;
}

/* ---- stopping a guest ------------------------------------------------ */

bool vm_finished(const struct vm *vm)
{
	return vm->exited || vm->stop_reason[0];
}

void vm_stop(struct vm *vm, const char *fmt, ...)
{
	va_list ap;

	if (vm_finished(vm))
		return;
	va_start(ap, fmt);
	fmt_vsnprintf(vm->stop_reason, sizeof(vm->stop_reason), fmt, ap);
	va_end(ap);
	vm->status = HV_STATUS_STOPPED;
}

/* Interrupts the vCPU's CPU so it leaves guest mode and sees a request. */
static void vm_kick(struct vm *vm)
{
	if (cpu_table[vm->cpu])
		apic_send_ipi(cpu_table[vm->cpu]->apic_id,
			      ICR_FIXED | kick_vector);
}

void vm_request_stop(struct vm *vm, const char *reason)
{
	if (vm->stop_request || vm_finished(vm))
		return;
	strlcpy(vm->async_reason, reason, sizeof(vm->async_reason));
	__atomic_store_n(&vm->stop_request, true, __ATOMIC_RELEASE);
	if (__atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) == VM_RUNNING)
		vm_kick(vm);
}

/*
 * Tells the vCPU's CPU that something was posted. With hardware posting
 * only whoever turned ON from 0 to 1 sends the notification vector (SDM
 * Vol. 3C §29.6), and the CPU delivers in guest mode; otherwise the vCPU
 * is kicked out and its loop drains the descriptor.
 */
static void vm_notify(struct vm *vm, bool on_was_clear)
{
	u8 nv = vm_ops->notify_vector ? vm_ops->notify_vector() : 0;

	if (!nv)
		vm_kick(vm);
	else if (on_was_clear && cpu_table[vm->cpu])
		apic_send_ipi(cpu_table[vm->cpu]->apic_id, ICR_FIXED | nv);
}

void vm_post_irq(struct vm *vm, u8 vec)
{
	bool on_was_clear = pi_post(vm->vcpu.pi, vec);

	__atomic_add_fetch(&vm->stats.dev_irqs, 1, __ATOMIC_RELAXED);
	if (this_cpu()->index != vm->cpu &&
	    __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) == VM_RUNNING)
		vm_notify(vm, on_was_clear);
}

static void kick_handler(struct regs *regs)
{
}

/* ---- virtual local APIC glue: interrupts go through the PI descriptor -- */

/* Raise the timer interrupt if it is due: posted like any other. */
static void vlapic_check_timer(struct vm *vm, u64 now)
{
	u8 vec = vlapic_timer_due(&vm->lapic, now);

	if (vec) {
		pi_post(vm->vcpu.pi, vec);
		vm->stats.timer_irqs++;
	}
}

/* Drain the posted-interrupt descriptor and pick the vector to offer. */
static u8 vm_pending_irq(struct vm *vm)
{
	u8 vec = 0;

	/* With posted interrupts the CPU takes the APIC's from the PIR
	 * itself; otherwise they go straight into the IRR: no gap. */
	if (!vm_ops->hw_posted) {
		if (pi_pending(vm->vcpu.pi))
			pi_drain(vm->vcpu.pi, vm->lapic.irr);
		vec = vlapic_pending(&vm->lapic);
	}
	/* ExtINT from a Linux guest's PIC is in no PIR and comes only when
	 * the APIC has nothing: it bypasses the APIC's priorities, IRR, ISR */
	vm->irq_from_pic = !vec && (vec = vm_linux_extint(vm));
	return vec;
}

/* ---- the host timer: the guest's next tick or its time limit ----------- */

static u64 vm_deadline(const struct vm *vm)
{
	u64 limit = vm->start_ns + vm->timeout_ns;

	return vm->lapic.deadline_ns ? MIN(vm->lapic.deadline_ns, limit) : limit;
}

static bool vm_timed_out(const struct vm *vm, u64 now)
{
	return (s64)(now - vm->start_ns) > (s64)vm->timeout_ns;
}

/*
 * One-shot host timer at deadline. One too far for the timer's count fires
 * early and the loop arms it again, so the limit is still kept.
 */
static void host_timer_at(u64 deadline, u64 now)
{
	timer_oneshot(kick_vector, deadline > now ? deadline - now : 1);
}

/*
 * Sleep on this CPU until until_ns, or (if wake_on_irq) until the guest
 * has an interrupt to take. Interrupts are checked with IF clear and the
 * wait is "sti; hlt", so a wake-up cannot slip in between.
 */
void vm_wait(struct vm *vm, u64 until_ns, bool wake_on_irq)
{
	for (;;) {
		u64 now = time_ns(), wake;

		if (vm_timed_out(vm, now))
			vm->stop_request = true;	/* also with no BSP watching */
		irq_disable();
		vlapic_check_timer(vm, now);
		if (vm->stop_request || now >= until_ns ||
		    (wake_on_irq && (vm_pending_irq(vm) ||
				     (vm_ops->hw_posted &&
				      (pi_pending(vm->vcpu.pi) ||
				       vm_ops->irq_pending(&vm->vcpu)))))) {
			irq_enable();
			return;
		}
		wake = MIN(until_ns, now + IDLE_POLL_NS);
		wake = MIN(wake, vm_deadline(vm));
		host_timer_at(wake, now);
		__asm__ volatile("sti; hlt" ::: "memory");
	}
}

/* ---- the vCPU loop, on the guest's own CPU ----------------------------- */

/* Guest CR0: PE, MP, ET, NE, WP, PG (SDM Vol. 3A §2.5). */
#define GUEST_CR0 (CR0_PE | CR0_MP | BIT(4) | CR0_NE | CR0_WP | CR0_PG)

static void boot_state(struct vm *vm, struct vcpu_boot_state *b)
{
	memset(b, 0, sizeof(*b));
	b->rip = vm->entry;
	b->rsp = ALIGN_DOWN(vm->mem.size, 16);
	b->rflags = 0x2;
	b->cr0 = GUEST_CR0;
	b->cr3 = HV_GUEST_PT_BASE;
	b->cr4 = CR4_PAE;
	b->efer = EFER_LME | EFER_LMA | EFER_NXE;
	b->gdt_base = HV_GUEST_GDT_BASE;
	b->gdt_limit = 3 * 8 - 1;
	b->cs = HV_GUEST_CS;
	b->ds = HV_GUEST_DS;
}

static void vm_stop_requested(struct vm *vm)
{
	if (vm->async_reason[0])
		vm_stop(vm, "%s", vm->async_reason);
	else
		vm_stop(vm, "no exit after %llu s (timeout)",
			vm->timeout_ns / 1000000000ull);
}

static void vcpu_loop(struct vm *vm)
{
	struct vcpu *v = &vm->vcpu;
	struct vcpu_exit e;

	while (!vm_finished(vm)) {
		u64 now = time_ns();

		if (vm_timed_out(vm, now))
			vm->stop_request = true;
		if (vm->stop_request) {
			vm_stop_requested(vm);
			break;
		}
		irq_disable();
		vlapic_check_timer(vm, now);
		v->pending_irq = vm_pending_irq(vm);
		host_timer_at(vm_deadline(vm), now);
		vm_ops->run(v, &e);
		irq_enable();	/* host interrupts that caused the exit run now */
		if (v->irq_taken) {
			if (vm->irq_from_pic)
				vpic_accept(&vm->pic);
			else
				vlapic_accept(&vm->lapic, v->pending_irq);
			vm->stats.irqs_taken++;
		}
		vm_xpost_exit(vm, &e);
		vm_handle_exit(vm, &e);
		if (vm->bi_exits)	/* the guest's to read (ABI version 5) */
			*vm->bi_exits = vm_exits_total(vm);
	}
}

u64 vm_exits_total(const struct vm *vm)
{
	u64 exits = 0;
	u32 i;

	for (i = 0; i < VEXIT_COUNT; i++)
		exits += vm->stats.exits[i];
	return exits;
}

static void vm_report(struct vm *vm)
{
	u64 exits = vm_exits_total(vm);
	if (vm->exited)
		pr_info("%s exited with status %lld\n", vm->name, vm->status);
	else if (vm->expect_stopped)
		pr_info("%s stopped (as its test expects): %s\n", vm->name,
			vm->stop_reason);
	else
		pr_err("%s stopped: %s\n", vm->name, vm->stop_reason);
	pr_info("%s: %llu exits in %llu ms: %llu hypercall, %llu hlt, %llu io, %llu msr, %llu cpuid, %llu intr; %llu device irqs posted; %llu timer irqs raised, %llu taken%s\n",
		vm->name, exits, (vm->end_ns - vm->start_ns) / 1000000,
		vm->stats.exits[VEXIT_HYPERCALL], vm->stats.exits[VEXIT_HLT],
		vm->stats.exits[VEXIT_IO],
		vm->stats.exits[VEXIT_MSR_READ] + vm->stats.exits[VEXIT_MSR_WRITE],
		vm->stats.exits[VEXIT_CPUID], vm->stats.exits[VEXIT_INTR],
		vm->stats.dev_irqs, vm->stats.timer_irqs, vm->stats.irqs_taken,
		vm_ops->hw_posted ? " by software (the rest by posted-interrupt processing)" : "");
	vm_exit_kinds_report(vm);
	vm_xpost_report(vm);
}

static void vcpu_main(void *arg)
{
	struct vm *vm = arg;
	struct vcpu_boot_state b;

	if (vm->cfg->is_linux)
		b = vm->linux_entry.b;
	else
		boot_state(vm, &b);
	vm->start_ns = time_ns();
	if (vm_ops->cpu_init() || vm_ops->create(&vm->vcpu) ||
	    vm_ops->load_state(&vm->vcpu, &b)) {
		vm_stop(vm, "%s: could not set up the vCPU", vm_ops->name);
		goto out;
	}
	if (vm->cfg->is_linux)
		vm->vcpu.gpr[GPR_RSI] = vm->linux_entry.rsi;
	else
		vm->vcpu.gpr[GPR_RDI] = HV_GUEST_BOOTINFO_GPA;
	pr_info("%s: vCPU %u running on cpu%u, entry %#llx\n", vm->name,
		vm->vcpu.id, this_cpu()->index, vm->entry);
	vcpu_loop(vm);
out:
	apic_timer_stop();
	vm->end_ns = time_ns();
	if (vm->line_len)
		vm_console_flush(vm);
	vm_console_report_dropped(vm);
	vm_ops->destroy(&vm->vcpu);
	vm_report(vm);
	vm_integrity_check(vm);
	vm_teardown(vm);
	__atomic_store_n(&vm->state, VM_DONE, __ATOMIC_RELEASE);
}

/* ---- life cycle -------------------------------------------------------- */

static bool vm_waiting(const struct vm *vm)
{
	return vm->started &&
	       __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) == VM_NEW;
}

static bool vm_running(const struct vm *vm)
{
	return vm->started &&
	       __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) == VM_RUNNING;
}

/* The AP that runs no guest now, or 0 if every one is busy. */
static u32 free_guest_cpu(u32 n)
{
	u32 cpu, i;

	for (cpu = 1; cpu < cpu_count; cpu++) {
		bool busy = !smp_cpu_idle(cpu);

		for (i = 0; i < n && !busy; i++)
			busy = vm_running(&vms[i]) && vms[i].cpu == cpu;
		if (!busy)
			return cpu;
	}
	return 0;
}

/* Starts the next waiting guest on a free AP; false if none could go. */
static bool start_next(u32 n)
{
	u32 i, cpu = free_guest_cpu(n);

	if (!cpu)
		return false;
	for (i = 0; i < n; i++) {
		struct vm *vm = &vms[i];

		if (!vm_waiting(vm))
			continue;
		vm->cpu = vm->vcpu.host_cpu = cpu;
		__atomic_store_n(&vm->state, VM_RUNNING, __ATOMIC_RELEASE);
		if (smp_run_on(cpu, vcpu_main, vm)) {
			pr_err("%s: cpu%u is not available; not started\n",
			       vm->name, cpu);
			vm_teardown(vm);
			vm->started = false;
			vm->state = VM_DONE;
		}
		return true;
	}
	return false;
}

static int vm_init(struct vm *vm, u32 i, const struct hv_bootinfo *bi);

/* ---- restarts (config: restart = N) ------------------------------------ */

static bool vm_wants_restart(const struct vm *vm)
{
	return vm->started &&
	       __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) == VM_DONE &&
	       vm->restarts_done < vm->cfg->restarts;
}

/*
 * A guest that ended, by exiting or by being stopped, starts again while
 * its restart = N budget lasts (a guest whose setup the hypervisor refused
 * never ran and is not restarted). Its run is judged first; then the guest
 * is built from nothing, as at boot: fresh memory and a fresh copy of its
 * image, its devices reset and assigned again (vm_teardown released them
 * when the run ended). It then waits for a free CPU like any other guest.
 */
static void vm_restart(struct vm *vm, const struct hv_bootinfo *bi)
{
	u32 index = vm->index, done = vm->restarts_done + 1;
	u32 failed = vm->runs_failed + !vm_run_verdict(vm);

	if (vm->exited)
		pr_info("%s: restart %u of %u (it exited with status %lld)\n",
			vm->name, done, vm->cfg->restarts, vm->status);
	else
		pr_info("%s: restart %u of %u (it was stopped: %s)\n", vm->name,
			done, vm->cfg->restarts, vm->stop_reason);
	memset(vm, 0, sizeof(*vm));
	vm->restarts_done = done;
	vm->runs_failed = failed;
	if (vm_init(vm, index, bi) || vm_setup(vm, &bi->images[index], &bi->initrds[index])) {
		pr_err("%s: restart %u could not set it up: not started again\n",
		       vm->name, done);
		vm->state = VM_DONE;
		return;
	}
	vm->started = true;	/* VM_NEW: waits for a CPU */
}

/* The BSP's watch: time limits of running guests, starts of waiting ones. */
static void watch_guests(u32 n, const struct hv_bootinfo *bi)
{
	u32 i, live;

	do {
		u64 now = time_ns();

		for (i = 0; i < n; i++)
			if (vm_wants_restart(&vms[i]))
				vm_restart(&vms[i], bi);
		while (start_next(n))
			;
		live = 0;
		for (i = 0; i < n; i++) {
			struct vm *vm = &vms[i];

			if (vm_waiting(vm))
				live++;
			if (!vm_running(vm))
				continue;
			live++;
			vm_xpost_tick(vm, now);
			/* signed: the AP's clock may read slightly ahead */
			if (!vm->stop_request && vm->start_ns &&
			    vm_timed_out(vm, now)) {
				vm->stop_request = true;
				vm_kick(vm);
			}
		}
		igb_pf_poll();	/* PF mailbox and VF resets, when polled */
		/* halted, not spinning: the PF's and the IOMMU's interrupts
		 * wake it at once, the timer once a WATCH_PERIOD_NS */
		timer_sleep_until(now + WATCH_PERIOD_NS);
	} while (live);
}

/*
 * NMIs the host's CPUs took while guests ran: none is ever sent on a
 * guest's behalf (vlapic_ipi_check), so a count above 0 is the
 * platform's (trap.c counts them without printing).
 */
static void log_host_nmis(void)
{
	u64 n = 0;
	u32 cpu;

	for (cpu = 0; cpu < cpu_count; cpu++)
		if (cpu_table[cpu])
			n += cpu_table[cpu]->nmis;
	pr_info("host CPUs took %llu NMI(s) in all\n", n);
}

/* With cpu0 alone: each guest in turn, on the hypervisor's own CPU. */
static void run_on_cpu0(u32 n, const struct hv_bootinfo *bi)
{
	u32 i;

	pr_warn("only cpu0 is online: guests run one after the other on it, not partitioned\n");
	for (i = 0; i < n; i++) {
		while (vm_waiting(&vms[i])) {
			if (vms[i].xpost.count)
				vm_stop(&vms[i], "xpost= needs a second CPU to post from");
			vms[i].state = VM_RUNNING;
			vcpu_main(&vms[i]);
			if (vm_wants_restart(&vms[i]))
				vm_restart(&vms[i], bi);
		}
	}
}

static void cpu_init_work(void *arg)
{
	int *rc = arg;

	*rc = vm_ops->cpu_init();
}

/*
 * Enables the extension on every CPU that may run a guest before any guest
 * is set up: its per-CPU state (host save areas, VMXON region) is then not
 * counted as a guest's when memory is checked after the guests stop.
 */
static void prepare_cpus(void)
{
	u32 cpu;
	int rc;

	if (cpu_count == 1) {
		vm_ops->cpu_init();
		return;
	}
	for (cpu = 1; cpu < cpu_count; cpu++) {
		rc = 0;
		if (smp_run_on(cpu, cpu_init_work, &rc))
			continue;
		while (!smp_cpu_idle(cpu))
			udelay(10);
		if (rc)
			pr_warn("cpu%u: %s could not be enabled\n", cpu,
				vm_ops->name);
	}
}

static int vm_init(struct vm *vm, u32 i, const struct hv_bootinfo *bi)
{
	vm->index = i;
	vm->cfg = &bi->cfg.guests[i];
	strlcpy(vm->name, vm->cfg->name, sizeof(vm->name));
	vm->vcpu.id = i + 1;
	return vm_parse_cmdline(vm);
}

enum vmm_result vmm_run_guests(struct hv_bootinfo *bi)
{
	const struct hv_config *cfg = &bi->cfg;
	u32 i, started = 0;
	bool all_ok = true, ok[CFG_MAX_GUESTS];
	u64 free_before, free_after;

	if (!cfg->nguests)
		return VMM_NO_GUESTS;
	vm_ops = vcpu_backend_select();
	kick_vector = irq_alloc_vector(kick_handler);
	if (!vm_ops || !kick_vector || (vm_ops->init && vm_ops->init())) {
		for (i = 0; i < cfg->nguests; i++)
			selftest_check(false, cfg->guests[i].name,
				       "not started: %s", vm_ops ? "no free vector" :
				       "no virtualization backend");
		return VMM_GUESTS_FAILED;
	}
	pr_info("backend %s; %u guest(s), %u CPU(s): %s\n", vm_ops->name,
		cfg->nguests, cpu_count, cpu_count > 1 ?
		"cpu0 keeps the hypervisor, one AP per running guest, the rest wait their turn" :
		"guests share cpu0");
	prepare_cpus();
	free_before = frames_free_pages() + iommu_unit_pages();
	/* Set every guest up first, then start them as CPUs are free. */
	for (i = 0; i < cfg->nguests; i++) {
		struct vm *vm = &vms[i];

		if (vm_init(vm, i, bi)) {
			pr_err("%s: not started: its cmdline is malformed\n",
			       vm->name);
			continue;
		}
		if (vm_setup(vm, &bi->images[i], &bi->initrds[i]))
			continue;
		vm->started = true;
	}
	vm_integrity_begin();
	if (cpu_count == 1)
		run_on_cpu0(cfg->nguests, bi);
	else
		watch_guests(cfg->nguests, bi);
	vm_integrity_end();
	free_after = frames_free_pages() + iommu_unit_pages();
	selftest_check(free_after == free_before, "vmm",
		       "guest memory returned: %llu pages free before the guests were set up, %llu after they all stopped",
		       free_before, free_after);
	for (i = 0; i < cfg->nguests; i++) {
		started += vms[i].started;
		ok[i] = vm_verdict(&vms[i]);
		all_ok &= ok[i];
	}
	vm_integrity_table(vms, cfg->nguests, ok);
	log_host_nmis();
	pr_info("%u of %u guest(s) started, all stopped; verdict %s\n",
		started, cfg->nguests, all_ok ? "pass" : "FAIL");
	return all_ok ? VMM_GUESTS_PASSED : VMM_GUESTS_FAILED;
}
