// SPDX-License-Identifier: MIT
/*
 * Fault reporting (VT-d spec 7.2, primary fault logging; 11.4.7): each unit
 * records blocked requests in its fault recording registers and raises a
 * fault event interrupt, which we route to the BSP on one vector shared by
 * all units. The handler decodes each record (source id, address, read or
 * write, reason), clears it, counts it against the domain the source
 * device is attached to and calls that domain's fault handler, the policy
 * hook (e.g. stop the guest that owns the device).
 *
 * Storm safety: at most FAULTS_PER_IRQ records per unit per interrupt (the
 * rest stay recorded and raise the next interrupt), and at most
 * LOG_BURST log lines per second; suppressed lines are counted and the
 * count is printed when logging resumes.
 */
#define LOG_SUBSYS "vtd"
#include "iommu/vtd.h"
#include "kernel/apic.h"
#include "kernel/log.h"
#include "kernel/timer.h"
#include "kernel/trap.h"

#define FAULTS_PER_IRQ 16
#define LOG_BURST 10
#define LOG_WINDOW_NS 1000000000ull

static u8 fault_vector;
static u64 log_window_start;
static u32 log_lines, log_suppressed;

static bool log_allowed(void)
{
	u64 now = time_ns();

	if (now - log_window_start > LOG_WINDOW_NS) {
		if (log_suppressed)
			pr_warn("%u fault line(s) suppressed\n", log_suppressed);
		log_window_start = now;
		log_lines = 0;
		log_suppressed = 0;
	}
	if (log_lines < LOG_BURST) {
		log_lines++;
		return true;
	}
	log_suppressed++;
	return false;
}

static void report(struct vtd_unit *u, const struct vtd_fault *f)
{
	struct iommu_domain *d = vtd_domain_by_did(vtd_context_did(u, f->sid));
	iommu_fault_fn fn;

	u->faults++;
	if (d)
		d->faults++;
	if (log_allowed()) {
		if (vtd_fault_is_ir(f->reason))
			pr_warn("fault: unit %u %02x:%02x.%u interrupt index %u reason %#x (%s), domain %s\n",
				u->index, f->sid >> 8, (f->sid >> 3) & 31,
				f->sid & 7, f->ir_index, f->reason,
				vtd_fault_reason_name(f->reason),
				d ? d->name : "none");
		else
			pr_warn("fault: unit %u %02x:%02x.%u %s %#llx reason %#x (%s), domain %s\n",
				u->index, f->sid >> 8, (f->sid >> 3) & 31,
				f->sid & 7, f->write ? "write" : "read",
				f->addr, f->reason,
				vtd_fault_reason_name(f->reason),
				d ? d->name : "none");
	}
	fn = d ? READ_ONCE(d->fault_fn) : NULL;
	if (fn) {
		struct iommu_fault g = {
			.segment = u->segment, .rid = f->sid,
			.interrupt = vtd_fault_is_ir(f->reason),
			.write = f->write, .addr = f->addr,
			.irq_index = f->ir_index, .code = f->reason,
			.reason = vtd_fault_reason_name(f->reason),
		};

		fn(d->fault_ctx, &g);
	}
}

/* Handles up to max pending records from FSTS.FRI on; returns how many. */
static u32 drain_records(struct vtd_unit *u, u32 max, bool do_report)
{
	u32 idx = VTD_FSTS_FRI(vtd_read32(u, VTD_FSTS_REG)) % u->nfr;
	u32 n = 0, i;

	for (i = 0; i < u->nfr && n < max; i++) {
		u32 off = u->fro + ((idx + i) % u->nfr) * VTD_FRCD_SIZE;
		u64 hi = vtd_read64(u, off + 8);
		u64 lo = vtd_read64(u, off);
		struct vtd_fault f;

		if (!vtd_fault_decode(lo, hi, &f))
			continue;
		/* F is RW1C in the top dword (11.4.7.6). */
		vtd_write32(u, off + 12, VTD_FRCD_F_DWORD);
		n++;
		if (do_report)
			report(u, &f);
	}
	return n;
}

static void unit_service(struct vtd_unit *u)
{
	u32 fsts = vtd_read32(u, VTD_FSTS_REG);

	if (fsts & VTD_FSTS_PPF) {
		drain_records(u, FAULTS_PER_IRQ, true);
		/*
		 * 7.3.1: no new event while records stay pending. Toggling
		 * IM re-sends it (after our EOI), so the rest is handled by
		 * the next interrupt and this one stays bounded.
		 */
		if (vtd_read32(u, VTD_FSTS_REG) & VTD_FSTS_PPF) {
			vtd_write32(u, VTD_FECTL_REG, VTD_FECTL_IM);
			vtd_write32(u, VTD_FECTL_REG, 0);
		}
	}
	if (fsts & VTD_FSTS_PFO && log_allowed())
		pr_warn("unit %u: fault records overflowed, some faults were lost\n",
			u->index);
	if (fsts & (VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE) &&
	    log_allowed())
		pr_warn("unit %u: invalidation error FSTS %#x\n", u->index,
			fsts);
	/* Clears PFO; IQE stays for the submitter to handle. */
	vtd_write32(u, VTD_FSTS_REG, fsts & VTD_FSTS_PFO);
}

static void fault_irq(struct regs *regs)
{
	u32 i;

	for (i = 0; i < vtd_nunits; i++)
		if (vtd_units[i].regs)
			unit_service(&vtd_units[i]);
}

void vtd_fault_clear_all(struct vtd_unit *u)
{
	u32 n = drain_records(u, u->nfr, false);

	if (n)
		pr_warn("unit %u: %u stale fault record(s) cleared\n",
			u->index, n);
	vtd_write32(u, VTD_FSTS_REG, VTD_FSTS_W1C);
}

/*
 * 11.4.7.3-5, 5.1.6: the fault event is an MSI the unit writes itself
 * (never remapped): FEDATA the vector, FEADDR 0xFEE with the destination
 * APIC id in bits 19:12, FEUADDR bits 31:8 of an x2APIC id (EIM only).
 */
int vtd_fault_setup(struct vtd_unit *u)
{
	u32 dest = apic_id();

	if (!fault_vector) {
		fault_vector = irq_alloc_vector(fault_irq);
		if (!fault_vector)
			return IOMMU_ENOSPC;
	}
	if (dest > 0xff && !(u->ecap & VTD_ECAP_EIM)) {
		pr_err("unit %u: fault events cannot reach APIC id %u without EIM\n",
		       u->index, dest);
		return IOMMU_EINVAL;
	}
	vtd_write32(u, VTD_FECTL_REG, VTD_FECTL_IM);
	vtd_write32(u, VTD_FEDATA_REG, fault_vector);
	vtd_write32(u, VTD_FEADDR_REG, 0xfee00000u | (dest & 0xff) << 12);
	if (u->ecap & VTD_ECAP_EIM)
		vtd_write32(u, VTD_FEUADDR_REG, dest & 0xffffff00u);
	vtd_write32(u, VTD_FECTL_REG, 0);
	pr_info("unit %u: fault events on vector %#x to APIC id %u, %u record(s) at %#x\n",
		u->index, fault_vector, dest, u->nfr, u->fro);
	return 0;
}
