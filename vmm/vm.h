/* SPDX-License-Identifier: MIT */
/*
 * A guest (VM): its memory map, nested page tables, one vCPU, its virtual
 * devices (16550 THR/LSR, x2APIC timer) and its life cycle. Generic: the
 * hardware is reached through struct vcpu_ops only.
 *
 * The code is split by concern:
 *   vm_setup.c    memory, image, page tables, boot info, IOMMU domain
 *   vm_linux.c    a Linux guest: bzImage, initrd, MP table, entry state
 *   vm_run.c      the vCPU loop on its CPU, waiting, teardown, life cycle
 *   vm_exit.c     exit handlers: hypercalls, ports, MSRs, CPUID, faults
 *   vm_insn.c     reading the guest's instruction at RIP and stepping it
 *   vm_pci.c      the virtual PCI bus and MSI-X of its assigned functions
 *   vm_console.c  the guest's console lines in the hypervisor log
 *   vm_verdict.c  cmdline expectations and the per-guest test verdict
 */
#ifndef VMM_VM_H
#define VMM_VM_H

#include "boot/bootinfo.h"
#include "boot/config.h"
#include "kernel/pagetable.h"
#include "lib/hv_abi.h"
#include "lib/types.h"
#include "vmm/exit_kind.h"
#include "vmm/guest_mem.h"
#include "vmm/vcpu.h"
#include "vmm/vlapic.h"
#include "vmm/vpic.h"
#include "vmm/vrtc.h"
#include "vmm/vuart.h"

struct iommu_domain;
struct pci_dev;
struct vm_pci;

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

/* The x2APIC's 8 delivery modes, and illegal vectors (vm_exit.c). */
#define VM_NOISE_IPI_KINDS 9

/* Kinds of refused guest operations whose log lines are rate-limited. */
enum vm_noise {
	VM_NOISE_MSR,
	VM_NOISE_PORT,			/* unowned ports of a Linux guest */
	VM_NOISE_RTC,			/* times its RTC refused */
	/* refused IPIs: + the delivery mode (0: a fixed one to nobody),
	 * + VM_NOISE_IPI_KINDS - 1: an illegal vector */
	VM_NOISE_IPI,
	VM_NOISE_INSN = VM_NOISE_IPI + VM_NOISE_IPI_KINDS, /* + enum vinsn */
	VM_NOISE_COUNT = VM_NOISE_INSN + VINSN_COUNT
};

struct vm_stats {
	u64 noise[VM_NOISE_COUNT];
	u64 exits[VEXIT_COUNT];
	u64 kinds[EK_COUNT];		/* the same exits by enum exit_kind */
	u64 hypercalls;
	u64 timer_irqs;
	u64 irqs_taken;
	u64 dev_irqs;			/* device (MSI-X) vectors posted */
	u64 rtc_notes;			/* RTC settings logged (vm_exit.c) */
};

/*
 * Test-only interrupts raised on another CPU (cmdline "xpost=N
 * xpost_vec=V xpost_ms=M", vmm/vm_xpost.c): cpu0 posts V every M ms, N
 * times, through vm_post_irq(); the guest's CPU counts its exits from the
 * first post until the guest's first hypercall after the last.
 */
struct vm_xpost {
	u32 count;			/* 0: off */
	u32 period_ms;
	u8 vector;
	/* cpu0 */
	u32 posted;			/* atomic: read by the guest's CPU */
	u32 deferred;			/* ticks skipped: V not yet taken */
	u32 src_cpu;
	u64 next_ns;
	/* the guest's CPU */
	bool closed;
	u64 exits, intr_exits, hlt_exits, msr_exits, soft_delivered;
};

struct vm {
	u32 index;
	const struct cfg_guest *cfg;
	char name[16];
	u32 cpu;			/* physical CPU the vCPU is pinned to */
	u64 entry;			/* ELF e_entry, or Linux's 64-bit entry */
	/* Linux guests: the boot protocol's entry state (vm_linux.c) */
	struct vm_linux_entry {
		struct vcpu_boot_state b;
		u64 rsi;		/* the zero page */
	} linux_entry;
	bool started;
	struct guest_mem mem;
	struct pagetable npt;
	struct iommu_domain *iommu;	/* only if devices were requested */
	struct vm_device devs[CFG_MAX_DEVICES];
	u32 ndevs;
	struct vm_pci *pci;		/* its virtual PCI bus (vm_pci.c) */
	struct vcpu vcpu;
	struct vlapic lapic;
	struct vpic pic;		/* Linux guests: ISA IRQs (the 16550's) */
	bool irq_from_pic;		/* the vector offered is the PIC's */
	struct vrtc rtc;		/* Linux guests: CMOS clock and RAM */
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
	struct vm_xpost xpost;
	/* cmdline "exits_mark=TEXT": the exit counts are logged at each
	 * console line starting with TEXT (vm_exit_stats.c) */
#define VM_MARK_MAX 32
	char exits_mark[VM_MARK_MAX];
	u32 marks_logged;
	u64 start_ns, end_ns;
	/* restart = N (vm_run.c): runs so far after the first, and how many
	 * earlier runs missed their expectation (the verdict counts each) */
	u32 restarts_done;
	u32 runs_failed;
	/* console, one line at a time */
	char line[VM_LINE_MAX];
	u32 line_len;
	u32 con_tokens;			/* vm_console.c rate limit */
	u64 con_refill_ns;
	u64 con_dropped;
	struct vuart uart;
	struct vm_stats stats;
	volatile u64 *bi_exits;		/* the boot info's vm_exits (ABI 5) */
	/* vm_integrity.c: the image's read-only segments, and their CRC */
#define VM_RO_SEGS 4
	struct { u64 gpa, size; } ro_seg[VM_RO_SEGS];
	u32 ro_nsegs;
	u32 ro_crc;
	bool ro_changed;
};

