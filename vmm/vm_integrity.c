// SPDX-License-Identifier: MIT
/*
 * Evidence that guests stayed in their boxes, computed, not assumed: a
 * CRC-32 of the hypervisor's code and read-only data before the first
 * guest starts and after the last one stops, and of each guest's
 * read-only image segments when it is loaded and when it ends (a guest may
 * write its own, but no other guest or device can). Then one table of how
 * every guest ended.
 */
#define LOG_SUBSYS "vmm"
#include "kernel/image.h"
#include "kernel/log.h"
#include "kernel/selftest.h"
#include "lib/crc32.h"
#include "vmm/elf.h"
#include "vmm/vm.h"

static u32 hv_image_crc(u64 *bytes)
{
	u32 crc = crc32(0, __text_start, (size_t)(__text_end - __text_start));

	*bytes = (u64)(__text_end - __text_start) +
		 (u64)(__rodata_end - __rodata_start);
	return crc32(crc, __rodata_start,
		     (size_t)(__rodata_end - __rodata_start));
}

static u32 hv_crc_before;

void vm_integrity_begin(void)
{
	u64 bytes;

	hv_crc_before = hv_image_crc(&bytes);
}

void vm_integrity_end(void)
{
	u64 bytes;
	u32 crc = hv_image_crc(&bytes);

	selftest_check(crc == hv_crc_before, "vmm",
		       "hypervisor .text and .rodata (%llu KiB) %s by the guests (crc32 %#x, after %#x)",
		       bytes >> 10, crc == hv_crc_before ? "unchanged" : "CHANGED",
		       hv_crc_before, crc);
}

/* CRC over the guest's non-writable PT_LOAD segments, read in chunks. */
static u32 guest_ro_crc(const struct vm *vm, u64 *bytes)
{
	u8 buf[256];
	u32 crc = 0, i;

	*bytes = 0;
	for (i = 0; i < vm->ro_nsegs; i++) {
		u64 gpa = vm->ro_seg[i].gpa, left = vm->ro_seg[i].size;

		while (left) {
			u64 n = MIN(left, sizeof(buf));

			if (guest_mem_read(&vm->mem, gpa, buf, n))
				return 0;
			crc = crc32(crc, buf, n);
			gpa += n;
			left -= n;
			*bytes += n;
		}
	}
	return crc;
}

void vm_integrity_record(struct vm *vm, const struct elf_image *elf)
{
	u64 bytes;
	u32 i;

	vm->ro_nsegs = 0;
	for (i = 0; i < elf->nsegs && vm->ro_nsegs < VM_RO_SEGS; i++) {
		if (elf->seg[i].flags & PF_W)
			continue;
		vm->ro_seg[vm->ro_nsegs].gpa = elf->seg[i].gpa;
		vm->ro_seg[vm->ro_nsegs++].size = elf->seg[i].memsz;
	}
	vm->ro_crc = guest_ro_crc(vm, &bytes);
}

/* Called while the guest's memory is still there, after it stopped. */
void vm_integrity_check(struct vm *vm)
{
	u64 bytes;
	u32 crc = guest_ro_crc(vm, &bytes);

	vm->ro_changed = crc != vm->ro_crc;
	pr_info("%s: read-only image segments (%llu KiB) %s (crc32 %#x)\n",
		vm->name, bytes >> 10,
		vm->ro_changed ? "changed while it ran" : "unchanged", crc);
}

static const char *outcome(const struct vm *vm)
{
	if (!vm->started)
		return "not started";
	return vm->exited ? "exited" : "stopped";
}

/* One line per guest: how it ended, whether as expected, what it cost. */
void vm_integrity_table(struct vm *vms, u32 n, const bool *as_expected)
{
	u32 i, j;

	pr_info("guest            ended        expected  exits     refused  image\n");
	for (i = 0; i < n; i++) {
		const struct vm *vm = &vms[i];
		u64 exits = vm_exits_total(vm), refused = vm->con_dropped;

		for (j = 0; j < VM_NOISE_COUNT; j++)
			refused += vm->stats.noise[j];
		pr_info("%-16s %-12s %-9s %-9llu %-8llu %s\n", vm->name,
			outcome(vm), as_expected[i] ? "yes" : "NO", exits,
			refused, !vm->started ? "-" : vm->ro_changed ?
			"changed" : "intact");
	}
}
