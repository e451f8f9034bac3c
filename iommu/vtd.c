// SPDX-License-Identifier: MIT
/*
 * Intel VT-d: finding the remapping units, checking what they can do, and
 * bringing them up in the order the specification requires (and Jailhouse
 * and Linux follow): every unit is checked before any is programmed, so a
 * unit that lacks something makes the whole probe fail with nothing
 * changed. Per unit, in order:
 *   1. map the registers, read VER/CAP/ECAP, log them in words;
 *   2. turn off whatever the firmware left on (TE, IRE, QIE);
 *   3. clear stale fault records, route fault events to the BSP;
 *   4. root table (legacy mode), SRTP;
 *   5. queued invalidation, if the unit has it;
 *   6. global context-cache and IOTLB invalidation;
 *   7. interrupt remapping table, SIRTP, IEC, IRE (GCMD.CFI stays clear:
 *      compatibility-format interrupts are not allowed);
 *   8. TE: every device without a context entry is now blocked.
 * The hypervisor's own domain (identity map of RAM) exists before step 8;
 * devices are attached to it or to a guest's domain explicitly.
 */
#define LOG_SUBSYS "vtd"
#include "iommu/vtd.h"
#include "iommu/dmar.h"
#include "iommu/vtd_plan.h"
#include "kernel/apic.h"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/pci_cfg.h"
#include "kernel/platform.h"
#include "kernel/timer.h"
#include "lib/string.h"

/* Sized from the DMAR at probe time (vtd_plan: the units in use). */
struct vtd_unit *vtd_units;
u32 vtd_nunits;
static struct vtd_plan plan;
unsigned vtd_levels;
u32 vtd_page_sizes;
static bool need_flush;		/* some unit does not snoop its tables */

#define GCMD_TIMEOUT_NS 1000000000ull	/* QEMU answers at once; HW in us */

/* ---- registers ----------------------------------------------------------- */

u32 vtd_read32(const struct vtd_unit *u, u32 off)
{
	return *(volatile u32 *)(u->regs + off);
}

u64 vtd_read64(const struct vtd_unit *u, u32 off)
{
	return *(volatile u64 *)(u->regs + off);
}

void vtd_write32(const struct vtd_unit *u, u32 off, u32 v)
{
	*(volatile u32 *)(u->regs + off) = v;
}

void vtd_write64(const struct vtd_unit *u, u32 off, u64 v)
{
	*(volatile u64 *)(u->regs + off) = v;
}

/*
 * 11.4.4.1: GCMD takes one command at a time; the persistent state bits
 * are re-written from GSTS with it. One-shot commands (SRTP, SIRTP) are
 * done when their status bit is set, WBF when WBFS clears again.
 */
int vtd_gcmd(struct vtd_unit *u, u32 bit, bool set)
{
	u32 sts = vtd_read32(u, VTD_GSTS_REG) & VTD_GSTS_PERSIST;
	u64 deadline = time_ns() + GCMD_TIMEOUT_NS;
	bool want = bit == VTD_GCMD_WBF ? false : set;

	vtd_write32(u, VTD_GCMD_REG, set ? sts | bit : sts & ~bit);
	while (!!(vtd_read32(u, VTD_GSTS_REG) & bit) != want) {
		if (time_ns() > deadline) {
			pr_err("unit %u: GCMD bit %u not acknowledged (GSTS %#x)\n",
			       u->index, __builtin_ctz(bit),
			       vtd_read32(u, VTD_GSTS_REG));
			return IOMMU_ETIMEOUT;
		}
		cpu_relax();
	}
	return 0;
}

void vtd_flush_cache(const void *va, u64 len)
{
	u64 p = ALIGN_DOWN((u64)va, 64), end = (u64)va + len;

	for (; p < end; p += 64)
		__asm__ volatile("clflush (%0)" : : "r"(p) : "memory");
	__asm__ volatile("mfence" : : : "memory");
}

/* Structures are written by the CPU and read by the unit's walker. */
void vtd_sync(const struct vtd_unit *u, const void *va, u64 len)
{
	if (!u || !u->coherent)
		vtd_flush_cache(va, len);
}

