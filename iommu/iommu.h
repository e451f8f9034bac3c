/* SPDX-License-Identifier: MIT */
/*
 * The IOMMU as the rest of the hypervisor sees it: a small table of
 * operations (after bhyve's iommu_ops), chosen once at boot from the ACPI
 * tables. Generic code (drivers/, vmm/) only ever calls the iommu_*()
 * wrappers below and never asks which IOMMU it is; today the only
 * implementation is Intel VT-d (iommu/vtd*.c).
 *
 * Devices are named by PCI segment and requester id (bus << 8 | devfn).
 * A domain is one I/O address space: each guest gets one, built from the
 * same GPA->HPA map as its nested page tables, and the hypervisor has one
 * (iommu_hv_domain) that identity-maps its RAM for the devices it drives
 * itself (the igb PF, a VF under self-test).
 */
#ifndef IOMMU_IOMMU_H
#define IOMMU_IOMMU_H

#include "lib/types.h"

struct iommu_domain;

/* Mapping permissions. */
#define IOMMU_READ BIT(0)
#define IOMMU_WRITE BIT(1)

#define IOMMU_RID(bus, dev, fn) ((u16)((bus) << 8 | (dev) << 3 | (fn)))

/* Error codes (negative returns). */
enum iommu_error {
	IOMMU_OK = 0,
	IOMMU_ENODEV = -1,  /* no IOMMU, or the device is outside every unit */
	IOMMU_ENOMEM = -2,
	IOMMU_EINVAL = -3,
	IOMMU_EBUSY = -4,   /* device already attached elsewhere */
	IOMMU_ETIMEOUT = -5,/* invalidation did not complete */
	IOMMU_ENOSPC = -6,  /* no free domain id / interrupt entry */
};

/*
 * Where a remapped interrupt goes. The IOMMU programs its own entry and
 * returns the MSI address/data the device must be given.
 */
struct iommu_irq_target {
	u32 dest_apic_id;
	u8 vector;
	bool level;		/* level-triggered (IOAPIC pins); MSI is edge */
	/* Posted delivery (CAP.PI hardware only): the vCPU's descriptor. */
	u64 pi_desc_pa;		/* 0 = remapped (not posted) */
	u8 guest_vector;
};

struct iommu_msi {
	u64 address;
	u32 data;
	bool posted;		/* the entry is posted format (CAP.PI) */
};

/* A request the IOMMU refused, as its fault handler reports it. */
struct iommu_fault {
	u16 segment, rid;	/* who asked */
	bool interrupt;		/* an interrupt request, not a DMA access */
	bool write;		/* DMA: the access was a write */
	u64 addr;		/* DMA: the page address */
	u32 irq_index;		/* interrupt: the remapping entry it named */
	u8 code;		/* the IOMMU's own reason code, for the log */
	const char *reason;	/* and its name */
};

/* Called from the fault handler, e.g. to stop the guest owning a device. */
typedef void (*iommu_fault_fn)(void *ctx, const struct iommu_fault *f);

struct iommu_ops {
	const char *name;
	struct iommu_domain *(*domain_create)(const char *name);
	int (*domain_destroy)(struct iommu_domain *d);
	int (*map)(struct iommu_domain *d, u64 iova, u64 pa, u64 size,
		   u32 perm);
	int (*unmap)(struct iommu_domain *d, u64 iova, u64 size);
	int (*attach)(struct iommu_domain *d, u16 segment, u16 rid);
	int (*detach)(struct iommu_domain *d, u16 segment, u16 rid);
	void (*set_fault_handler)(struct iommu_domain *d, iommu_fault_fn fn,
				  void *ctx);
	/* Interrupt remapping: returns an entry handle >= 0 or an error. */
	int (*irq_alloc)(u16 segment, u16 rid);
	int (*irq_program)(int handle, const struct iommu_irq_target *t,
			   struct iommu_msi *msi);
	void (*irq_free)(int handle);
	/* An entry for the pins of the IOAPIC with this MADT id. */
	int (*irq_alloc_ioapic)(u8 ioapic_id);
	/* The redirection-entry bits that select entry handle. */
	int (*ioapic_rte)(int handle, u64 *rte);
	/* Index of the unit covering segment:rid, -1 if none. */
	int (*unit_of)(u16 segment, u16 rid);
	/* Pages the units keep for themselves once made (context tables). */
	u64 (*unit_pages)(void);
};

/*
 * Finds and enables the platform's IOMMU (DMA and interrupt remapping).
 * Returns IOMMU_ENODEV, with one log line saying why, when there is none:
 * the hypervisor then runs without device assignment.
 */
int iommu_init(void);
bool iommu_present(void);
/*
 * Pages the IOMMU keeps for good once it made them (a VT-d context table
 * for each bus a device was ever attached on): the VMM's memory check
 * counts them apart from what a guest must give back.
 */
u64 iommu_unit_pages(void);
const char *iommu_strerror(int err);

struct iommu_domain *iommu_hv_domain(void);
struct iommu_domain *iommu_domain_create(const char *name);
/* IOMMU_EBUSY (and the domain kept) while devices are still attached. */
int iommu_domain_destroy(struct iommu_domain *d);
int iommu_map(struct iommu_domain *d, u64 iova, u64 pa, u64 size, u32 perm);
int iommu_unmap(struct iommu_domain *d, u64 iova, u64 size);
int iommu_attach(struct iommu_domain *d, u16 segment, u16 rid);
int iommu_detach(struct iommu_domain *d, u16 segment, u16 rid);
void iommu_set_fault_handler(struct iommu_domain *d, iommu_fault_fn fn,
			     void *ctx);
/*
 * The one answer to "which IOMMU unit covers this requester id": the unit
 * attach and interrupt allocation act on, and the one the PCI inventory
 * prints. Its index, or -1 (no IOMMU, or no unit covers it).
 */
int iommu_unit_of(u16 segment, u16 rid);

/*
 * An SR-IOV VF is covered by the unit whose device scope covers its PF
 * (the DMAR lists PFs only; Linux matches pci_physfn() the same way):
 * drivers/sriov.c records each VF it enables. IOMMU_ENOSPC when full.
 */
#define IOMMU_MAX_VFS 64
int iommu_add_vf(u16 segment, u16 vf_rid, u16 pf_rid);
/* The requester id whose scope covers rid: its PF's for a recorded VF,
 * else rid itself. For IOMMU implementations. */
u16 iommu_scope_rid(u16 segment, u16 rid);

int iommu_irq_alloc(u16 segment, u16 rid);
int iommu_irq_program(int handle, const struct iommu_irq_target *t,
		      struct iommu_msi *msi);
void iommu_irq_free(int handle);

/* The pieces iommu_route_gsi() uses; IOMMU_ENODEV without remapping. */
int iommu_irq_alloc_ioapic(u8 ioapic_id);
int iommu_ioapic_rte(int handle, u64 *rte);

/*
 * Routes a GSI (an IOAPIC pin) to t->vector on t->dest_apic_id and
 * unmasks it: through an interrupt remapping entry (remappable-format
 * redirection entry, source-id checked) when the IOMMU remaps interrupts,
 * else in the IOAPIC's compatibility format. Returns the remapping handle
 * (>= 0), IOMMU_ENODEV if remapping is off (the pin still works), or
 * another error (the pin stays masked). *rte receives what was written.
 */
int iommu_route_gsi(u32 gsi, const struct iommu_irq_target *t,
		    bool active_low, u64 *rte);

#endif
