// SPDX-License-Identifier: MIT
/*
 * Guests: setup (memory, image, page tables, boot info), the vCPU loop on
 * a pinned AP, exit handling (hypercalls, the virtual 16550, the x2APIC
 * timer MSRs, CPUID, nested page faults), interrupt delivery through the
 * per-vCPU posted-interrupt descriptor, and the life cycle: every guest
 * starts, runs and stops on its own; a guest that misbehaves is stopped
 * and reported while the others carry on.
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
#include "lib/hv_abi.h"
#include "lib/string.h"
#include "vmm/assign.h"
#include "vmm/elf.h"
#include "vmm/vm.h"
#include "vmm/vmm.h"
#include "vmm/vuart.h"
#include "vmm/x86_decode.h"

#define DEFAULT_TIMEOUT_S 60
#define IDLE_POLL_NS 10000000ull	/* a halted vCPU re-checks every 10 ms */
#define HC_WRITE_MAX 4096

/* Guest paging bits (SDM Vol. 3A §4.5, Tables 4-15..4-19). */
#define GPTE_P BIT(0)
#define GPTE_RW BIT(1)
#define GPTE_PWT BIT(3)
#define GPTE_PCD BIT(4)
#define GPTE_PS BIT(7)
/* The GiB holding HV_GUEST_MMIO_BASE, mapped uncached for devices. */
#define GUEST_MMIO_GIB (HV_GUEST_MMIO_BASE / SZ_1G)
#define GPTE_ADDR GENMASK(51, 12)

/* Guest CR0: PE, MP, ET, NE, WP, PG (SDM Vol. 3A §2.5). */
#define GUEST_CR0 (CR0_PE | CR0_MP | BIT(4) | CR0_NE | CR0_WP | CR0_PG)
#define GUEST_GDT_CODE64 0x00af9a000000ffffull	/* L=1, P, DPL0, exec/read */
#define GUEST_GDT_DATA 0x00cf92000000ffffull

static const struct vcpu_ops *ops;
static struct vm vms[CFG_MAX_GUESTS];
static u8 kick_vector;

/* ---- backend choice -------------------------------------------------- */

const struct vcpu_ops *vcpu_backend_select(void)
{
	if (svm_probe())
		return &svm_ops;
	if (vmx_probe())
		return &vmx_ops;
	pr_err("no usable virtualization extension (SVM: CPUID 0x80000001 ECX[2], VMX: CPUID 1 ECX[5])\n");
	return NULL;
}

/* ---- memory callbacks over the kernel's allocator ---------------------- */

static u64 gm_alloc(void *ctx, u64 npages, u64 align)
{
	return frame_alloc_below(npages, align, 0);
}

static void gm_free(void *ctx, u64 pa, u64 npages)
{
	frame_free(pa, npages);
}

static void *gm_p2v(void *ctx, u64 pa)
{
	return phys_to_virt(pa);
}

static const struct gm_ops kernel_gm_ops = { gm_alloc, gm_free, gm_p2v, NULL };

static u64 npt_alloc(void *ctx)
{
	return frame_alloc(1);
}

static void npt_free(void *ctx, u64 pa)
{
	frame_free(pa, 1);
}

static const struct pt_env npt_env = {
	.alloc_table = npt_alloc,
	.free_table = npt_free,
	.phys_to_virt = gm_p2v,
};

/* ---- stopping a guest ------------------------------------------------ */

static bool vm_finished(const struct vm *vm)
{
	return vm->exited || vm->stop_reason[0];
}

static void __printf(2, 3) vm_stop(struct vm *vm, const char *fmt, ...)
{
	va_list ap;

	if (vm_finished(vm))
		return;
	va_start(ap, fmt);
	fmt_vsnprintf(vm->stop_reason, sizeof(vm->stop_reason), fmt, ap);
	va_end(ap);
	vm->status = HV_STATUS_STOPPED;
}

/* ---- console: one line per log entry, prefixed with the guest name ----- */

static void vm_flush_line(struct vm *vm)
{
	vm->line[vm->line_len] = '\0';
	log_printf(LOG_INFO, vm->name, "%s\n", vm->line);
	vm->line_len = 0;
}

static void vm_putc(struct vm *vm, char c)
{
	if (c == '\r')
		return;
	if (c == '\n') {
		vm_flush_line(vm);
		return;
	}
	if (c != '\t' && (c < 0x20 || c > 0x7e))
		c = '?';	/* no escape sequences from a guest */
	vm->line[vm->line_len++] = c;
	if (vm->line_len == VM_LINE_MAX - 1)
		vm_flush_line(vm);
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
	u64 posted[4];

	if (ops->hw_posted)	/* the CPU takes them from the PIR itself */
		return 0;
	if (pi_pending(vm->vcpu.pi)) {
		pi_drain(vm->vcpu.pi, posted);
		vlapic_merge(&vm->lapic, posted);
	}
	return vlapic_pending(&vm->lapic);
}