u64 vtd_alloc_page(void)
{
	u64 pa = frame_alloc(1);

	if (pa && need_flush)
		vtd_flush_cache(phys_to_virt(pa), PAGE_SIZE);
	return pa;
}

/* ---- which unit holds a device (8.3.1) ---------------------------------- */

static bool bridge_buses(void *ctx, u16 segment, u8 bus, u8 devfn, u8 *sec,
			 u8 *sub)
{
	struct pci_addr a = { segment, bus, devfn >> 3, devfn & 7 };

	return pci_cfg_bridge_buses(a, sec, sub);
}

static const struct dmar_bridge_io ecam_bridges = { .buses = bridge_buses };

/* For dmar_scope_resolve(): the secondary bus behind a path element. */
static u8 secondary_bus(void *ctx, u8 bus, u8 dev, u8 fn)
{
	struct pci_addr a = { *(u16 *)ctx, bus, dev, fn };
	u8 sec, sub;

	return pci_cfg_bridge_buses(a, &sec, &sub) ? sec : 0;
}

/* Units keep the DRHDs' order; unused DRHDs (no scope) have no unit, and
 * dmar_drhd_for() never names one (it has nothing to match). */
static int unit_index(u16 segment, u16 rid)
{
	int idx = dmar_drhd_for(platform.acpi.dmar, segment,
				iommu_scope_rid(segment, rid), &ecam_bridges);
	u32 i;

	for (i = 0; idx >= 0 && i < vtd_nunits; i++)
		if (vtd_units[i].drhd_index == (u32)idx)
			return (int)i;
	return -1;
}

struct vtd_unit *vtd_unit_for(u16 segment, u16 rid)
{
	int idx = unit_index(segment, rid);

	return idx < 0 ? NULL : &vtd_units[idx];
}

/* ---- probe: capabilities first, programming after ----------------------- */

/* "39/48" for SAGAW bits 1 and 2: the widths of the supported depths. */
static const char *sagaw_words(u32 sagaw, char *buf)
{
	static const char *const width[] = { "30", "39", "48", "57", "64" };
	char *p = buf;
	unsigned i;

	for (i = 0; i < 5; i++) {
		const char *w = width[i];

		if (!(sagaw & BIT(i)))
			continue;
		if (p != buf)
			*p++ = '/';
		while (*w)
			*p++ = *w++;
	}
	if (p == buf)
		*p++ = '0';
	*p = '\0';
	return buf;
}

static void log_caps(const struct vtd_unit *u)
{
	u64 c = u->cap, e = u->ecap;
	u32 sllps = VTD_CAP_SLLPS(c);
	char sagaw[16];

	pr_info("unit %u at %#llx: ver %u.%u, %u-bit MGAW, SAGAW %s-bit, %s pages, %llu domains, %s%s%s%s%s%s%u fault record%s, coherent=%s, CM=%u\n",
		u->index, u->base, VTD_VER_MAX(u->ver), VTD_VER_MIN(u->ver),
		(u32)VTD_CAP_MGAW(c), sagaw_words(VTD_CAP_SAGAW(c), sagaw),
		(sllps & VTD_SLLPS_1G) ? "4K+2M+1G" :
		(sllps & VTD_SLLPS_2M) ? "4K+2M" : "4K",
		1ull << (4 + 2 * VTD_CAP_ND(c)),
		e & VTD_ECAP_QI ? "QI, " : "register invalidation, ",
		e & VTD_ECAP_IR ? "IR, " : "no IR, ",
		e & VTD_ECAP_EIM ? "EIM, " : "",
		e & VTD_ECAP_PT ? "PT, " : "",
		c & VTD_CAP_PI ? "PI, " : "",
		c & VTD_CAP_PSI ? "PSI, " : "",
		(u32)VTD_CAP_NFR(c), VTD_CAP_NFR(c) == 1 ? "" : "s",
		e & VTD_ECAP_C ? "yes" : "no", c & VTD_CAP_CM ? 1 : 0);
}

