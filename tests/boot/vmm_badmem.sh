#!/usr/bin/env bash
# A guest that writes outside its memory is stopped by a nested page
# fault and reported with the GPA; the other guest keeps running, takes
# its timer interrupts and exits 0. The run passes because the stop was
# the expected outcome (cmdline expect=stopped).
source "$(dirname "$0")/lib.bash"

boot smp3 "$ROOT/tests/configs/vmm_badmem.cfg" --smp 3
expect_exit $EXIT_PASS "bad guest stopped, other one exited 0"
expect_line '^\[bad\] \| badmem: writing GPA 0x601000, outside my 6 MiB$'
expect_line '^\[vmm\] bad stopped \(as its test expects\): NPF write at GPA 0x601000 outside its memory \(6 MiB\) at RIP 0x[0-9a-f]+$'
expect_no_line '^\[bad\] \| badmem: the write went through'
expect_line '^\[ticker\] \| timer: 25 ticks in [0-9]+ ms$' "other guest keeps running"
expect_line '^\[vmm\] ticker exited with status 0$'
expect_line '^\[test\] PASS bad: expected to be stopped: stopped: NPF write'
expect_line '^\[test\] PASS ticker: exit status 0'
expect_no_line '^\[test\] FAIL'
finish