/* ---- guest memory access by guest-virtual address ---------------------- */

/* 4-level walk of the guest's own tables (SDM Vol. 3A §4.5). */
static int gva_to_gpa(struct vm *vm, u64 gva, u64 *gpa)
{
	u64 table = vm->vcpu.cr3 & GPTE_ADDR, e, size;
	int level;

	if (!(vm->vcpu.cr0 & CR0_PG)) {
		*gpa = gva;
		return 0;
	}
	for (level = 4; level >= 1; level--) {
		unsigned shift = 12 + 9 * (level - 1);

		if (guest_mem_read(&vm->mem, table + ((gva >> shift) & 511) * 8,
				   &e, 8) || !(e & GPTE_P))
			return -1;
		if (level == 1 || (level <= 3 && (e & GPTE_PS))) {
			size = 1ull << shift;
			*gpa = ((e & GPTE_ADDR) & ~(size - 1)) | (gva & (size - 1));
			return 0;
		}
		table = e & GPTE_ADDR;
	}
	return -1;
}

/* Up to X86_MAX_INSN_LEN bytes at the guest's RIP; returns how many. */
static size_t fetch_insn(struct vm *vm, u8 *buf)
{
	u64 gva = vm->vcpu.rip, gpa = 0;
	size_t i;

	for (i = 0; i < X86_MAX_INSN_LEN; i++) {
		if ((i == 0 || ((gva + i) & 0xfff) == 0) &&
		    gva_to_gpa(vm, gva + i, &gpa))
			break;
		if (guest_mem_read(&vm->mem, gpa, &buf[i], 1))
			break;
		gpa++;
	}
	return i;
}

/*
 * Decode the trapped instruction and step over it: the CPU may not tell
 * us its length (no NRIPS under TCG). A mismatch with the kind we expect
 * stops the guest rather than skipping random bytes.
 */
static int skip_insn(struct vm *vm, u8 kind, const struct vcpu_exit *e)
{
	struct x86_insn in;
	u8 buf[X86_MAX_INSN_LEN];
	size_t n = fetch_insn(vm, buf);

	if (x86_decode(buf, n, &in) || (in.kind != kind &&
	    !(kind == X86_INS && in.kind == X86_OUTS))) {
		vm_stop(vm, "cannot decode the %s at RIP %#llx (bytes %02x %02x %02x)",
			x86_kind_name(kind), vm->vcpu.rip, n > 0 ? buf[0] : 0,
			n > 1 ? buf[1] : 0, n > 2 ? buf[2] : 0);
		return -1;
	}
	if (e->next_rip && e->next_rip != vm->vcpu.rip + in.len)
		pr_warn("%s: decoded length %u disagrees with next RIP %#llx\n",
			vm->name, in.len, e->next_rip);
	vm->vcpu.rip += in.len;
	return 0;
}

/* ---- waiting while the guest halts or sleeps --------------------------- */

/* Interrupts the vCPU's CPU so it leaves guest mode and sees a request. */
static void vm_kick(struct vm *vm)
{
	if (cpu_table[vm->cpu])
		apic_send_ipi(cpu_table[vm->cpu]->apic_id,
			      ICR_FIXED | kick_vector);
}

static void kick_handler(struct regs *regs)
{
}

static void host_timer_at(u64 deadline, u64 now)
{
	u64 ns = deadline > now ? deadline - now : 1;
	u64 count = ns * lapic_timer_hz() / 1000000000ull;

	apic_timer_start(kick_vector, (u32)MIN(MAX(count, 1), 0xffffffffull),
			 false);
}

/*
 * Sleep on this CPU until until_ns, or (if wake_on_irq) until the guest
 * has an interrupt to take. Interrupts are checked with IF clear and the
 * wait is "sti; hlt", so a wake-up cannot slip in between.
 */
static void vm_wait(struct vm *vm, u64 until_ns, bool wake_on_irq)
{
	for (;;) {
		u64 now = time_ns(), wake;

		if ((s64)(now - vm->start_ns) > (s64)vm->timeout_ns)
			vm->stop_request = true;	/* also with no BSP watching */
		irq_disable();
		vlapic_check_timer(vm, now);
		if (vm->stop_request || now >= until_ns ||
		    (wake_on_irq && (vm_pending_irq(vm) ||
				     (ops->hw_posted &&
				      (pi_pending(vm->vcpu.pi) ||
				       ops->irq_pending(&vm->vcpu)))))) {
			irq_enable();
			return;
		}
		wake = MIN(until_ns, now + IDLE_POLL_NS);
		if (vm->lapic.deadline_ns)
			wake = MIN(wake, vm->lapic.deadline_ns);
		host_timer_at(wake, now);
		__asm__ volatile("sti; hlt" ::: "memory");
	}
}