/* Reads one unit's registers and checks what the driver needs. */
static int unit_probe(struct vtd_unit *u, const struct dmar_drhd *dh)
{
	u64 size = PAGE_SIZE << (dh->size & 0xf);

	u->base = dh->base;
	u->segment = dh->segment;
	u->drhd_flags = dh->flags;
	u->scopes = dh->scopes;
	u->scopes_len = dh->scopes_len;
	u->regs = mmio_map(dh->base, size);
	if (!u->regs) {
		pr_err("unit %u: cannot map registers at %#llx\n", u->index,
		       dh->base);
		return IOMMU_ENOMEM;
	}
	u->ver = vtd_read32(u, VTD_VER_REG);
	u->cap = vtd_read64(u, VTD_CAP_REG);
	u->ecap = vtd_read64(u, VTD_ECAP_REG);
	if (u->cap == ~0ull || u->ecap == ~0ull) {
		pr_err("unit %u at %#llx: registers read all ones\n", u->index,
		       u->base);
		return IOMMU_ENODEV;
	}
	log_caps(u);
	u->coherent = u->ecap & VTD_ECAP_C;
	u->cm = u->cap & VTD_CAP_CM;
	u->fro = (u32)VTD_CAP_FRO(u->cap) * 16;
	u->nfr = (u32)VTD_CAP_NFR(u->cap);
	if (!(VTD_CAP_SAGAW(u->cap) & (VTD_SAGAW_39 | VTD_SAGAW_48))) {
		pr_err("unit %u: needs 3- or 4-level second-level tables (SAGAW %#llx)\n",
		       u->index, VTD_CAP_SAGAW(u->cap));
		return IOMMU_ENODEV;
	}
	if (u->fro + u->nfr * VTD_FRCD_SIZE > size ||
	    VTD_ECAP_IRO(u->ecap) * 16 + 16 > size) {
		pr_err("unit %u: fault/IOTLB registers outside the %llu-byte register set\n",
		       u->index, size);
		return IOMMU_ENODEV;
	}
	return 0;
}

/* The unit table, one entry per DRHD in use (no fixed bound). */
static int units_alloc(u32 n)
{
	u64 pages = ALIGN_UP((u64)n * sizeof(*vtd_units), PAGE_SIZE) / PAGE_SIZE;
	u64 pa = frame_alloc(pages);

	if (!pa)
		return IOMMU_ENOMEM;
	vtd_units = phys_to_virt(pa);
	memset(vtd_units, 0, pages * PAGE_SIZE);
	return 0;
}

static int probe_units(void)
{
	const struct acpi_sdt_header *dmar = platform.acpi.dmar;
	struct dmar_drhd dh;
	u32 cursor = 0, drhd = 0;
	int r, err;

	err = units_alloc(plan.nunits);
	if (err)
		return err;
	for (; (r = dmar_next_drhd(dmar, &cursor, &dh)) == 1; drhd++) {
		struct vtd_unit *u;

		if (!vtd_drhd_used(&dh)) {
			pr_info("DRHD %u at %#llx: no device scope and not INCLUDE_PCI_ALL: covers nothing, left alone\n",
				drhd, dh.base);
			continue;
		}
		if (vtd_nunits == plan.nunits)
			return IOMMU_ENODEV;	/* the table changed under us */
		u = &vtd_units[vtd_nunits];
		u->index = vtd_nunits++;
		u->drhd_index = drhd;
		u->lock = (spinlock_t)SPINLOCK_INIT;
		err = unit_probe(u, &dh);
		if (err)
			return err;
	}
	return r < 0 || !vtd_nunits ? IOMMU_ENODEV : 0;
}

/* IR on or off for every unit at once (docs/vtd.md "Interrupt
 * remapping"): one unit remapping and another not would leave some
 * interrupt sources blocked. */
