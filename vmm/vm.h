/* SPDX-License-Identifier: MIT */
/*
 * A guest (VM): its memory map, nested page tables, one vCPU, its virtual
 * devices (16550 THR/LSR, x2APIC timer) and its life cycle. Generic: the
 * hardware is reached through struct vcpu_ops only.
 */
#ifndef VMM_VM_H
#define VMM_VM_H

#include "boot/config.h"
#include "kernel/pagetable.h"
#include "lib/hv_abi.h"
#include "lib/types.h"
#include "vmm/guest_mem.h"
#include "vmm/vcpu.h"
#include "vmm/vlapic.h"
#include "vmm/vuart.h"

struct iommu_domain;
struct pci_dev;

/* A device the guest drives itself (vmm/assign.c). */
struct vm_device {
	struct pci_dev *pci;
	struct hv_bi_dev info;	/* what the guest's boot info says */
};

enum vm_state {
	VM_NEW = 0,
	VM_RUNNING,
	VM_DONE,	/* exited or stopped; vCPU thread finished */
};


#define VM_LINE_MAX 160

struct vm_stats {
	u64 exits[VEXIT_COUNT];
	u64 hypercalls;
	u64 timer_irqs;
	u64 irqs_taken;
};

struct vm {
	u32 index;
	const struct cfg_guest *cfg;
	char name[16];
	u32 cpu;			/* physical CPU the vCPU is pinned to */
	u64 entry;			/* ELF e_entry */
	bool started;
	bool image_missing;		/* the boot stub could not load it */
	struct guest_mem mem;
	struct pagetable npt;
	struct iommu_domain *iommu;	/* only if devices were requested */
	struct vm_device devs[CFG_MAX_DEVICES];
	u32 ndevs;
	struct vcpu vcpu;
	struct vlapic lapic;
	volatile u32 state;		/* enum vm_state */
	volatile bool stop_request;
	char async_reason[128];		/* why another CPU asked it to stop */
	/* how it ended */
	bool exited;			/* HC_EXIT, else stopped by the VMM */
	s64 status;
	char stop_reason[128];
	/* expectations from the cmdline ("expect=N|stopped", "timeout=S") */
	bool expect_stopped;
	s64 expect_status;
	u64 timeout_ns;
	u64 start_ns, end_ns;
	/* console, one line at a time */
	char line[VM_LINE_MAX];
	u32 line_len;
	struct vuart uart;
	struct vm_stats stats;
};

#endif
