/* SPDX-License-Identifier: MIT */
/*
 * Every prefix the hypervisor logs under ("[vtd] ...", "[vmm] ...") and the
 * boot stub's "[boot]". A guest's console lines are logged under its name,
 * so no guest may be named like one of these (boot/config.c refuses it):
 * otherwise a guest called "test" could print "[test] PASS ..." lines that
 * pass for the self-test's. tests/build/log_names.sh checks that every
 * LOG_SUBSYS in the tree is listed here.
 */
#ifndef LIB_LOG_NAMES_H
#define LIB_LOG_NAMES_H

#define HV_LOG_SUBSYSTEMS                                                  \
	"acpi", "apic", "boot", "dmar", "dmatest", "e1000e", "edu", "hpet", \
	"hv", "idt", "igb", "ioapic", "iommu", "memmap", "mm", "panic",     \
	"pci", "smp", "sriov", "svm", "test", "timer", "trap", "vmm",       \
	"vmx", "vtd"

#endif
