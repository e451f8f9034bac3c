// SPDX-License-Identifier: MIT
/*
 * Host tests for vmm/exit_kind.c: each exit Linux takes most (the console
 * byte, the EOI, the TSC deadline, the PCI config access) lands in its own
 * kind, and the format lists every kind once, in order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vmm/exit_kind.h"
#include "vmm/vcpu.h"

static void test_ports(void **state)
{
	(void)state;
	assert_int_equal(exit_kind(VEXIT_IO, 0x3f8, 0), EK_IO_UART);
	assert_int_equal(exit_kind(VEXIT_IO, 0x3fd, 0), EK_IO_UART);
	assert_int_equal(exit_kind(VEXIT_IO, 0x400, 0), EK_IO_OTHER);
	assert_int_equal(exit_kind(VEXIT_IO, 0x3f7, 0), EK_IO_OTHER);
	assert_int_equal(exit_kind(VEXIT_IO, 0x21, 0), EK_IO_PIC);
	assert_int_equal(exit_kind(VEXIT_IO, 0xa0, 0), EK_IO_PIC);
	assert_int_equal(exit_kind(VEXIT_IO, 0xcf8, 0), EK_IO_PCI);
	assert_int_equal(exit_kind(VEXIT_IO, 0xcfe, 0), EK_IO_PCI);
	assert_int_equal(exit_kind(VEXIT_IO, 0x70, 0), EK_IO_RTC);
	assert_int_equal(exit_kind(VEXIT_IO, 0x71, 0), EK_IO_RTC);
	assert_int_equal(exit_kind(VEXIT_IO, 0x80, 0), EK_IO_OTHER);
}

static void test_msrs(void **state)
{
	(void)state;
	assert_int_equal(exit_kind(VEXIT_MSR_WRITE, 0, 0x80b), EK_EOI);
	assert_int_equal(exit_kind(VEXIT_MSR_WRITE, 0, 0x6e0), EK_TSC_DEADLINE);
	assert_int_equal(exit_kind(VEXIT_MSR_WRITE, 0, 0x830), EK_ICR);
	assert_int_equal(exit_kind(VEXIT_MSR_WRITE, 0, 0x83f), EK_ICR);
	assert_int_equal(exit_kind(VEXIT_MSR_WRITE, 0, 0x832), EK_APIC_OTHER);
	assert_int_equal(exit_kind(VEXIT_MSR_WRITE, 0, 0xc0000080),
			 EK_WRMSR_OTHER);
	/* reads are one kind, whatever the MSR */
	assert_int_equal(exit_kind(VEXIT_MSR_READ, 0, 0x80b), EK_RDMSR);
	/* the MSR number means nothing for other reasons */
	assert_int_equal(exit_kind(VEXIT_HLT, 0, 0x80b), EK_HLT);
}

static void test_reasons(void **state)
{
	(void)state;
	assert_int_equal(exit_kind(VEXIT_INTR, 0, 0), EK_INTR);
	assert_int_equal(exit_kind(VEXIT_HYPERCALL, 0, 0), EK_HYPERCALL);
	assert_int_equal(exit_kind(VEXIT_CPUID, 0, 0), EK_CPUID);
	assert_int_equal(exit_kind(VEXIT_NPF, 0, 0), EK_NPF);
	assert_int_equal(exit_kind(VEXIT_SHUTDOWN, 0, 0), EK_OTHER);
	assert_int_equal(exit_kind(VEXIT_COUNT + 5, 0, 0), EK_OTHER);
	assert_string_equal(exit_kind_name(EK_TSC_DEADLINE), "tsc-deadline");
	assert_string_equal(exit_kind_name(EK_COUNT), "?");
}

static void test_format(void **state)
{
	u64 c[EK_COUNT] = { 0 };
	char buf[512], small[12];

	(void)state;
	c[EK_INTR] = 7;
	c[EK_EOI] = 123456789012ull;
	c[EK_OTHER] = 1;
	exit_kind_format(buf, sizeof(buf), c);
	assert_string_equal(buf,
		"intr=7 hlt=0 hypercall=0 io-uart=0 io-pic=0 io-pci=0 io-rtc=0 "
		"io-other=0 eoi=123456789012 tsc-deadline=0 icr=0 apic-other=0 "
		"wrmsr-other=0 rdmsr=0 cpuid=0 npf=0 other=1");
	/* a short buffer is cut, never overrun, and stays terminated */
	memset(small, 'x', sizeof(small));
	exit_kind_format(small, sizeof(small), c);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_memory_equal(small, "intr=7 hlt=", 11);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_msrs),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
