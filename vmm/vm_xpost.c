// SPDX-License-Identifier: MIT
/*
 * A test source of interrupts raised on another CPU (cmdline "xpost=N
 * xpost_vec=V xpost_ms=M", parsed in vm_verdict.c). cpu0's watch loop
 * posts V every M ms through vm_post_irq(), the code device interrupts
 * take, so the delivery seen by the guest is the one a remapped MSI gets
 * when it lands on a CPU other than the guest's.
 *
 * The guest's CPU counts its own VM exits from the first post until the
 * guest's first hypercall after the last one (the guest makes none while
 * it waits): with VMX posted-interrupt processing the notification vector
 * is handled in guest mode, so that is 0; with a kick (SVM, VMX without
 * posting) at least one exit per interrupt.
 *
 * A post is held back while the previous one is not yet delivered (V in
 * the PIR or the virtual APIC's IRR): two requests of one vector there
 * are one interrupt, as on any APIC, and the test would count one less.
 * Held-back ticks are counted and reported.
 */
#define LOG_SUBSYS "vmm"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "lib/format.h"
#include "vmm/vm.h"

/* Time the guest gets to install its handler before the first post. */
#define XPOST_SETTLE_NS 200000000ull
#define NS_PER_MS 1000000ull

/*
 * V posted but not yet delivered: in the PIR, or taken from it into the
 * virtual APIC's IRR (the CPU's VIRR with hardware posting). Read in that
 * order: pi_drain() sets the IRR bit before it clears the PIR's.
 */
static bool vm_vector_outstanding(const struct vm *vm, u8 vec)
{
	const struct pi_desc *pi = vm->vcpu.pi;
	u64 bit = BIT(vec & 63);

	if (__atomic_load_n(&pi->pir[vec >> 6], __ATOMIC_SEQ_CST) & bit)
		return true;
	if (vm_ops->hw_posted)
		return vm_ops->vector_requested(&vm->vcpu, vec);
	return __atomic_load_n(&vm->lapic.irr[vec >> 6], __ATOMIC_SEQ_CST) & bit;
}

void vm_xpost_tick(struct vm *vm, u64 now)
{
	struct vm_xpost *x = &vm->xpost;
	u64 start = __atomic_load_n(&vm->start_ns, __ATOMIC_ACQUIRE);

	if (!x->count || !start || vm->stop_request ||
	    __atomic_load_n(&x->posted, __ATOMIC_RELAXED) == x->count)
		return;
	if (!x->next_ns)
		x->next_ns = start + XPOST_SETTLE_NS;
	if ((s64)(now - x->next_ns) < 0)
		return;
	x->next_ns = now + x->period_ms * NS_PER_MS;
	if (vm_vector_outstanding(vm, x->vector)) {
		x->deferred++;
		return;
	}
	x->src_cpu = this_cpu()->index;
	/* counted first: the exit this post causes falls inside the window */
	__atomic_add_fetch(&x->posted, 1, __ATOMIC_RELEASE);
	vm_post_irq(vm, x->vector);
}

void vm_xpost_exit(struct vm *vm, const struct vcpu_exit *e)
{
	struct vm_xpost *x = &vm->xpost;
	u32 posted = __atomic_load_n(&x->posted, __ATOMIC_ACQUIRE);

	if (!posted || x->closed)
		return;
	if (vm->vcpu.irq_taken && vm->vcpu.pending_irq == x->vector)
		x->soft_delivered++;
	if (posted == x->count && e->reason == VEXIT_HYPERCALL) {
		x->closed = true;
		return;
	}
	x->exits++;
	if (e->reason == VEXIT_INTR)
		x->intr_exits++;
	else if (e->reason == VEXIT_HLT)
		x->hlt_exits++;
	else if (e->reason == VEXIT_MSR_WRITE)
		x->msr_exits++;	/* the guest's EOI, where it is not virtualized */
}

void vm_xpost_report(const struct vm *vm)
{
	const struct vm_xpost *x = &vm->xpost;
	u8 nv = vm_ops->notify_vector ? vm_ops->notify_vector() : 0;
	u64 per100 = x->posted ? x->exits * 100 / x->posted : 0;
	char how[48];

	if (!x->count)
		return;
	if (!x->posted) {
		pr_info("%s: xpost: 0 of %u x vector %#x posted\n", vm->name,
			x->count, x->vector);
		return;
	}
	if (nv)
		fmt_snprintf(how, sizeof(how), "notification vector %#x", nv);
	else
		fmt_snprintf(how, sizeof(how), "kick (exit)");
	pr_info("%s: xpost: %u of %u x vector %#x posted from cpu%u every %u ms (%u held back), %s; %llu exits on cpu%u meanwhile (%llu intr, %llu hlt, %llu msr, %llu other), %llu.%02llu per interrupt; %llu injected by software\n",
		vm->name, x->posted, x->count, x->vector, x->src_cpu,
		x->period_ms, x->deferred, how, x->exits, vm->cpu,
		x->intr_exits, x->hlt_exits, x->msr_exits,
		x->exits - x->intr_exits - x->hlt_exits - x->msr_exits,
		per100 / 100,
		per100 % 100, x->soft_delivered);
}
