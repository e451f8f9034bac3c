// SPDX-License-Identifier: MIT
/*
 * The hypervisor's top level: brings up the IOMMU, the devices and the
 * guests on top of the kernel core, then ends the run with a verdict.
 * Each subsystem line below is its entry point; keep it one line each.
 */
#define LOG_SUBSYS "hv"
#include "drivers/pci.h"
#include "iommu/iommu.h"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/main.h"
#include "kernel/mm.h"
#include "kernel/pci_cfg.h"
#include "kernel/percpu.h"
#include "kernel/selftest.h"
#include "kernel/shutdown.h"
#include "vmm/selftest_dma.h"
#include "vmm/selftest_ioapic.h"
#include "vmm/vf_demand.h"
#include "vmm/vmm.h"

/* Errors in the config are the run's failure, whatever else happens. */
static void check_config(const struct hv_bootinfo *bi)
{
	if (bi->config_errors)
		selftest_check(false, "config", "hv.cfg has %u error(s): no guest was started",
			       bi->config_errors);
}

void __noreturn hv_main(struct hv_bootinfo *bi, u32 cpus_failed)
{
	const struct hv_config *cfg = &bi->cfg;
	const struct pci_setup pci = {
		.vfs = vmm_vf_demand(cfg),	/* drivers/ never read guests */
		.selftest = cfg->selftest,
		.dump_config = cfg->log_level >= LOG_DEBUG,
	};
	enum vmm_result guests;
	bool failed;

	/* Config space first: VT-d resolves DMAR scopes through bridges. */
	pci_cfg_init();
	iommu_init();
	selftest_dma(cfg);
	selftest_ioapic(cfg);
	pci_main(&pci);
	check_config(bi);
	guests = vmm_run_guests(bi);

	pr_info("%u CPU(s), %llu MiB free; %s\n", cpu_count,
		frames_free_pages() >> 8, guests == VMM_NO_GUESTS ?
		"no guests to run" : "all guests stopped");
	if (cfg->selftest)
		selftest_summary();
	failed = selftest_failed() || cpus_failed || bi->config_errors ||
		 guests == VMM_GUESTS_FAILED;
	hv_exit(failed ? HV_EXIT_FAIL : HV_EXIT_PASS);
}
