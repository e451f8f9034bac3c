#!/usr/bin/env bash
# Whole-function assignment, the path for devices without SR-IOV: the
# e1000e (82574L, no FLR, so its driver's reset) goes to a guest: reset,
# attached to the guest's VT-d domain, BAR0 mapped at 0xf0000000; the guest
# reads its STATUS register there; on exit it is detached and reset again.
source "$(dirname "$0")/lib.bash"

boot e1000e "$ROOT/tests/configs/vmm_whole_fn.cfg" --smp 2 --nic
expect_exit $EXIT_PASS "the guest read its device"
expect_line '^\[e1000e\] 0000:00:03\.0: reset in [0-9]+ us, .*ready to assign' "reset before it is given"
expect_line '^\[vtd\] 00:03\.0 attached to domain 2 \(nic\)'
expect_line '^\[vmm\] nic: pci 0000:00:03\.0 \(00:03\.0\) assigned: registers at GPA 0xf0000000 \(HPA 0x[0-9a-f]+, 128 KiB\)'
expect_line '^\[nic\] \| devread: function 00:03\.0 at GPA 0xf0000000: STATUS 0x[0-9a-f]+$' "BAR0 reached from the guest"
expect_no_line 'no answer'
expect_line '^\[vtd\] 00:03\.0 detached from domain 2 \(nic\)'
expect_line '^\[vmm\] nic: 00:03\.0 taken back: detached and reset'
expect_count '^\[e1000e\] 0000:00:03\.0: reset in' 3
finish
