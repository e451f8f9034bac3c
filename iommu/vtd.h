/* SPDX-License-Identifier: MIT */
/*
 * VT-d driver internals shared by iommu/vtd*.c. Nothing outside iommu/
 * includes this: the rest of the hypervisor sees only iommu/iommu.h.
 */
#ifndef IOMMU_VTD_H
#define IOMMU_VTD_H

#include "iommu/iommu.h"
#include "iommu/vtd_entries.h"
#include "kernel/pagetable.h"
#include "kernel/spinlock.h"

/* The unit table is sized from the DMAR (vtd.c); this bounds only the
 * stack array of capabilities the IR decision reads. */
#define VTD_PLAN_CAPS_MAX 256
#define VTD_MAX_DOMAINS 64		/* live domains, hypervisor's included */
#define VTD_IRT_ORDER 8			/* 256 entries per unit (4 KiB) */
#define VTD_IRT_ENTRIES (1u << VTD_IRT_ORDER)
#define VTD_QI_ENTRIES 256		/* one 4 KiB page of 16-byte descriptors */

struct vtd_unit {
	u32 index;
	u32 drhd_index;			/* its DRHD, in table order */
	u64 base;
	volatile u8 *regs;
	u64 cap, ecap;
	u32 ver;
	u16 segment;
	u8 drhd_flags;			/* DMAR_DRHD_INCLUDE_PCI_ALL */
	const u8 *scopes;		/* DMAR device scopes of this unit */
	u32 scopes_len;
	bool coherent;			/* ECAP.C: walks snoop the CPU caches */
	bool cm;			/* CAP.CM: not-present entries cached */
	bool qi, ir, eim;		/* in use on this unit */
	bool live;			/* root table set: invalidate on change */

	u64 root_pa;			/* 256 root entries (9.1) */
	u32 context_pages;		/* context tables made, kept for good */
	spinlock_t lock;		/* context tables, invalidation queue */

	/* Queued invalidation (6.5.2). */
	u64 iq_pa;
	u32 iq_tail;			/* next free slot */
	volatile u32 wait_status;	/* written by wait descriptors */
	u32 wait_seq;

	/* Interrupt remapping (9.10). */
	u64 irt_pa;
	u16 irt_sid[VTD_IRT_ENTRIES];	/* requester owning each entry */
	u8 irt_used[VTD_IRT_ENTRIES / 8];

	/* Faults (7.2). */
	u32 fro, nfr;			/* fault record offset, count */
	u64 faults;			/* records seen */
};

struct iommu_domain {
	char name[24];
	u16 did;
	struct pagetable pt;
	u64 max_iova;			/* 2^MGAW - 1 (smallest unit) */
	u32 attached;			/* devices using the domain */
	u64 faults;			/* fault records blamed on it */
	iommu_fault_fn fault_fn;
	void *fault_ctx;
	spinlock_t lock;		/* page tables */
};

extern struct vtd_unit *vtd_units;	/* vtd_nunits of them */
extern u32 vtd_nunits;
extern unsigned vtd_levels;		/* page-table levels of every domain */
extern u32 vtd_page_sizes;		/* PT_* leaf sizes every unit walks */

/* Registers (vtd.c). */
u32 vtd_read32(const struct vtd_unit *u, u32 off);
u64 vtd_read64(const struct vtd_unit *u, u32 off);
void vtd_write32(const struct vtd_unit *u, u32 off, u32 v);
void vtd_write64(const struct vtd_unit *u, u32 off, u64 v);
/* Set or clear a GCMD bit and wait for GSTS to follow (bounded). */
int vtd_gcmd(struct vtd_unit *u, u32 bit, bool set);
/* Write back a modified structure when the unit does not snoop. */
void vtd_flush_cache(const void *va, u64 len);
void vtd_sync(const struct vtd_unit *u, const void *va, u64 len);
u64 vtd_alloc_page(void);
/* The unit whose scope holds (segment, rid), or NULL. */
struct vtd_unit *vtd_unit_for(u16 segment, u16 rid);

/* Invalidation (vtd_qi.c): queue when QI is on, registers otherwise. */
int vtd_qi_enable(struct vtd_unit *u);
int vtd_invalidate(struct vtd_unit *u, const struct vtd_inv *reqs, u32 n);
int vtd_flush_all(struct vtd_unit *u);	/* global CC + IOTLB (+ IEC) */
void vtd_write_buffer_flush(struct vtd_unit *u);

/* Root and context tables (vtd_context.c). */
int vtd_context_init(struct vtd_unit *u);
/* Returned by vtd_context_set() when rid already points at d: nothing
 * changed, so the caller must not count a second attachment. */
#define VTD_CTX_UNCHANGED 1
int vtd_context_set(struct vtd_unit *u, u16 rid, struct iommu_domain *d);
int vtd_context_clear(struct vtd_unit *u, u16 rid, struct iommu_domain *d);
/* DID of the domain rid is attached to on u, 0 if none. */
u16 vtd_context_did(struct vtd_unit *u, u16 rid);

/* Domains (vtd_domain.c). */
struct iommu_domain *vtd_domain_create(const char *name);
int vtd_domain_destroy(struct iommu_domain *d);
int vtd_map(struct iommu_domain *d, u64 iova, u64 pa, u64 size, u32 perm);
int vtd_unmap(struct iommu_domain *d, u64 iova, u64 size);
int vtd_attach(struct iommu_domain *d, u16 segment, u16 rid);
int vtd_detach(struct iommu_domain *d, u16 segment, u16 rid);
void vtd_set_fault_handler(struct iommu_domain *d, iommu_fault_fn fn,
			   void *ctx);
struct iommu_domain *vtd_domain_by_did(u16 did);
struct iommu_domain *vtd_hv_domain_build(void);

/* Faults (vtd_fault.c). */
void vtd_fault_clear_all(struct vtd_unit *u);
int vtd_fault_setup(struct vtd_unit *u);

/* Interrupt remapping (vtd_ir.c). */
int vtd_ir_enable(struct vtd_unit *u);
int vtd_irq_alloc(u16 segment, u16 rid);
int vtd_irq_program(int handle, const struct iommu_irq_target *t,
		    struct iommu_msi *msi);
void vtd_irq_free(int handle);
int vtd_irq_alloc_ioapic(u8 ioapic_id);
int vtd_ioapic_rte(int handle, u64 *rte);

#endif
