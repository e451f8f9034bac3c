// SPDX-License-Identifier: MIT
/*
 * What happens when a guest exits: hypercalls (lib/hv_abi.h), its ports
 * (the virtual 16550, the PCI ports of vm_pci.c), its MSRs (the x2APIC timer), CPUID, and faults.
 * Every exit ends in one of: emulated and stepped over, an exception
 * injected, or the guest stopped with a reason in words.
 */
#define LOG_SUBSYS "vmm"
#include "kernel/apic.h"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/timer.h"
#include "kernel/trap.h"
#include "kernel/wallclock.h"
#include "lib/hv_abi.h"
#include "lib/string.h"
#include "vmm/vm.h"
#include "vmm/vm_pci.h"
#include "vmm/vuart.h"
#include "vmm/x86_decode.h"

#define HC_WRITE_MAX 4096

/*
 * A guest may repeat a refused operation as often as it likes: the first
 * VM_NOISE_LOGGED of each kind are logged, the rest only counted (the
 * guest's closing report has the totals).
 */
#define VM_NOISE_LOGGED 8

/* One more in *count: true while among the first VM_NOISE_LOGGED; the next
 * one says the rest are not logged (where: where they are counted). */
static bool log_first_ones(struct vm *vm, u64 *count, const char *what,
			   const char *where)
{
	u64 n = ++*count;

	if (n == VM_NOISE_LOGGED + 1)
		pr_info("%s: further %s not logged%s\n", vm->name, what, where);
	return n <= VM_NOISE_LOGGED;
}

static bool vm_log_noise(struct vm *vm, u32 kind, const char *what)
{
	return log_first_ones(vm, &vm->stats.noise[kind], what,
			      " (counted in the report)");
}

/*
 * HLT with interrupts off never wakes. For Linux it is how power-off ends
 * on a machine without ACPI ("Power off not available: System halted
 * instead"): that guest's normal exit, status 0. For our guests it is a
 * bug (attack_cpu.sh's hltcli), and they are stopped.
 */
static void halted_for_good(struct vm *vm)
{
	if (!vm->cfg->is_linux) {
		vm_stop(vm, "hlt with interrupts disabled at RIP %#llx: it would never wake",
			vm->vcpu.rip - 1);
		return;
	}
	pr_info("%s: halted with interrupts off at RIP %#llx: Linux powered off (no ACPI); its exit, status 0\n",
		vm->name, vm->vcpu.rip - 1);
	vm->exited = true;
	vm->status = 0;
}