/* ---- exit handlers ----------------------------------------------------- */

static void handle_hlt(struct vm *vm, const struct vcpu_exit *e)
{
	if (skip_insn(vm, X86_HLT, e))
		return;
	if (!(vm->vcpu.rflags & RFLAGS_IF)) {
		vm_stop(vm, "hlt with interrupts disabled at RIP %#llx: it would never wake",
			vm->vcpu.rip - 1);
		return;
	}
	vm_wait(vm, ~0ull, true);
}

static s64 hc_console_write(struct vm *vm, u64 gpa, u64 len)
{
	char buf[128];
	u64 done = 0;

	if (len > HC_WRITE_MAX)
		return HC_EINVAL;
	while (done < len) {
		u64 n = MIN(len - done, sizeof(buf)), i;

		if (guest_mem_read(&vm->mem, gpa + done, buf, n))
			return done ? (s64)done : HC_EFAULT;
		for (i = 0; i < n; i++)
			vm_putc(vm, buf[i]);
		done += n;
	}
	return (s64)done;
}

static void handle_hypercall(struct vm *vm, const struct vcpu_exit *e)
{
	struct vcpu *v = &vm->vcpu;
	u64 nr = v->gpr[GPR_RAX], a0 = v->gpr[GPR_RDI], a1 = v->gpr[GPR_RSI];
	s64 ret = 0;

	if (skip_insn(vm, ops->hypercall_insn == HV_HCALL_VMCALL ?
			  X86_VMCALL : X86_VMMCALL, e))
		return;
	vm->stats.hypercalls++;
	switch (nr) {
	case HC_CONSOLE_WRITE:
		ret = hc_console_write(vm, a0, a1);
		break;
	case HC_EXIT:
		vm->exited = true;
		vm->status = (s64)a0;
		return;
	case HC_YIELD:
		break;
	case HC_SLEEP_NS:
		vm_wait(vm, time_ns() + MIN(a0, 10000000000ull), false);
		break;
	case HC_TIME_NS:
		ret = (s64)(time_ns() - vm->start_ns);
		break;
	default:
		ret = HC_ENOSYS;
		break;
	}
	v->gpr[GPR_RAX] = (u64)ret;
}

static void handle_io(struct vm *vm, const struct vcpu_exit *e)
{
	struct vcpu *v = &vm->vcpu;
	u32 val = (u32)v->gpr[GPR_RAX];
	u64 mask = e->size == 4 ? 0xffffffffull : (1ull << (8 * e->size)) - 1;

	if (e->string || e->port < HV_UART_BASE || e->port > HV_UART_BASE + 7) {
		vm_stop(vm, "%s%s port %#x (%u byte%s) at RIP %#llx: port not emulated",
			e->string ? "string " : "", e->in ? "in from" : "out to",
			e->port, e->size, e->size > 1 ? "s" : "", v->rip);
		return;
	}
	if (skip_insn(vm, e->in ? X86_IN : X86_OUT, e))
		return;
	vuart_io(&vm->uart, e->port - HV_UART_BASE, e->in, &val);
	if (e->in) {
		/* a 32-bit IN zero-extends into RAX, smaller ones merge */
		if (e->size == 4)
			v->gpr[GPR_RAX] = val;
		else
			v->gpr[GPR_RAX] = (v->gpr[GPR_RAX] & ~mask) | (val & mask);
	}
}

static bool msr_read(struct vm *vm, u32 msr, u64 *val)
{
	switch (msr) {
	case MSR_APIC_BASE:	/* x2APIC on, BSP (SDM Vol. 3A §11.12.1) */
		*val = 0xfee00000ull | APIC_BASE_ENABLE | APIC_BASE_X2APIC | BIT(8);
		return true;
	case MSR_EFER:
		*val = vm->vcpu.efer & ~EFER_SVME;
		return true;
	}
	return vlapic_msr_read(&vm->lapic, msr, time_ns(), val);
}

static bool msr_write(struct vm *vm, u32 msr, u64 val)
{
	return vlapic_msr_write(&vm->lapic, msr, val, time_ns());
}

/*
 * MSRs the guest may not touch get #GP, as a real CPU does for MSRs it
 * does not have: the guest sees a fault it can handle, the machine is
 * never touched.
 */
