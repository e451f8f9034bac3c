// SPDX-License-Identifier: MIT
/*
 * hwcheck: what the hypervisor would do on a machine, from its ACPI tables
 * alone (a folder of DMAR.dat, APIC.dat, MCFG.dat, FACP.dat, HPET.dat, as
 * acpixtract writes them; tools/hwcheck converts acpidump text first).
 * Runs the hypervisor's own parsers (kernel/acpi.c, iommu/dmar.c) and
 * decision code (kernel/cpu_plan.c, iommu/vtd_plan.c). What only the
 * hardware knows is assumed, and said: every unit has QI, IR and EIM, the
 * CPU has x2APIC (--no-x2apic-cpu to say otherwise).
 *
 * Last line: "hwcheck: vtd=on|off ir=on|off x2apic=on|off units=N
 * rmrr=MAPPED/TOTAL cpus=STARTED/ENABLED". Exit 0 when VT-d would be used.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommu/dmar.h"
#include "iommu/vtd_plan.h"
#include "kernel/acpi.h"
#include "kernel/cpu_plan.h"
#include "kernel/log.h"
#include "kernel/percpu.h"

#define MAX_LISTED_CPUS 4096	/* count every MADT entry, start HV_MAX_CPUS */
#define MAX_IOAPICS 64
#define MAX_UNITS 1024

static unsigned nwarn;

/* The kernel's log format: "[subsys] warning: text". */
void log_printf(enum log_level level, const char *subsys, const char *fmt, ...)
{
	va_list ap;

	printf("[%s] %s", subsys, level == LOG_ERR ? "error: " :
				  level == LOG_WARN ? "warning: " : "");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (level <= LOG_WARN)
		nwarn++;
}

/* A table file, checked as the boot path checks it; NULL if absent/bad. */
static const struct acpi_sdt_header *load(const char *dir, const char *name,
					  const char *sig)
{
	char path[4096];
	struct acpi_sdt_header *h;
	FILE *f;
	long len;
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	h = malloc(len > 0 ? (size_t)len : 1);
	if (!h || fread(h, 1, (size_t)len, f) != (size_t)len) {
		fclose(f);
		free(h);
		return NULL;
	}
	fclose(f);
	err = acpi_table_check(h, (u64)len, sig);
	if (err) {
		printf("[acpi] error: %s: %s -- ignored, as the boot path would\n",
		       path, acpi_strerror(err));
		nwarn++;
		free(h);
		return NULL;
	}
	return h;
}

static const char *onoff(bool b)
{
	return b ? "on" : "off";
}

/* Whether an RMRR names the same device path as s (8.4). */
static bool has_rmrr(const struct acpi_sdt_header *dmar,
		     const struct dmar_scope *s)
{
	struct dmar_rmrr r;
	struct dmar_scope rs;
	u32 cursor = 0, sc;

	while (dmar_next_rmrr(dmar, &cursor, &r) == 1)
		for (sc = 0; dmar_next_scope(r.scopes, r.scopes_len, &sc,
					     &rs) == 1;)
			if (rs.start_bus == s->start_bus &&
			    rs.path_len == s->path_len &&
			    !memcmp(rs.path, s->path, 2u * s->path_len))
				return true;
	return false;
}

/* What a device scope means for assignment (docs/vtd.md). */
static void print_scope(const struct acpi_sdt_header *dmar,
			const struct dmar_scope *s, u32 unit)
{
	u8 bus, devfn;

	switch (s->type) {
	case DMAR_SCOPE_PCI_ENDPOINT:
	case DMAR_SCOPE_PCI_BRIDGE:
		if (dmar_scope_resolve(s, NULL, NULL, &bus, &devfn)) {
			printf("  %s at bus %02x behind bridges: assignable once the path resolves on the machine\n",
			       dmar_scope_type_name(s->type), s->start_bus);
			return;
		}
		printf("  %s %02x:%02x.%u: %s (unit %u)\n",
		       dmar_scope_type_name(s->type), bus, devfn >> 3, devfn & 7,
		       s->type == DMAR_SCOPE_PCI_BRIDGE ?
			       "the functions below it can be assigned" :
		       has_rmrr(dmar, s) ?
			       "has an RMRR (firmware DMA to reserved memory): keep it in the hypervisor domain, do not assign" :
			       "can be assigned", unit);
		return;
	case DMAR_SCOPE_IOAPIC:
	case DMAR_SCOPE_HPET:
		printf("  %s id %u: its interrupts are remapped by unit %u\n",
		       dmar_scope_type_name(s->type), s->enumeration_id, unit);
		return;
	case DMAR_SCOPE_ACPI_NAMESPACE:
		printf("  ACPI namespace device %u: DMA blocked, cannot be assigned\n",
		       s->enumeration_id);
		return;
	}
}