static void decide_ir(void)
{
	struct vtd_unit_caps caps[VTD_PLAN_CAPS_MAX];
	u32 i, n = MIN(vtd_nunits, (u32)VTD_PLAN_CAPS_MAX);

	for (i = 0; i < n; i++)
		caps[i] = (struct vtd_unit_caps){
			.qi = vtd_units[i].ecap & VTD_ECAP_QI,
			.ir = vtd_units[i].ecap & VTD_ECAP_IR,
			.eim = vtd_units[i].ecap & VTD_ECAP_EIM,
		};
	vtd_plan_ir(platform.acpi.dmar, platform.ioapics,
		    platform.madt.nioapics_stored, caps, n, apic_is_x2apic(),
		    &plan);
	if (plan.ir)
		pr_info("interrupt remapping: on: %s\n", plan.ir_why);
	else
		pr_warn("interrupt remapping: off: %s\n", plan.ir_why);
}

/* The table depth and page sizes every unit can walk. */
static int choose_format(void)
{
	u32 sagaw = ~0u, sllps = ~0u, i;

	for (i = 0; i < vtd_nunits; i++) {
		sagaw &= VTD_CAP_SAGAW(vtd_units[i].cap);
		sllps &= VTD_CAP_SLLPS(vtd_units[i].cap);
		if (!vtd_units[i].coherent)
			need_flush = true;
	}
	if (sagaw & VTD_SAGAW_48)
		vtd_levels = 4;
	else if (sagaw & VTD_SAGAW_39)
		vtd_levels = 3;
	else {
		pr_err("units share no 3- or 4-level table format\n");
		return IOMMU_ENODEV;
	}
	vtd_page_sizes = PT_4K;
	if (sllps & VTD_SLLPS_2M) {
		vtd_page_sizes |= PT_2M;
		if (sllps & VTD_SLLPS_1G)
			vtd_page_sizes |= PT_1G;
	}
	return 0;
}

/* Step 2: the firmware (or a previous hypervisor run) may have left it on. */
static int unit_quiesce(struct vtd_unit *u)
{
	u32 sts = vtd_read32(u, VTD_GSTS_REG);
	int err = 0;

	if (sts & (VTD_GCMD_TE | VTD_GCMD_IRE | VTD_GCMD_QIE))
		pr_warn("unit %u: firmware left GSTS %#x, turning it off\n",
			u->index, sts);
	if (sts & VTD_GCMD_TE)
		err = err ?: vtd_gcmd(u, VTD_GCMD_TE, false);
	if (sts & VTD_GCMD_IRE)
		err = err ?: vtd_gcmd(u, VTD_GCMD_IRE, false);
	if (sts & VTD_GCMD_QIE)
		err = err ?: vtd_gcmd(u, VTD_GCMD_QIE, false);
	return err;
}

static int unit_enable(struct vtd_unit *u)
{
	u64 t0, flush_ns;
	int err;

	err = unit_quiesce(u);
	if (err)
		return err;
	vtd_fault_clear_all(u);
	err = vtd_fault_setup(u);
	if (err)
		return err;
	err = vtd_context_init(u);
	if (err)
		return err;
	if (u->ecap & VTD_ECAP_QI) {
		err = vtd_qi_enable(u);
		if (err)
			return err;
	}
	t0 = time_ns();
	err = vtd_flush_all(u);
	if (err)
		return err;
	flush_ns = time_ns() - t0;
	if (plan.ir) {
		err = vtd_ir_enable(u);
		if (err)
			return err;
	} else {
		pr_warn("unit %u: no interrupt remapping (%s): its devices' MSIs are not confined\n",
			u->index, u->ecap & VTD_ECAP_IR ? "off for every unit" :
							  "ECAP.IR clear");
	}
	vtd_write_buffer_flush(u);
	err = vtd_gcmd(u, VTD_GCMD_TE, true);
	if (err)
		return err;
	pr_info("unit %u: translation enabled: root table %#llx, %u-level tables, %s invalidation (global flush %llu us)\n",
		u->index, u->root_pa, vtd_levels,
		u->qi ? "queued" : "register-based", flush_ns / 1000);
	return 0;
}

/* After a failed bring-up nothing may stay half-on. */
static void units_disable(void)
{
	u32 i;

	for (i = 0; i < vtd_nunits; i++)
		(void)unit_quiesce(&vtd_units[i]);
}

