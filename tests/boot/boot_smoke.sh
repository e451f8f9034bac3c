#!/usr/bin/env bash
# The default boot: every CPU online, ACPI tables found and listed, the
# DMAR's remapping unit shown, the self-tests pass (W^X, NX, guard pages,
# exceptions, timer); without an edu device the DMA self-tests skip.
source "$(dirname "$0")/lib.bash"

boot smp2 "$ROOT/tests/configs/test.cfg" --smp 2
expect_exit $EXIT_PASS "self-tests pass"
expect_line '^\[boot\] ACPI 2.0 RSDP at 0x' "boot stub found the RSDP"
expect_line '^\[mm\] memory map: [0-9]+ regions' "memory map printed"
expect_line '^\[mm\] kernel page tables live' "own page tables"
expect_line '^\[acpi\] (XSDT|RSDT) ' "root table"
expect_line '^\[acpi\] APIC: LAPIC 0xfee00000, 2 CPUs enabled'
expect_line '^\[acpi\] MCFG: ECAM 0xb0000000 segment 0 buses 00-ff'
expect_line '^\[dmar\] DRHD 0: base 0xfed90000' "DRHD unit listed"
expect_line '^\[apic\] cpu0: x2APIC mode'
expect_line '^\[timer\] calibrated against HPET'
expect_line '^\[smp\] cpu1 online: APIC id 1'
expect_line '^\[hv\] 2 CPU\(s\) online, 0 failed'
expect_line '^\[test\] PASS W\^X: write to .text: #PF page fault, error 0x3'
expect_line '^\[test\] PASS NX: execute from .data: #PF page fault, error 0x11'
expect_line '^\[test\] PASS stack guard page'
expect_line '^\[test\] PASS all CPUs online: 2 of 2 online'
expect_line '^\[test\] self-test: [0-9]+ passed, 0 failed'
# No edu device on this machine: the VT-d DMA self-tests (tests/boot/vtd_edu.sh
# with edu) skip cleanly, and translation is still on.
expect_line '^\[vtd\] unit 0: translation enabled' "VT-d on without edu"
expect_line '^\[dmatest\] no edu device \(QEMU -device edu\): DMA self-tests skipped' "DMA self-tests skip without edu"
expect_no_line '^\[test\] FAIL'
finish
