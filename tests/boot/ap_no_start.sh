#!/usr/bin/env bash
# A CPU that does not come up is detected, reported, and fails the run.
source "$(dirname "$0")/lib.bash"

cfg=$(mktemp); trap 'rm -f "$cfg"' EXIT
cat "$ROOT/tests/configs/test.cfg" - >"$cfg" <<EOT
inject = ap-no-start:2
EOT
boot inject "$cfg" --smp 3
expect_exit $EXIT_FAIL "a missing CPU fails the run"
expect_line '^\[smp\] warning: fault injection: not starting cpu2'
expect_line '^\[smp\] error: cpu2 \(APIC id 2\) did not come up'
expect_line '^\[smp\] cpu1 online'
expect_line '^\[test\] FAIL all CPUs online: 2 of 3 online, 1 failed'
finish
