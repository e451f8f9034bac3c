#!/usr/bin/env bash
# A CPU that does not come up is detected, reported, and fails the run.
# The injection names one CPU of the MADT: the CPUs after it still start
# (they are numbered cpu1, cpu2... as they come up), and no wait is
# reported for a CPU that was never sent INIT-SIPI-SIPI.
source "$(dirname "$0")/lib.bash"

cfg=$(mktemp); trap 'rm -f "$cfg"' EXIT
cat "$ROOT/tests/configs/test.cfg" - >"$cfg" <<EOT
inject = ap-no-start:2
EOT
boot inject "$cfg" --smp 3
expect_exit $EXIT_FAIL "a missing CPU fails the run"
expect_line '^\[smp\] warning: fault injection: not starting CPU 2 of the MADT \(APIC id 2\)$'
expect_no_line 'did not come up'
expect_line '^\[smp\] cpu1 online'
expect_line '^\[test\] FAIL all CPUs online: 2 of 3 online, 1 failed'

cat "$ROOT/tests/configs/test.cfg" - >"$cfg" <<EOT
inject = ap-no-start:1
EOT
boot first "$cfg" --smp 4
expect_exit $EXIT_FAIL "a missing CPU fails the run"
expect_line '^\[smp\] warning: fault injection: not starting CPU 1 of the MADT \(APIC id 1\)$'
expect_count 'fault injection: not starting' 1
expect_line '^\[smp\] cpu1 online: APIC id 2' "the CPUs after the missing one start"
expect_line '^\[smp\] cpu2 online: APIC id 3'
expect_no_line 'did not come up'
expect_line '^\[test\] FAIL all CPUs online: 3 of 4 online, 1 failed'
finish
