#!/usr/bin/env bash
# Two guests at once on two APs (QEMU --smp 3, SVM), each taking its own
# virtual x2APIC timer interrupts, each exiting with its expected status
# (3 and 0). Both run concurrently: vm2 starts before vm1 has finished.
source "$(dirname "$0")/lib.bash"

boot smp3 "$ROOT/tests/configs/vmm_two.cfg" --smp 3
expect_exit $EXIT_PASS "both guests exited as expected"
expect_line '^\[vmm\] vm1: vCPU 1 running on cpu1'
expect_line '^\[vmm\] vm2: vCPU 2 running on cpu2'
expect_line '^\[vm1\] \| timer: vm1: 100 Hz, waiting for 30 ticks$'
expect_line '^\[vm2\] \| timer: vm2: 50 Hz, waiting for 10 ticks$'
expect_line '^\[vm1\] \| timer: 30 ticks in [0-9]+ ms$' "vm1 took 30 timer interrupts"
expect_line '^\[vm2\] \| timer: 10 ticks in [0-9]+ ms$' "vm2 took 10 timer interrupts"
expect_line '^\[vmm\] vm1: .* 30 timer irqs raised, 30 taken$'
expect_line '^\[vmm\] vm2: .* 10 timer irqs raised, 10 taken$'
expect_line '^\[vmm\] vm1 exited with status 3$'
expect_line '^\[vmm\] vm2 exited with status 0$'
expect_line '^\[test\] PASS vm1: exit status 3, expected 3'
expect_line '^\[test\] PASS vm2: exit status 0, expected 0'
# concurrency: both guests printed their first line before either exited
first_exit=$(clean_log | grep -n '^\[vmm\] vm[12] exited' | head -1 | cut -d: -f1)
last_start=$(clean_log | grep -n '^\[vm[12]\] | timer: vm[12]:' | tail -1 | cut -d: -f1)
if [ -z "$first_exit" ] || [ -z "$last_start" ] || [ "$last_start" -gt "$first_exit" ]; then
	fail "guests did not run at the same time (start line $last_start, first exit line $first_exit)"
fi
expect_no_line '^\[test\] FAIL'
finish
