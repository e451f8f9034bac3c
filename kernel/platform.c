// SPDX-License-Identifier: MIT
#define LOG_SUBSYS "acpi"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/platform.h"
#include "lib/string.h"

struct platform platform;

static const void *acpi_phys_map(void *ctx, u64 pa, u64 len)
{
	if (!pa || pa + len < pa)
		return NULL;
	return phys_map_ro(pa, len);
}

static const struct acpi_mem kernel_acpi_mem = { .map = acpi_phys_map };

/*
 * Fault injection (config "inject = acpi-corrupt:SIG"): flip the checksum
 * of a table before the scan, to prove a corrupted table is caught. Walks
 * the root table without validation: only tests ask for this.
 */
static void inject_acpi_corrupt(u64 rsdp_pa, const char *sig)
{
	const struct acpi_rsdp *rsdp = phys_map_ro(rsdp_pa, sizeof(*rsdp));
	const struct acpi_sdt_header *xsdt, *h;
	u32 i, n;

	if (!rsdp || rsdp->revision < 2 || !rsdp->xsdt_address)
		return;
	xsdt = phys_map_ro(rsdp->xsdt_address, sizeof(*xsdt));
	if (!xsdt || !phys_map_ro(rsdp->xsdt_address, xsdt->length))
		return;
	n = (xsdt->length - sizeof(*xsdt)) / 8;
	for (i = 0; i < n; i++) {
		u64 pa;

		memcpy(&pa, (const u8 *)xsdt + sizeof(*xsdt) + 8 * i, 8);
		h = phys_map_ro(pa, sizeof(*h));
		if (h && !memcmp(h->signature, sig, 4)) {
			pr_warn("fault injection: corrupting the checksum of %.4s at %#llx\n",
				sig, pa);
			((struct acpi_sdt_header *)h)->checksum ^= 0x5a;
			return;
		}
	}
	pr_warn("fault injection: no %.4s table to corrupt\n", sig);
}

static void parse_madt(void)
{
	const struct acpi_sdt_header *h = platform.acpi.madt;
	u32 i;

	if (!h) {
		pr_err("no valid MADT: only the boot CPU will run\n");
		return;
	}
	if (madt_parse(h, &platform.madt, platform.cpus, HV_MAX_CPUS,
		       platform.ioapics, PLATFORM_MAX_IOAPICS))
		return;
	platform.have_madt = true;
	platform.ncpus = platform.madt.ncpus_stored;
	platform.ncpus_enabled = platform.madt.ncpus;
	for (i = 0; i < platform.madt.nioapics_stored; i++)
		pr_info("  IOAPIC id %u at %#x, GSI base %u\n",
			platform.ioapics[i].id, platform.ioapics[i].addr,
			platform.ioapics[i].gsi_base);
}

static void parse_mcfg(void)
{
	if (!platform.acpi.mcfg) {
		pr_warn("no valid MCFG: PCIe configuration space unavailable\n");
		return;
	}
	mcfg_parse(platform.acpi.mcfg, platform.ecam, PLATFORM_MAX_ECAM,
		   &platform.necam);
}

static void parse_fadt_hpet(void)
{
	if (platform.acpi.fadt)
		platform.have_fadt = !fadt_parse(platform.acpi.fadt, &platform.fadt);
	if (platform.acpi.hpet)
		platform.have_hpet = !hpet_parse(platform.acpi.hpet, &platform.hpet);
}

/*
 * Without a MADT (OVMF under Bochs installs no ACPI tables) the boot
 * stub's list from the UEFI MP services stands in for it.
 */
static void cpus_from_firmware(const struct hv_bootinfo *bi)
{
	u32 i, n = MIN(bi->fw_ncpus, (u32)HV_MAX_CPUS);

	if (platform.have_madt || !n)
		return;
	for (i = 0; i < n; i++)
		platform.cpus[i] = (struct madt_cpu){
			.apic_id = bi->fw_apic_ids[i], .enabled = true };
	platform.ncpus = platform.ncpus_enabled = n;
	pr_warn("no MADT: taking %u CPU(s) from the firmware's MP services\n",
		n);
}

/* The local APIC mode, from CPUID and the DMAR's X2APIC_OPT_OUT. */
static void decide_apic_mode(void)
{
	bool has = cpuid(1, 0).ecx & CPUID1_ECX_X2APIC;

	cpu_plan_apic(has, acpi_dmar_flags(platform.acpi.dmar),
		      &platform.cpu_plan);
	pr_info("local APIC: %s mode: %s\n",
		platform.cpu_plan.x2apic ? "x2APIC" : "xAPIC",
		platform.cpu_plan.why);
}

enum apic_mode platform_apic_mode(void)
{
	return platform.cpu_plan.x2apic ? APIC_MODE_X2APIC : APIC_MODE_XAPIC;
}

static void discover_tables(const struct hv_bootinfo *bi)
{
	const struct hv_config *cfg = &bi->cfg;
	u32 i;

	if (!bi->rsdp_pa) {
		pr_err("firmware reported no ACPI RSDP\n");
		cpus_from_firmware(bi);
		return;
	}
	for (i = 0; i < cfg->ninject; i++)
		if (cfg->inject[i].kind == CFG_INJECT_ACPI_CORRUPT)
			inject_acpi_corrupt(bi->rsdp_pa, cfg->inject[i].sig);
	if (acpi_scan(&kernel_acpi_mem, bi->rsdp_pa, &platform.acpi)) {
		pr_err("no usable ACPI root table\n");
		cpus_from_firmware(bi);
		return;
	}
	platform.have_acpi = true;
	if (cfg->acpi_dump)
		acpi_dump_all(&kernel_acpi_mem, &platform.acpi);
	parse_madt();
	cpus_from_firmware(bi);
	parse_mcfg();
	parse_fadt_hpet();
}

void platform_discover(const struct hv_bootinfo *bi)
{
	discover_tables(bi);
	decide_apic_mode();
}