/* The backend chosen at boot (vm_run.c); const for everybody else. */
extern const struct vcpu_ops *vm_ops;

/* vm_run.c */
bool vm_finished(const struct vm *vm);
/* Every VM exit the guest has taken so far, of all kinds. */
u64 vm_exits_total(const struct vm *vm);
/* Records why the guest is stopped (the first reason wins). */
void vm_stop(struct vm *vm, const char *fmt, ...) __printf(2, 3);
/* Asks another CPU's guest to stop: reason kept, vCPU kicked out. */
void vm_request_stop(struct vm *vm, const char *reason);
/* Sleeps until until_ns, or (wake_on_irq) until an interrupt is due. */
void vm_wait(struct vm *vm, u64 until_ns, bool wake_on_irq);
/*
 * Posts guest vector vec into the vCPU's descriptor (any CPU, interrupt
 * context too) and kicks the vCPU if it runs elsewhere; counted.
 */
void vm_post_irq(struct vm *vm, u8 vec);

/* vm_xpost.c: the source on cpu0, each exit on the guest's CPU, the
 * closing line. */
void vm_xpost_tick(struct vm *vm, u64 now);
void vm_xpost_exit(struct vm *vm, const struct vcpu_exit *e);
void vm_xpost_report(const struct vm *vm);

/*
 * vm_setup.c: 0, or -1 with the reason logged (nothing left allocated).
 * img is the guest's ELF image or Linux kernel, initrd its initrd (Linux
 * guests that name one).
 */
int vm_setup(struct vm *vm, const struct hv_image *img,
	     const struct hv_image *initrd);
/* "is empty (0 bytes)" or "could not be loaded ...", for error lines. */
const char *vm_image_state(const struct hv_image *img);
/* guest_mem_write() as the loaders' write callback; ctx: the guest_mem. */
int vm_mem_write(void *ctx, u64 gpa, const void *src, u64 len);
/* Frees what vm_setup built, in reverse; safe on a partial setup. */
void vm_teardown(struct vm *vm);

/* vm_exit.c */
void vm_handle_exit(struct vm *vm, const struct vcpu_exit *e);

/* vm_exit_stats.c: the exits by kind at a marked console line (line is
 * the guest's, already made printable), and in the closing report. */
void vm_exit_mark(struct vm *vm, const char *line);
void vm_exit_kinds_report(const struct vm *vm);

/* vm_insn.c: steps over the trapped instruction of the expected kind. */
int vm_skip_insn(struct vm *vm, u8 kind, const struct vcpu_exit *e);
/* Decodes the instruction at the guest's RIP (MMIO emulation); 0 or -1. */
struct x86_insn;
int vm_decode_insn(struct vm *vm, struct x86_insn *in);
/* len bytes at the guest's virtual address gva, through its page tables;
 * 0, or -1 if some page is not mapped to its RAM. */
int vm_gva_copy(struct vm *vm, u64 gva, void *buf, u32 len, bool write);

/* vm_console.c */
void vm_putc(struct vm *vm, char c);
void vm_console_flush(struct vm *vm);
void vm_console_report_dropped(struct vm *vm);

/* vm_integrity.c */
struct elf_image;
void vm_integrity_begin(void);
void vm_integrity_end(void);
void vm_integrity_record(struct vm *vm, const struct elf_image *elf);
void vm_integrity_check(struct vm *vm);
void vm_integrity_table(struct vm *vms, u32 n, const bool *as_expected);

/* vm_linux.c: the PIC's vector if LINT0 takes ExtINT now, else 0. */
u8 vm_linux_extint(const struct vm *vm);

/* vm_verdict.c */
int vm_parse_cmdline(struct vm *vm);
/* This run against its expectation (one [test] line). */
bool vm_run_verdict(struct vm *vm);
/* The final word: this run, and no earlier run (restarts) that failed. */
bool vm_verdict(struct vm *vm);

#endif