static void handle_hlt(struct vm *vm, const struct vcpu_exit *e)
{
	if (vm_skip_insn(vm, X86_HLT, e))
		return;
	if (!(vm->vcpu.rflags & RFLAGS_IF)) {
		halted_for_good(vm);
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

	if (vm_skip_insn(vm, vm_ops->hypercall_insn == HV_HCALL_VMCALL ?
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

/*
 * No device on the port: reads float to all ones as on a PC's bus (so
 * probes find nothing), writes go nowhere. Counted; the first is logged.
 */
static void unowned_port(struct vm *vm, const struct vcpu_exit *e, u32 *val)
{
	if (++vm->stats.noise[VM_NOISE_PORT] == 1)
		pr_info("%s: %s port %#x (%u byte%s) at RIP %#llx: no device there; reads are all ones, writes dropped (further ones counted in the table)\n",
			vm->name, e->in ? "in from" : "out to", e->port,
			e->size, e->size > 1 ? "s" : "", vm->vcpu.rip);
	if (e->in)
		*val = 0xffffffffu;
}

/*
 * What the guest did to its RTC, in the log: a refused time counts as a
 * refusal (the table's column); setting its clock and enabling RTC
 * interrupts are its right, logged the first VM_NOISE_LOGGED times.
 */
static void rtc_event(struct vm *vm, enum vrtc_event ev)
{
	if (ev == VRTC_EV_TIME_REFUSED) {
		if (vm_log_noise(vm, VM_NOISE_RTC, "refused RTC times"))
			pr_info("%s: RTC time written is no date from 1970 to 9999: its clock keeps its time\n",
				vm->name);
		return;
	}
	if (!log_first_ones(vm, &vm->stats.rtc_notes, "RTC settings", ""))
		return;
	if (ev == VRTC_EV_TIME_SET)
		pr_info("%s: RTC set by the guest: its clock is now %+lld s from the host's (its own view; no RTC of the machine is written)\n",
			vm->name, vm->rtc.offset_s);
	else
		pr_info("%s: RTC interrupts enabled (register B %#x): their flags show in register C, IRQ 8 is never raised\n",
			vm->name, vm->rtc.ram[RTC_REG_B]);
}

static bool rtc_covers(u16 port, u8 size)
{
	return port <= VRTC_DATA_PORT && port + size > VRTC_INDEX_PORT;
}

/* The ISA bus splits a wider access into byte cycles, low byte first:
 * the RTC's bytes go to it, the rest float. */
static void rtc_io(struct vm *vm, const struct vcpu_exit *e, u32 *val)
{
	u32 i;

	for (i = 0; i < e->size; i++) {
		u8 b = (u8)(*val >> (8 * i));
		enum vrtc_event ev = VRTC_EV_NONE;

		if (vrtc_owns_port((u16)(e->port + i)))
			ev = vrtc_io(&vm->rtc, (u16)(e->port + i), e->in, &b,
				     wallclock_ns());
		else
			b = 0xff;
		if (ev)
			rtc_event(vm, ev);
		if (e->in)
			*val = (*val & ~(0xffu << (8 * i))) | (u32)b << (8 * i);
	}
}

/* The devices on a guest's ports: the 16550 and PCI for all, the PC's
 * 8259 pair and CMOS clock for Linux guests. */
enum port_dev { PORT_NONE, PORT_UART, PORT_PIC, PORT_RTC, PORT_PCI };

static enum port_dev port_owner(struct vm *vm, const struct vcpu_exit *e)
{
	bool pc = vm->cfg->is_linux;

	if (vuart_owns_port(e->port))
		return PORT_UART;
	if (pc && vpic_owns_port(e->port))
		return PORT_PIC;
	if (pc && rtc_covers(e->port, e->size))
		return PORT_RTC;
	return vm_pci_owns_port(vm, e->port) ? PORT_PCI : PORT_NONE;
}

/* One IN or OUT of e->size bytes, whoever owns the port. */
static void port_access(struct vm *vm, const struct vcpu_exit *e, u32 *val)
{
	switch (port_owner(vm, e)) {
	case PORT_UART:
		vuart_io(&vm->uart, e->port - HV_UART_BASE, e->in, val);
		break;
	case PORT_PIC:
		vpic_io(&vm->pic, e->port, e->in, val);
		break;
	case PORT_RTC:
		rtc_io(vm, e, val);
		break;
	case PORT_PCI:
		vm_pci_pio(vm, e->port, e->size, e->in, val);
		break;
	default:
		unowned_port(vm, e, val);
		break;
	}
}

/*
 * INS/OUTS from a Linux guest: one element per exit, through the same
 * devices as IN/OUT. RIP moves past the instruction only when a REP's
 * RCX reaches 0; until then the CPU runs it again, so a long REP is
 * interruptible and costs the guest its own time, not the hypervisor's.
 * 64-bit addresses and DS/ES only: an address-size or segment prefix
 * stops the guest.
 */
static void string_io(struct vm *vm, const struct vcpu_exit *e)
{
	struct vcpu *v = &vm->vcpu;
	u64 *ptr = e->in ? &v->gpr[GPR_RDI] : &v->gpr[GPR_RSI];
	struct x86_insn in;
	bool rep;
	u32 val = 0;

	if (vm_decode_insn(vm, &in) || (in.kind != X86_INS && in.kind != X86_OUTS) ||
	    (in.prefixes & (X86_P_ADDRSIZE | X86_P_SEG))) {
		vm_stop(vm, "string I/O at RIP %#llx with a prefix or encoding not emulated",
			v->rip);
		return;
	}
	rep = in.prefixes & X86_P_REP;
	if (!rep || v->gpr[GPR_RCX]) {
		if (!e->in && vm_gva_copy(vm, *ptr, &val, e->size, false))
			goto unmapped;
		port_access(vm, e, &val);
		if (e->in && vm_gva_copy(vm, *ptr, &val, e->size, true))
			goto unmapped;
		*ptr += v->rflags & RFLAGS_DF ? -(u64)e->size : e->size;
		if (rep)
			v->gpr[GPR_RCX]--;
	}
	if (!rep || !v->gpr[GPR_RCX])
		v->rip += in.len;
	return;
unmapped:
	vm_stop(vm, "string %s port %#x at RIP %#llx: buffer at %#llx is not in its memory",
		e->in ? "in from" : "out to", e->port, v->rip, *ptr);
}

static void handle_io(struct vm *vm, const struct vcpu_exit *e)
{
	struct vcpu *v = &vm->vcpu;
	u32 val = (u32)v->gpr[GPR_RAX];
	u64 mask = e->size == 4 ? 0xffffffffull : (1ull << (8 * e->size)) - 1;

	/* A Linux guest expects a PC, where nothing answers on most ports;
	 * our own guests use only the ports they were built for. */
	if (!vm->cfg->is_linux && (e->string || port_owner(vm, e) == PORT_NONE)) {
		vm_stop(vm, "%s%s port %#x (%u byte%s) at RIP %#llx: port not emulated",
			e->string ? "string " : "", e->in ? "in from" : "out to",
			e->port, e->size, e->size > 1 ? "s" : "", v->rip);
		return;
	}
	if (e->string) {
		string_io(vm, e);
		return;
	}
	if (vm_skip_insn(vm, e->in ? X86_IN : X86_OUT, e))
		return;
	port_access(vm, e, &val);
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
	case MSR_TSC_DEADLINE:
		*val = vm->lapic.tsc_deadline;
		return true;
	case MSR_MISC_ENABLE:
		/* Every Intel CPU has it, and Linux's verify_cpu reads it
		 * before it has an IDT, where a #GP is a triple fault: fast
		 * strings on, no branch trace or PEBS, XD not disabled,
		 * MONITOR off as CPUID says. Writes are refused. */
		*val = MISC_ENABLE_FAST_STRING | MISC_ENABLE_BTS_UNAVAIL |
		       MISC_ENABLE_PEBS_UNAVAIL;
		return true;
	}
	return vlapic_msr_read(&vm->lapic, msr, time_ns(), val);
}

/* EFER bits a guest may change; LME and LMA stay as they are (long mode). */
#define GUEST_EFER_WRITABLE (EFER_SCE | EFER_NXE)

/* The backend puts vcpu.efer back into the guest before the next entry. */
static bool efer_write(struct vm *vm, u64 val)
{
	u64 cur = vm->vcpu.efer & ~EFER_SVME;

	if ((val ^ cur) & ~GUEST_EFER_WRITABLE)
		return false;
	vm->vcpu.efer = (vm->vcpu.efer & ~GUEST_EFER_WRITABLE) |
			(val & GUEST_EFER_WRITABLE);
	return true;
}

/*
 * The guest's TSC is the host's (no offset), so a TSC deadline becomes a
 * host time by the TSC's rate.
 */
static u64 tsc_deadline_ns(u64 tsc)
{
	u64 now_tsc = rdtsc(), now = time_ns();

	if (!tsc || tsc <= now_tsc)
		return tsc ? now : 0;
	return now + tsc_to_ns(tsc - now_tsc);
}

/*
 * An IPI the vlapic will not deliver (vlapic_ipi_check): the first of
 * each kind is logged (each delivery mode, a fixed one to nobody, an
 * illegal vector), the rest counted. Nothing is sent anywhere either
 * way: no IPI, NMI or INIT ever reaches a physical CPU.
 */
static void ipi_refused(struct vm *vm, u32 msr, u64 val)
{
	static const char *const modes[8] = {
		"fixed", "lowest-priority", "SMI", "reserved mode 3", "NMI",
		"INIT", "SIPI", "ExtINT" };
	static const char *const why[VLAPIC_IPI_COUNT] = {
		[VLAPIC_IPI_NOBODY] = "no vCPU at that destination: dropped",
		[VLAPIC_IPI_BAD_MODE] = "only fixed IPIs are delivered: refused",
		[VLAPIC_IPI_BAD_VECTOR] = "vector below 16 is illegal: dropped",
	};
	enum vlapic_ipi v = vlapic_ipi_check(msr, val);
	u32 mode = msr == X2APIC_MSR_ICR ?
		   (val & X2APIC_ICR_DM_MASK) >> X2APIC_ICR_DM_SHIFT : 0;
	u32 kind = v == VLAPIC_IPI_BAD_VECTOR ? VM_NOISE_IPI_KINDS - 1 : mode;

	if (v == VLAPIC_IPI_SELF || ++vm->stats.noise[VM_NOISE_IPI + kind] > 1)
		return;
	pr_info("%s: %s %#llx (%s, vector %llu) at RIP %#llx: %s (further ones of the kind counted in the table)\n",
		vm->name, msr == X2APIC_MSR_ICR ? "ICR" : "SELF_IPI", val,
		modes[mode], val & X2APIC_ICR_VECTOR, vm->vcpu.rip, why[v]);
}

static bool msr_write(struct vm *vm, u32 msr, u64 val)
{
	if (msr == X2APIC_MSR_ICR || msr == X2APIC_MSR_SELF_IPI)
		ipi_refused(vm, msr, val);
	if (msr == MSR_EFER)
		return efer_write(vm, val);
	if (msr == MSR_TSC_DEADLINE) {
		vlapic_tsc_deadline_write(&vm->lapic, val, tsc_deadline_ns(val));
		return true;
	}
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
		if (vm_log_noise(vm, VM_NOISE_MSR, "refused MSR accesses"))
			pr_info("%s: %s MSR %#x at RIP %#llx not allowed: #GP injected\n",
				vm->name, write ? "wrmsr" : "rdmsr", msr, v->rip);
		vm_ops->inject_exception(v, EXC_GP, true, 0);
		return;
	}
	if (vm_skip_insn(vm, write ? X86_WRMSR : X86_RDMSR, e))
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

	if (vm_skip_insn(vm, X86_CPUID, e))
		return;
	if (leaf == 1) {
		/* no nested virtualization; x2APIC, its TSC-deadline timer
		 * (vlapic.c) and the hypervisor bit on; APIC ID 0, the same
		 * in every leaf */
		r.ecx &= ~(u32)(CPUID1_ECX_VMX |
				CPUID1_ECX_MONITOR | CPUID1_ECX_SMX | CPUID1_ECX_XSAVE |
				CPUID1_ECX_OSXSAVE);
		r.ecx |= CPUID1_ECX_X2APIC | CPUID1_ECX_HYPERVISOR |
			 CPUID1_ECX_TSC_DEADLINE;
		r.ebx &= 0x00ffffff;
		/* machine checks stay with the host (#MC is intercepted),
		 * and their MSRs are not emulated; nor are the thermal
		 * monitor's (Linux reads the thermal LVT on an Intel CPU
		 * that shows it, through xAPIC MMIO before its x2APIC
		 * driver is in: a page fault). One CPU per package: no
		 * HTT count (Linux warns when it disagrees with leaf 4). */
		r.edx &= ~(u32)(CPUID1_EDX_MCE | CPUID1_EDX_MCA |
				CPUID1_EDX_ACPI | CPUID1_EDX_TM |
				CPUID1_EDX_HTT);
		r.ecx &= ~(u32)CPUID1_ECX_TM2;
		r.ebx = (r.ebx & ~CPUID1_EBX_NPROC_MASK) | (1u << 16);
	} else if (leaf == CPUID_LEAF_CACHE) {
		r.eax &= ~CPUID4_EAX_SHARING_MASK;	/* one core, one thread */
	} else if (leaf == CPUID_LEAF_POWER) {
		/* the virtual APIC timer runs in every C-state */
		r.eax |= CPUID6_EAX_ARAT;
	} else if (leaf == 7 && sub == 0) {
		r.ecx &= ~(u32)CPUID7_ECX_LA57;	/* 4-level paging, as built */
	} else if (leaf == CPUID_LEAF_TOPOLOGY || leaf == CPUID_LEAF_TOPOLOGY2) {
		r.edx = 0;			/* the vCPU's x2APIC ID */
	} else if (leaf == CPUID_LEAF_AMD_TOPOLOGY) {
		r.eax = 0;			/* its extended APIC ID */
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

/*
 * Sensitive instructions (VEXIT_INSN): what each does to a guest, the same
 * on SVM and VMX. #UD is what a CPU without the feature does, and CPUID
 * says the feature is absent (no SVM/VMX, SMX, XSAVE, MONITOR). The cache
 * flushes are stepped over: guest RAM is write-back and every assigned
 * device snoops, so there is nothing to write back, and INVD must never
 * discard lines that hold the hypervisor's or another guest's data.
 */
enum insn_action { INSN_UD = 1, INSN_NOP };

static const struct {
	u8 action;		/* enum insn_action */
	u8 kind;		/* INSN_NOP: the decoder's kind, for the length */
	const char *why;
} insn_policy[VINSN_COUNT] = {
	[VINSN_VIRT] = { INSN_UD, 0, "no nested virtualization" },
	[VINSN_GETSEC] = { INSN_UD, 0, "no SMX" },
	[VINSN_XSETBV] = { INSN_UD, 0, "no XSAVE" },
	[VINSN_MONITOR] = { INSN_UD, 0, "no MONITOR/MWAIT" },
	[VINSN_MWAIT] = { INSN_UD, 0, "no MONITOR/MWAIT" },
	[VINSN_INVD] = { INSN_NOP, X86_INVD, "a no-op here" },
	[VINSN_WBINVD] = { INSN_NOP, X86_WBINVD, "a no-op here" },
};

static void handle_insn(struct vm *vm, const struct vcpu_exit *e)
{
	u8 action = e->insn < VINSN_COUNT ? insn_policy[e->insn].action : 0;

	if (!action) {
		vm_stop(vm, "%s at RIP %#llx: no policy for it", e->detail,
			vm->vcpu.rip);
		return;
	}
	if (vm_log_noise(vm, VM_NOISE_INSN + e->insn, "instructions of this kind"))
		pr_info("%s: %s at RIP %#llx: %s (%s)\n", vm->name, e->detail,
			vm->vcpu.rip, action == INSN_UD ? "#UD injected" :
			"stepped over", insn_policy[e->insn].why);
	if (action == INSN_UD)
		vm_ops->inject_exception(&vm->vcpu, EXC_UD, false, 0);
	else
		vm_skip_insn(vm, insn_policy[e->insn].kind, e);
}

static void handle_npf(struct vm *vm, const struct vcpu_exit *e)
{
	const char *what = e->fetch ? "fetch" : e->write ? "write" : "read";

	if (vm_pci_mmio(vm, e))
		return;
	if (!guest_mem_contains(&vm->mem, e->gpa, 1))
		vm_stop(vm, "NPF %s at GPA %#llx outside its memory (%llu MiB) at RIP %#llx",
			what, e->gpa, vm->mem.size >> 20, vm->vcpu.rip);
	else
		vm_stop(vm, "NPF %s at GPA %#llx inside its memory (present %d) at RIP %#llx",
			what, e->gpa, e->present, vm->vcpu.rip);
}

void vm_handle_exit(struct vm *vm, const struct vcpu_exit *e)
{
	if (e->reason < VEXIT_COUNT)
		vm->stats.exits[e->reason]++;
	vm->stats.kinds[exit_kind(e->reason, e->port,
				  (u32)vm->vcpu.gpr[GPR_RCX])]++;
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
	case VEXIT_INSN:
		handle_insn(vm, e);
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
