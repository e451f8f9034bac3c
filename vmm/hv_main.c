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

void __noreturn hv_main(struct hv_bootinfo *bi, u32 cpus_failed)
{
	const struct hv_config *cfg = &bi->cfg;
	const struct pci_setup pci = {
		.vfs = vmm_vf_demand(cfg),	/* drivers/ never read guests */
		.selftest = cfg->selftest,
		.dump_config = cfg->log_level >= LOG_DEBUG,
	};
	enum vmm_result guests;

	/* Config space first: VT-d resolves DMAR scopes through bridges. */
	pci_cfg_init();
	iommu_init();
	selftest_dma(cfg);
	selftest_ioapic(cfg);
	pci_main(&pci);
	guests = vmm_run_guests(bi);

	pr_info("%u CPU(s), %llu MiB free; %s\n", cpu_count,
		frames_free_pages() >> 8, guests == VMM_NO_GUESTS ?
		"no guests to run" : "all guests stopped");
	if (cfg->selftest) {
		selftest_summary();
		hv_exit(selftest_failed() ? HV_EXIT_FAIL : HV_EXIT_PASS);
	}
	if (cfg->debug_exit_port)
		hv_exit(cpus_failed || guests == VMM_GUESTS_FAILED ?
			HV_EXIT_FAIL : HV_EXIT_PASS);
	irq_enable();
	for (;;)
		cpu_halt();
}
