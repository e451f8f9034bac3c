#!/usr/bin/env bash
# A table with a bad checksum is reported and skipped, never trusted: with
# the HPET table corrupted the timer falls back to the ACPI PM timer, and
# the self-test verdict is a failure.
source "$(dirname "$0")/lib.bash"

cfg=$(mktemp); trap 'rm -f "$cfg"' EXIT
cat "$ROOT/tests/configs/test.cfg" - >"$cfg" <<EOT
inject = acpi-corrupt:HPET
EOT
boot hpet "$cfg"
expect_exit $EXIT_FAIL "a corrupted table fails the run"
expect_line '^\[acpi\] warning: fault injection: corrupting the checksum of HPET'
expect_line '^\[acpi\] .*HPET at 0x[0-9a-f]+: .*checksum.*skipped'
expect_line '^\[timer\] calibrated against ACPI PM timer'
expect_line '^\[test\] FAIL ACPI tables valid: [0-9]+ tables, 1 bad'
finish
