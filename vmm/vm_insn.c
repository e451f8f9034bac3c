// SPDX-License-Identifier: MIT
/*
 * The instruction a guest trapped on: read through the guest's own page
 * tables and decoded, because the CPU may not tell us its length (no
 * NRIPS under QEMU TCG, no decode assists).
 */
#define LOG_SUBSYS "vmm"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "vmm/guest_x86.h"
#include "vmm/vm.h"
#include "vmm/x86_decode.h"

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

/*
 * len bytes at the guest's virtual address gva, read or written through
 * its page tables, a byte at a time across pages; 0, or -1 when a page
 * is not present or not the guest's RAM. The guest's own permission bits
 * are not checked: what it can reach here is its own memory either way.
 */
int vm_gva_copy(struct vm *vm, u64 gva, void *buf, u32 len, bool write)
{
	u64 gpa = 0;
	u32 i;

	for (i = 0; i < len; i++) {
		u8 *b = (u8 *)buf + i;

		if ((i == 0 || ((gva + i) & 0xfff) == 0) &&
		    gva_to_gpa(vm, gva + i, &gpa))
			return -1;
		if (write ? guest_mem_write(&vm->mem, gpa, b, 1) :
			    guest_mem_read(&vm->mem, gpa, b, 1))
			return -1;
		gpa++;
	}
	return 0;
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

int vm_decode_insn(struct vm *vm, struct x86_insn *in)
{
	u8 buf[X86_MAX_INSN_LEN];
	size_t n = fetch_insn(vm, buf);

	return x86_decode(buf, n, in);
}

/*
 * Decode the trapped instruction and step over it. A mismatch with the
 * kind we expect stops the guest rather than skipping random bytes.
 */
int vm_skip_insn(struct vm *vm, u8 kind, const struct vcpu_exit *e)
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