static void handle_msr(struct vm *vm, const struct vcpu_exit *e, bool write)
{
	struct vcpu *v = &vm->vcpu;
	u32 msr = (u32)v->gpr[GPR_RCX];
	u64 val = (v->gpr[GPR_RDX] << 32) | (u32)v->gpr[GPR_RAX];
	bool ok;

	ok = write ? msr_write(vm, msr, val) : msr_read(vm, msr, &val);
	if (!ok) {
		pr_info("%s: %s MSR %#x at RIP %#llx not allowed: #GP injected\n",
			vm->name, write ? "wrmsr" : "rdmsr", msr, v->rip);
		ops->inject_exception(v, EXC_GP, true, 0);
		return;
	}
	if (skip_insn(vm, write ? X86_WRMSR : X86_RDMSR, e))
		return;
	if (!write) {
		v->gpr[GPR_RAX] = (u32)val;
		v->gpr[GPR_RDX] = val >> 32;
	}
}

static void handle_cpuid(struct vm *vm, const struct vcpu_exit *e)
{
	struct vcpu *v = &vm->vcpu;
	u32 leaf = (u32)v->gpr[GPR_RAX], sub = (u32)v->gpr[GPR_RCX];
	struct cpuid_regs r = cpuid(leaf, sub);

	if (skip_insn(vm, X86_CPUID, e))
		return;
	if (leaf == 1) {
		/* no nested virtualization, no TSC deadline; x2APIC and the
		 * hypervisor bit on; APIC ID 0 */
		r.ecx &= ~(u32)(CPUID1_ECX_VMX | CPUID1_ECX_TSC_DEADLINE | BIT(3));
		r.ecx |= CPUID1_ECX_X2APIC | CPUID1_ECX_HYPERVISOR;
		r.ebx &= 0x00ffffff;
	} else if (leaf == 0x80000001) {
		r.ecx &= ~(u32)CPUID81_ECX_SVM;
	} else if (leaf == 0x40000000) {
		r.eax = 0x40000000;
		memcpy(&r.ebx, "hvhv", 4);
		memcpy(&r.ecx, "hvhv", 4);
		memcpy(&r.edx, "hvhv", 4);
	}
	v->gpr[GPR_RAX] = r.eax;
	v->gpr[GPR_RBX] = r.ebx;
	v->gpr[GPR_RCX] = r.ecx;
	v->gpr[GPR_RDX] = r.edx;
}

static void handle_npf(struct vm *vm, const struct vcpu_exit *e)
{
	const char *what = e->fetch ? "fetch" : e->write ? "write" : "read";

	if (!guest_mem_contains(&vm->mem, e->gpa, 1))
		vm_stop(vm, "NPF %s at GPA %#llx outside its memory (%llu MiB) at RIP %#llx",
			what, e->gpa, vm->mem.size >> 20, vm->vcpu.rip);
	else
		vm_stop(vm, "NPF %s at GPA %#llx inside its memory (present %d) at RIP %#llx",
			what, e->gpa, e->present, vm->vcpu.rip);
}

static void handle_exit(struct vm *vm, const struct vcpu_exit *e)
{
	if (e->reason < VEXIT_COUNT)
		vm->stats.exits[e->reason]++;
	switch (e->reason) {
	case VEXIT_INTR:
		break;
	case VEXIT_HLT:
		handle_hlt(vm, e);
		break;
	case VEXIT_HYPERCALL:
		handle_hypercall(vm, e);
		break;
	case VEXIT_IO:
		handle_io(vm, e);
		break;
	case VEXIT_MSR_READ:
	case VEXIT_MSR_WRITE:
		handle_msr(vm, e, e->reason == VEXIT_MSR_WRITE);
		break;
	case VEXIT_CPUID:
		handle_cpuid(vm, e);
		break;
	case VEXIT_NPF:
		handle_npf(vm, e);
		break;
	case VEXIT_SHUTDOWN:
		vm_stop(vm, "triple fault (shutdown) at RIP %#llx", vm->vcpu.rip);
		break;
	case VEXIT_EXCEPTION:
		vm_stop(vm, "exception %u (error %#x) at RIP %#llx",
			e->vector, e->error_code, vm->vcpu.rip);
		break;
	case VEXIT_ENTRY_FAILED:
		vm_stop(vm, "VM entry failed: %s", e->detail);
		break;
	default:
		vm_stop(vm, "unhandled exit %#llx%s%s at RIP %#llx", e->raw,
			e->detail[0] ? ": " : "", e->detail, vm->vcpu.rip);
		break;
	}
}

/* ---- the vCPU loop, on the guest's own AP ------------------------------ */

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