static void print_units(const struct acpi_sdt_header *dmar)
{
	struct dmar_drhd d;
	struct dmar_scope s;
	u32 cursor = 0, sc, idx = 0, unit = 0;

	for (; dmar_next_drhd(dmar, &cursor, &d) == 1; idx++) {
		if (!vtd_drhd_used(&d)) {
			printf("DRHD %u at %#llx: no device scope, not INCLUDE_PCI_ALL: covers nothing, left alone\n",
			       idx, (unsigned long long)d.base);
			continue;
		}
		printf("unit %u (DRHD %u) at %#llx, segment %u%s\n", unit, idx,
		       (unsigned long long)d.base, d.segment,
		       d.flags & DMAR_DRHD_INCLUDE_PCI_ALL ?
			       ": INCLUDE_PCI_ALL, every function no other unit lists can be assigned" : "");
		for (sc = 0; dmar_next_scope(d.scopes, d.scopes_len, &sc, &s) == 1;)
			print_scope(dmar, &s, unit);
		unit++;
	}
}

static void print_rmrrs(const struct acpi_sdt_header *dmar, u64 max_addr)
{
	struct dmar_rmrr r;
	u32 cursor = 0;
	u64 base, size;

	while (dmar_next_rmrr(dmar, &cursor, &r) == 1) {
		if (vtd_rmrr_pages(&r, max_addr, &base, &size))
			printf("RMRR %#llx-%#llx: identity-mapped as %#llx+%#llx; its devices stay with the hypervisor (not assignable)\n",
			       (unsigned long long)r.base,
			       (unsigned long long)r.limit,
			       (unsigned long long)base,
			       (unsigned long long)size);
		else
			printf("RMRR %#llx-%#llx: beyond the %#llx address width, not mapped\n",
			       (unsigned long long)r.base,
			       (unsigned long long)r.limit,
			       (unsigned long long)max_addr);
	}
}

/* The tables the boot path also parses (ECAM windows, PM timer, HPET):
 * only their warnings matter here. Firmware with two HPETs names them
 * HPET1/HPET2 in acpixtract's output; the first is the one used. */
static void check_other_tables(const char *dir)
{
	static const char *const hpet_names[] = { "HPET.dat", "HPET1.dat" };
	struct mcfg_entry ecam[16];
	const struct acpi_sdt_header *h;
	struct fadt_info fadt;
	struct hpet_info hpet;
	u32 n, i;

	h = load(dir, "MCFG.dat", "MCFG");
	if (h)
		mcfg_parse(h, ecam, 16, &n);
	else
		printf("[acpi] warning: no valid MCFG: PCIe configuration space unavailable\n");
	h = load(dir, "FACP.dat", "FACP");
	if (h)
		fadt_parse(h, &fadt);
	for (i = 0, h = NULL; !h && i < 2; i++)
		h = load(dir, hpet_names[i], "HPET");
	if (h)
		hpet_parse(h, &hpet);
}

/* Everything hwcheck reads and decides about one machine. */
struct machine {
	const struct acpi_sdt_header *dmar, *madt;
	struct madt_info mi;
	struct madt_cpu cpus[MAX_LISTED_CPUS];
	struct madt_ioapic ioapics[MAX_IOAPICS];
	u32 nioapics;
	struct vtd_plan vp;
	struct cpu_plan cp;
	u64 max_addr;		/* last DMA address: 2^HAW - 1 */
};

