#!/usr/bin/env bash
# Negative test of the guest verdict: an unexpected exit status and a
# malformed image are reported and fail the run; nothing panics.
source "$(dirname "$0")/lib.bash"

boot smp3 "$ROOT/tests/configs/vmm_verdict.cfg" --smp 3
expect_exit $EXIT_FAIL "verdict must fail"
expect_line '^\[vmm\] error: notelf: bad image hv.cfg: not an ELF file \(bad magic\); not started$'
expect_line '^\[vmm\] wrong exited with status 1$'
expect_line '^\[test\] FAIL wrong: exit status 1, expected 0'
expect_line '^\[test\] FAIL notelf: not started'
expect_line '^\[vmm\] 1 of 2 guest\(s\) started, all stopped; verdict FAIL'
expect_no_line 'PANIC|panic'
finish