static void vcpu_loop(struct vm *vm)
{
	struct vcpu *v = &vm->vcpu;
	struct vcpu_exit e;

	while (!vm_finished(vm)) {
		u64 now = time_ns();

		if ((s64)(now - vm->start_ns) > (s64)vm->timeout_ns)
			vm->stop_request = true;
		if (vm->stop_request) {
			if (vm->async_reason[0])
				vm_stop(vm, "%s", vm->async_reason);
			else
				vm_stop(vm, "no exit after %llu s (timeout)",
					vm->timeout_ns / 1000000000ull);
			break;
		}
		irq_disable();
		vlapic_check_timer(vm, now);
		v->pending_irq = vm_pending_irq(vm);
		/* the host timer brings us back for the guest's next tick */
		if (vm->lapic.deadline_ns)
			host_timer_at(vm->lapic.deadline_ns, now);
		ops->run(v, &e);
		irq_enable();	/* host interrupts that caused the exit run now */
		if (v->irq_taken) {
			vlapic_accept(&vm->lapic, v->pending_irq);
			vm->stats.irqs_taken++;
		}
		handle_exit(vm, &e);
	}
}

static void vcpu_main(void *arg)
{
	struct vm *vm = arg;
	struct vcpu_boot_state b;
	u64 exits = 0;
	u32 i;

	boot_state(vm, &b);
	if (ops->cpu_init() || ops->create(&vm->vcpu) ||
	    ops->load_state(&vm->vcpu, &b)) {
		vm_stop(vm, "%s: could not set up the vCPU", ops->name);
		goto out;
	}
	vm->vcpu.gpr[GPR_RDI] = HV_GUEST_BOOTINFO_GPA;
	pr_info("%s: vCPU %u running on cpu%u, entry %#llx\n", vm->name,
		vm->vcpu.id, this_cpu()->index, vm->entry);
	vm->start_ns = time_ns();
	vcpu_loop(vm);
out:
	apic_timer_stop();
	vm->end_ns = time_ns();
	if (vm->line_len)
		vm_flush_line(vm);
	ops->destroy(&vm->vcpu);
	for (i = 0; i < VEXIT_COUNT; i++)
		exits += vm->stats.exits[i];
	if (vm->exited)
		pr_info("%s exited with status %lld\n", vm->name, vm->status);
	else
		pr_err("%s stopped: %s\n", vm->name, vm->stop_reason);
	pr_info("%s: %llu exits in %llu ms: %llu hypercall, %llu hlt, %llu io, %llu msr, %llu cpuid, %llu intr; %llu timer irqs raised, %llu taken%s\n",
		vm->name, exits, (vm->end_ns - vm->start_ns) / 1000000,
		vm->stats.exits[VEXIT_HYPERCALL], vm->stats.exits[VEXIT_HLT],
		vm->stats.exits[VEXIT_IO],
		vm->stats.exits[VEXIT_MSR_READ] + vm->stats.exits[VEXIT_MSR_WRITE],
		vm->stats.exits[VEXIT_CPUID], vm->stats.exits[VEXIT_INTR],
		vm->stats.timer_irqs, vm->stats.irqs_taken,
		ops->hw_posted ? " by software (the rest by posted-interrupt processing)" : "");
	/* Devices quiesced and detached before their domain and memory go. */
	vm_release_devices(vm);
	if (vm->iommu)
		iommu_domain_destroy(vm->iommu);
	pt_destroy(&vm->npt);
	guest_mem_free(&vm->mem);
	frame_free(virt_to_phys(vm->vcpu.pi), 1);
	__atomic_store_n(&vm->state, VM_DONE, __ATOMIC_RELEASE);
}

/* ---- setup ------------------------------------------------------------- */

/* "expect=N", "expect=stopped", "timeout=S"; other words are the guest's. */
static void parse_cmdline(struct vm *vm)
{
	const char *p = vm->cfg->cmdline;

	vm->expect_status = 0;
	vm->timeout_ns = DEFAULT_TIMEOUT_S * 1000000000ull;
	while (*p) {
		const char *w = p;
		size_t n = 0;

		while (w[n] && w[n] != ' ')
			n++;
		if (n > 7 && !strncmp(w, "expect=", 7)) {
			if (n == 14 && !strncmp(w + 7, "stopped", 7)) {
				vm->expect_stopped = true;
			} else {
				s64 v = 0, sign = 1;
				size_t i = 7;

				if (w[i] == '-') {
					sign = -1;
					i++;
				}
				for (; i < n && lib_isdigit(w[i]); i++)
					v = v * 10 + (w[i] - '0');
				vm->expect_status = sign * v;
			}
		} else if (n > 8 && !strncmp(w, "timeout=", 8)) {
			u64 s = 0;
			size_t i;

			for (i = 8; i < n && lib_isdigit(w[i]); i++)
				s = s * 10 + (u64)(w[i] - '0');
			if (s)
				vm->timeout_ns = s * 1000000000ull;
		}
		p = w + n;
		while (*p == ' ')
			p++;
	}
}