/* The boot path's order: tables, APIC mode, units, IR, RMRRs, CPUs. */
static void decide(struct machine *m, bool cpu_x2apic)
{
	static struct vtd_unit_caps caps[MAX_UNITS];
	struct dmar_info di;
	bool dmar_ok = false;
	u32 i;

	if (m->madt && !madt_parse(m->madt, &m->mi, m->cpus, MAX_LISTED_CPUS,
				   m->ioapics, MAX_IOAPICS))
		m->nioapics = m->mi.nioapics_stored;
	else
		printf("[acpi] error: no usable MADT: only the boot CPU would run\n");
	if (m->dmar)
		dmar_ok = !dmar_parse(m->dmar, &di);
	vtd_plan_table(m->dmar, dmar_ok, &m->vp);
	cpu_plan_apic(cpu_x2apic, acpi_dmar_flags(m->dmar), &m->cp);
	/* Assumed, and said on the first line: registers are not tables. */
	for (i = 0; i < MAX_UNITS; i++)
		caps[i] = (struct vtd_unit_caps){ .qi = true, .ir = true,
						   .eim = true };
	vtd_plan_ir(m->dmar, m->ioapics, m->nioapics, caps, MAX_UNITS,
		    m->cp.x2apic, &m->vp);
	if (m->vp.vtd) {
		m->max_addr = ~0ull >> (64 - ((const u8 *)m->dmar)[DMAR_HAW_OFF] - 1);
		m->vp.rmrr_mapped = vtd_plan_rmrrs(m->dmar, m->max_addr);
	}
	if (m->madt)
		cpu_plan_count(m->cpus, m->mi.ncpus_stored, HV_MAX_CPUS, &m->cp);
	else
		m->cp.enabled = m->cp.started = 1;
}

static void report(const struct machine *m)
{
	const struct vtd_plan *vp = &m->vp;
	const struct cpu_plan *cp = &m->cp;

	if (vp->vtd) {
		print_units(m->dmar);
		print_rmrrs(m->dmar, m->max_addr);
		printf("VT-d: on, %u of %u DRHD units used\n", vp->nunits,
		       vp->ndrhd);
	} else {
		printf("VT-d: off: %s; no device can be assigned\n", vp->vtd_why);
	}
	printf("interrupt remapping: %s: %s\n", onoff(vp->ir), vp->ir_why);
	if (vp->vtd && !vp->ir)
		printf("  fallback: units translate DMA, IRE stays off, IOAPIC pins use compatibility format; assigned devices' MSIs are not confined (warned at boot)\n");
	printf("local APIC: %s: %s\n", cp->x2apic ? "x2APIC" : "xAPIC", cp->why);
	printf("CPUs: %u of %u enabled started", cp->started, cp->enabled);
	if (cp->unreachable)
		printf(", %u with APIC ids xAPIC mode cannot reach", cp->unreachable);
	if (cp->over_limit)
		printf(", %u beyond HV_MAX_CPUS (%u)", cp->over_limit, HV_MAX_CPUS);
	printf("\n%u warning(s) above\n", nwarn);
	printf("hwcheck: vtd=%s ir=%s x2apic=%s units=%u rmrr=%u/%u cpus=%u/%u\n",
	       onoff(vp->vtd), onoff(vp->ir), onoff(cp->x2apic), vp->nunits,
	       vp->rmrr_mapped, vp->nrmrr, cp->started, cp->enabled);
}

int main(int argc, char **argv)
{
	static struct machine m;
	const char *dir = NULL;
	bool cpu_x2apic = true;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--no-x2apic-cpu"))
			cpu_x2apic = false;
		else
			dir = argv[a];
	}
	if (!dir) {
		fprintf(stderr, "usage: hwcheck [--no-x2apic-cpu] TABLE-DIR\n");
		return 2;
	}
	printf("hwcheck %s: assuming every VT-d unit has QI, IR and EIM and the CPU %s x2APIC (registers are read only at boot)\n",
	       dir, cpu_x2apic ? "has" : "lacks");
	m.dmar = load(dir, "DMAR.dat", "DMAR");
	m.madt = load(dir, "APIC.dat", "APIC");
	check_other_tables(dir);
	decide(&m, cpu_x2apic);
	report(&m);
	return m.vp.vtd ? 0 : 1;
}
