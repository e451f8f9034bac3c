#!/usr/bin/env bash
# Four CPUs with the x2APIC feature hidden: the xAPIC (MMIO) path brings up
# every AP.
source "$(dirname "$0")/lib.bash"

boot smp4 "$ROOT/tests/configs/test.cfg" --smp 4 --cpu max,-x2apic
expect_exit $EXIT_PASS "self-tests pass"
expect_line '^\[apic\] cpu0: xAPIC mode'
expect_line '^\[acpi\] APIC: LAPIC 0xfee00000, 4 CPUs enabled'
for i in 1 2 3; do
	expect_line "^\[smp\] cpu$i online: APIC id $i"
done
expect_line '^\[test\] PASS all CPUs online: 4 of 4 online'
finish