static int elf_write(void *ctx, u64 gpa, const void *src, u64 len)
{
	return guest_mem_write(ctx, gpa, src, len);
}

/* Identity map of guest RAM with 2 MiB pages, inside guest RAM. */
static int build_guest_tables(struct vm *vm)
{
	u64 gigs = ALIGN_UP(vm->mem.size, SZ_1G) / SZ_1G, pml4e, i;
	u64 pdpt = HV_GUEST_PT_BASE + PAGE_SIZE;
	u64 pd0 = pdpt + PAGE_SIZE;
	u64 gdt[3] = { 0, GUEST_GDT_CODE64, GUEST_GDT_DATA };

	if (pd0 + gigs * PAGE_SIZE > HV_GUEST_RESERVED_END || gigs > 512)
		return -1;
	if (vm->ndevs) {
		/* Assigned devices' registers: one uncached 1 GiB page. */
		u64 pdpte = GUEST_MMIO_GIB * SZ_1G | GPTE_P | GPTE_RW |
			    GPTE_PWT | GPTE_PCD | GPTE_PS;

		if (gigs > GUEST_MMIO_GIB ||
		    guest_mem_write(&vm->mem, pdpt + GUEST_MMIO_GIB * 8,
				    &pdpte, 8))
			return -1;
	}
	pml4e = pdpt | GPTE_P | GPTE_RW;
	if (guest_mem_write(&vm->mem, HV_GUEST_PT_BASE, &pml4e, 8))
		return -1;
	for (i = 0; i < gigs; i++) {
		u64 pdpte = (pd0 + i * PAGE_SIZE) | GPTE_P | GPTE_RW, j;

		if (guest_mem_write(&vm->mem, pdpt + i * 8, &pdpte, 8))
			return -1;
		for (j = 0; j < 512; j++) {
			u64 gpa = i * SZ_1G + j * SZ_2M;
			u64 pde = gpa | GPTE_P | GPTE_RW | GPTE_PS;

			if (gpa >= vm->mem.size)
				break;
			if (guest_mem_write(&vm->mem, pd0 + i * PAGE_SIZE + j * 8,
					    &pde, 8))
				return -1;
		}
	}
	return guest_mem_write(&vm->mem, HV_GUEST_GDT_BASE, gdt, sizeof(gdt));
}

static int write_boot_info(struct vm *vm)
{
	static struct hv_boot_info bi;	/* only the BSP sets guests up */
	u32 i;

	memset(&bi, 0, sizeof(bi));
	bi.magic = HV_GUEST_BOOTINFO_MAGIC;
	bi.version = HV_ABI_VERSION;
	bi.vcpus = 1;
	bi.hypercall_insn = ops->hypercall_insn;
	bi.nmem = 1;
	bi.mem[0].gpa = 0;
	bi.mem[0].size = vm->mem.size;
	for (i = 0; i < vm->ndevs && i < HV_BI_MAX_DEV; i++)
		bi.dev[i] = vm->devs[i].info;
	bi.ndev = i;
	bi.vtimer_hz = HV_VTIMER_HZ;
	strlcpy(bi.name, vm->name, sizeof(bi.name));
	strlcpy(bi.cmdline, vm->cfg->cmdline, sizeof(bi.cmdline));
	return guest_mem_write(&vm->mem, HV_GUEST_BOOTINFO_GPA, &bi, sizeof(bi));
}

static int iommu_map_range(void *ctx, u64 gpa, u64 hpa, u64 size)
{
	return iommu_map(ctx, gpa, hpa, size, IOMMU_READ | IOMMU_WRITE);
}

/*
 * A guest with devices gets an IOMMU domain built from the same GPA->HPA
 * map as its nested page tables, so device DMA sees exactly guest RAM.
 * Attaching the devices is not done yet (see docs/vmm.md).
 */
/*
 * The fault policy for a guest's domain: a device of this guest tried DMA
 * outside the guest's memory. Runs on the CPU taking the VT-d fault
 * interrupt; the guest is stopped, its vCPU kicked out of guest mode.
 */
static void vm_dma_fault(void *ctx, u16 segment, u16 rid, u64 addr,
			 bool write, u8 reason)
{
	struct vm *vm = ctx;

	if (vm->stop_request || vm_finished(vm))
		return;
	fmt_snprintf(vm->async_reason, sizeof(vm->async_reason),
		     "DMA %s GPA %#llx by %02x:%02x.%u outside its memory (VT-d fault reason %#x)",
		     write ? "write to" : "read from", addr, rid >> 8,
		     (rid >> 3) & 0x1f, rid & 7, reason);
	__atomic_store_n(&vm->stop_request, true, __ATOMIC_RELEASE);
	if (vm->started)
		vm_kick(vm);
}

