// SPDX-License-Identifier: MIT
/*
 * Classifying VM exits by what they were for (see vmm/exit_kind.h).
 */
#include "vmm/exit_kind.h"

#include "kernel/cpu.h"
#include "lib/format.h"
#include "lib/hv_abi.h"
#include "vmm/vcpu.h"
#include "vmm/vlapic.h"
#include "vmm/vpci.h"
#include "vmm/vpic.h"
#include "vmm/vrtc.h"
#include "vmm/vuart.h"

static const char *const names[EK_COUNT] = {
	[EK_INTR] = "intr", [EK_HLT] = "hlt", [EK_HYPERCALL] = "hypercall",
	[EK_IO_UART] = "io-uart", [EK_IO_PIC] = "io-pic",
	[EK_IO_PCI] = "io-pci", [EK_IO_RTC] = "io-rtc",
	[EK_IO_OTHER] = "io-other", [EK_EOI] = "eoi",
	[EK_TSC_DEADLINE] = "tsc-deadline", [EK_ICR] = "icr",
	[EK_APIC_OTHER] = "apic-other", [EK_WRMSR_OTHER] = "wrmsr-other",
	[EK_RDMSR] = "rdmsr", [EK_CPUID] = "cpuid", [EK_NPF] = "npf",
	[EK_OTHER] = "other",
};

static u8 port_kind(u16 port)
{
	if (vuart_owns_port(port))
		return EK_IO_UART;
	if (vpic_owns_port(port))
		return EK_IO_PIC;
	if (vpci_is_port(port))
		return EK_IO_PCI;
	if (vrtc_owns_port(port))
		return EK_IO_RTC;
	return EK_IO_OTHER;
}

static u8 wrmsr_kind(u32 msr)
{
	if (msr == HV_MSR_X2APIC_EOI)
		return EK_EOI;
	if (msr == MSR_TSC_DEADLINE)
		return EK_TSC_DEADLINE;
	if (msr == X2APIC_MSR_ICR || msr == X2APIC_MSR_SELF_IPI)
		return EK_ICR;
	if (msr >= EK_X2APIC_FIRST && msr <= EK_X2APIC_LAST)
		return EK_APIC_OTHER;
	return EK_WRMSR_OTHER;
}

u8 exit_kind(u8 reason, u16 port, u32 msr)
{
	switch (reason) {
	case VEXIT_INTR: return EK_INTR;
	case VEXIT_HLT: return EK_HLT;
	case VEXIT_HYPERCALL: return EK_HYPERCALL;
	case VEXIT_IO: return port_kind(port);
	case VEXIT_MSR_WRITE: return wrmsr_kind(msr);
	case VEXIT_MSR_READ: return EK_RDMSR;
	case VEXIT_CPUID: return EK_CPUID;
	case VEXIT_NPF: return EK_NPF;
	}
	return EK_OTHER;
}

const char *exit_kind_name(u8 kind)
{
	return kind < EK_COUNT ? names[kind] : "?";
}

void exit_kind_format(char *buf, size_t len, const u64 counts[EK_COUNT])
{
	size_t at = 0;
	u8 k;

	if (!len)
		return;
	buf[0] = '\0';
	for (k = 0; k < EK_COUNT && at < len; k++) {
		int n = fmt_snprintf(buf + at, len - at, "%s%s=%llu",
				     k ? " " : "", names[k], counts[k]);

		if (n < 0)
			break;
		at += (size_t)n;
	}
}