/*
 * 8.4: RMRR endpoints (USB legacy emulation, graphics) keep using their
 * reserved ranges; they join the hypervisor's identity domain, which maps
 * those ranges. ECAM is mapped before the probe (kernel/pci_cfg.c, from
 * hv_main), so paths through bridges resolve; one that does not (a bridge
 * the firmware left unnumbered) is reported.
 */
static void rmrr_attach(struct iommu_domain *hv)
{
	const struct acpi_sdt_header *dmar = platform.acpi.dmar;
	struct dmar_rmrr rm;
	struct dmar_scope s;
	u32 cursor = 0, sc;
	u8 bus, devfn;

	while (dmar_next_rmrr(dmar, &cursor, &rm) == 1) {
		for (sc = 0; dmar_next_scope(rm.scopes, rm.scopes_len, &sc,
					     &s) == 1;) {
			if (s.type != DMAR_SCOPE_PCI_ENDPOINT)
				continue;
			if (dmar_scope_resolve(&s, secondary_bus, &rm.segment,
					       &bus, &devfn)) {
				pr_warn("RMRR %#llx-%#llx: device at bus %#x: path does not resolve, not attached\n",
					rm.base, rm.limit, s.start_bus);
				continue;
			}
			if (!vtd_attach(hv, rm.segment, (u16)(bus << 8 | devfn)))
				pr_info("RMRR %#llx-%#llx: %02x:%02x.%u identity-mapped in the hypervisor domain\n",
					rm.base, rm.limit, bus, devfn >> 3,
					devfn & 7);
		}
	}
}

static u64 vtd_unit_pages(void)
{
	u64 n = 0;
	u32 i;

	for (i = 0; i < vtd_nunits; i++)
		n += vtd_units[i].context_pages;
	return n;
}

static const struct iommu_ops vtd_ops = {
	.name = "Intel VT-d",
	.domain_create = vtd_domain_create,
	.domain_destroy = vtd_domain_destroy,
	.map = vtd_map,
	.unmap = vtd_unmap,
	.attach = vtd_attach,
	.detach = vtd_detach,
	.set_fault_handler = vtd_set_fault_handler,
	.irq_alloc = vtd_irq_alloc,
	.irq_program = vtd_irq_program,
	.irq_free = vtd_irq_free,
	.irq_alloc_ioapic = vtd_irq_alloc_ioapic,
	.ioapic_rte = vtd_ioapic_rte,
	.unit_of = unit_index,
	.unit_pages = vtd_unit_pages,
};

int vtd_probe(const struct iommu_ops **out, struct iommu_domain **hv_domain)
{
	struct dmar_info dmar;
	struct iommu_domain *hv;
	u32 i;
	int err;

	vtd_plan_table(platform.acpi.dmar, platform.acpi.dmar &&
		       !dmar_parse(platform.acpi.dmar, &dmar), &plan);
	if (!plan.vtd) {
		pr_info("%s: VT-d not used\n", plan.vtd_why);
		return IOMMU_ENODEV;
	}
	pr_info("%u of %u DRHD units in use\n", plan.nunits, plan.ndrhd);
	err = probe_units();
	if (!err)
		err = choose_format();
	if (!err)
		decide_ir();
	if (err) {
		pr_err("VT-d not used: a remapping unit lacks what the driver needs\n");
		vtd_nunits = 0;
		return IOMMU_ENODEV;
	}
	hv = vtd_hv_domain_build();
	if (!hv) {
		vtd_nunits = 0;
		return IOMMU_ENOMEM;
	}
	for (i = 0; i < vtd_nunits; i++) {
		err = unit_enable(&vtd_units[i]);
		if (err) {
			pr_err("unit %u: bring-up failed (%s): VT-d turned off\n",
			       i, iommu_strerror(err));
			units_disable();
			vtd_nunits = 0;
			return err;
		}
	}
	rmrr_attach(hv);
	*out = &vtd_ops;
	*hv_domain = hv;
	return 0;
}