static void vm_build_iommu_domain(struct vm *vm)
{
	int err;

	if (!vm->cfg->ndevices)
		return;
	if (!iommu_present()) {
		pr_warn("%s: %u device(s) requested, but there is no IOMMU: none assigned\n",
			vm->name, vm->cfg->ndevices);
		return;
	}
	vm->iommu = iommu_domain_create(vm->name);
	if (!vm->iommu) {
		pr_err("%s: no IOMMU domain available\n", vm->name);
		return;
	}
	err = guest_mem_walk(&vm->mem, iommu_map_range, vm->iommu);
	if (err) {
		pr_err("%s: IOMMU map failed: %s\n", vm->name,
		       iommu_strerror(err));
		iommu_domain_destroy(vm->iommu);
		vm->iommu = NULL;
		return;
	}
	iommu_set_fault_handler(vm->iommu, vm_dma_fault, vm);
	pr_info("%s: IOMMU domain built from the guest memory map (%u range(s), %llu MiB)\n",
		vm->name, vm->mem.nranges, vm->mem.size >> 20);
}

static void vm_uart_putc(void *ctx, char c)
{
	vm_putc(ctx, c);
}

static int vm_setup(struct vm *vm, const struct hv_image *img)
{
	const struct cfg_guest *g = vm->cfg;
	struct elf_image elf;
	char err[120];
	u64 pi;
	int rc;

	vm->uart = (struct vuart){ .putc = vm_uart_putc, .ctx = vm };
	if (!img->size) {
		pr_err("%s: image %s was not loaded; not started\n", vm->name,
		       g->image);
		return -1;
	}
	if (g->memory < 2 * HV_GUEST_RESERVED_END) {
		pr_err("%s: memory %llu KiB is too small (at least 2 MiB)\n",
		       vm->name, g->memory >> 10);
		return -1;
	}
	if (elf_parse(phys_to_virt(img->pa), img->size, HV_GUEST_LOAD_MIN,
		      g->memory, &elf, err, sizeof(err))) {
		pr_err("%s: bad image %s: %s; not started\n", vm->name,
		       g->image, err);
		return -1;
	}
	if (guest_mem_alloc(&vm->mem, g->memory, &kernel_gm_ops)) {
		pr_err("%s: out of memory for %llu MiB of guest RAM\n",
		       vm->name, g->memory >> 20);
		return -1;
	}
	pi = frame_alloc(1);
	if (!pi)
		goto fail_mem;
	vm->vcpu.pi = phys_to_virt(pi);
	if (elf_load(&elf, phys_to_virt(img->pa), elf_write, &vm->mem)) {
		pr_err("%s: could not load the image into guest memory\n",
		       vm->name);
		goto fail_pi;
	}
	rc = pt_create(&vm->npt, ops->nested_fmt, 4, ops->nested_page_sizes,
		       &npt_env);
	if (!rc)
		rc = guest_mem_map_into(&vm->mem, &vm->npt);
	if (rc) {
		pr_err("%s: nested page tables: %s\n", vm->name,
		       pt_strerror(rc));
		goto fail_npt;
	}
	vm->entry = elf.entry;
	vm->vcpu.nested_root = vm->npt.root;
	pr_info("%s: %s, %u segment(s), entry %#llx; %llu MiB RAM in %u range(s) (%u 2M-aligned) from HPA %#llx; %s root %#llx\n",
		vm->name, g->image, elf.nsegs, elf.entry, vm->mem.size >> 20,
		vm->mem.nranges, vm->mem.large_runs, vm->mem.range[0].hpa,
		ops->nested_fmt->name, vm->npt.root);
	if (g->vcpus > 1)
		pr_warn("%s: cpus = %u requested; running 1 vCPU (SMP guests are not supported yet)\n",
			vm->name, g->vcpus);
	vm_build_iommu_domain(vm);
	if (vm_assign_devices(vm)) {
		pr_err("%s: not started: its devices could not be assigned\n",
		       vm->name);
		goto fail_devs;
	}
	if (build_guest_tables(vm) || write_boot_info(vm)) {
		pr_err("%s: could not lay out guest memory\n", vm->name);
		goto fail_devs;
	}
	return 0;
fail_devs:
	vm_release_devices(vm);
	iommu_domain_destroy(vm->iommu);
	vm->iommu = NULL;
fail_npt:
	if (vm->npt.root)
		pt_destroy(&vm->npt);
fail_pi:
	frame_free(pi, 1);
fail_mem:
	guest_mem_free(&vm->mem);
	return -1;
}

/* ---- life cycle -------------------------------------------------------- */

static bool vm_verdict(struct vm *vm)
{
	bool ok;

	/*
	 * A missing image was reported by the boot stub, whose policy is
	 * that the run carries on (docs/config.md): not part of the
	 * verdict. A guest the VMM tried and failed to start is.
	 */
	if (!vm->started && vm->image_missing)
		return true;
	if (!vm->started) {
		selftest_check(false, vm->name, "not started");
		return false;
	}
	if (vm->expect_stopped) {
		ok = !vm->exited;
		selftest_check(ok, vm->name, "expected to be stopped: %s%s",
			       ok ? "stopped: " : "exited with status ",
			       ok ? vm->stop_reason : "");
		if (!ok)
			pr_err("%s: exited with status %lld\n", vm->name,
			       vm->status);
		return ok;
	}
	ok = vm->exited && vm->status == vm->expect_status;
	if (vm->exited)
		selftest_check(ok, vm->name, "exit status %lld, expected %lld",
			       vm->status, vm->expect_status);
	else
		selftest_check(false, vm->name, "stopped (%s), expected exit status %lld",
			       vm->stop_reason, vm->expect_status);
	return ok;
}

static void wait_for_guests(u32 n)
{
	u32 i, running;

	do {
		u64 now = time_ns();

		running = 0;
		for (i = 0; i < n; i++) {
			struct vm *vm = &vms[i];

			if (!vm->started ||
			    __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) == VM_DONE)
				continue;
			running++;
			/* signed: the AP's clock may read slightly ahead */
			if (!vm->stop_request && vm->start_ns &&
			    (s64)(now - vm->start_ns) > (s64)vm->timeout_ns) {
				vm->stop_request = true;
				vm_kick(vm);
			}
		}
		igb_pf_poll();
		udelay(1000);
	} while (running);
}

enum vmm_result vmm_run_guests(struct hv_bootinfo *bi)
{
	const struct hv_config *cfg = &bi->cfg;
	u32 i, cpu = 1, started = 0;
	bool all_ok = true;

	if (!cfg->nguests)
		return VMM_NO_GUESTS;
	ops = vcpu_backend_select();
	kick_vector = irq_alloc_vector(kick_handler);
	if (!ops || !kick_vector) {
		for (i = 0; i < cfg->nguests; i++)
			selftest_check(false, cfg->guests[i].name,
				       "not started: %s", ops ? "no free vector" :
				       "no virtualization backend");
		return VMM_GUESTS_FAILED;
	}
	pr_info("backend %s; %u guest(s), %u CPU(s): %s\n", ops->name,
		cfg->nguests, cpu_count, cpu_count > 1 ?
		"cpu0 keeps the hypervisor, one AP per guest" :
		"guests share cpu0");
	/* Set every guest up first, then start them together. */
	for (i = 0; i < cfg->nguests; i++) {
		struct vm *vm = &vms[i];

		vm->index = i;
		vm->cfg = &cfg->guests[i];
		strlcpy(vm->name, vm->cfg->name, sizeof(vm->name));
		vm->vcpu.id = i + 1;
		parse_cmdline(vm);
		if (cpu >= cpu_count && cpu_count > 1) {
			pr_err("%s: no free CPU (%u CPUs, cpu0 is the hypervisor's); not started\n",
			       vm->name, cpu_count);
			continue;
		}
		vm->image_missing = !bi->images[i].size;
		if (vm_setup(vm, &bi->images[i]))
			continue;
		vm->cpu = cpu_count > 1 ? cpu++ : 0;
		vm->vcpu.host_cpu = vm->cpu;
		vm->started = true;
	}
	if (cpu_count == 1)
		pr_warn("only cpu0 is online: guests run one after the other on it, not partitioned\n");
	for (i = 0; i < cfg->nguests; i++) {
		struct vm *vm = &vms[i];

		if (!vm->started)
			continue;
		vm->state = VM_RUNNING;
		if (cpu_count == 1) {
			vcpu_main(vm);
			started++;
			continue;
		}
		if (smp_run_on(vm->cpu, vcpu_main, vm)) {
			pr_err("%s: cpu%u is not available; not started\n",
			       vm->name, vm->cpu);
			vm->started = false;
			pt_destroy(&vm->npt);
			guest_mem_free(&vm->mem);
			frame_free(virt_to_phys(vm->vcpu.pi), 1);
			continue;
		}
		started++;
	}
	wait_for_guests(cfg->nguests);
	for (i = 0; i < cfg->nguests; i++)
		all_ok &= vm_verdict(&vms[i]);
	pr_info("%u of %u guest(s) started, all stopped; verdict %s\n",
		started, cfg->nguests, all_ok ? "pass" : "FAIL");
	return all_ok ? VMM_GUESTS_PASSED : VMM_GUESTS_FAILED;
}
