#!/usr/bin/env bash
# A degraded platform still serves its VF guests (issue 8, defect 3): with
# intel-iommu intremap=off the igb PF gets no remapped mailbox interrupt.
# It says so, and says once that its mailbox is polled (and how often)
# from cpu0's wait loop while guests run; the guest on VF0 then does its
# mailbox reset handshake and its ARP exchange as with interrupts.
source "$(dirname "$0")/lib.bash"

boot noir "$ROOT/tests/configs/vmm_vf.cfg" --smp 3 --iommu intremap=off,aw-bits=48
expect_exit $EXIT_PASS "both guests ended as expected"
expect_line '^\[vtd\] warning: unit 0: no interrupt remapping'
expect_line '^\[igb\] warning: mailbox interrupt unavailable: no interrupt remapping$'
expect_line '^\[igb\] PF 01:00\.0 up: .*, mailbox polled$'
expect_count '^\[igb\] warning: PF mailbox and VF reset events polled every 1 ms on cpu0 while guests run: mailbox interrupt unavailable \(no interrupt remapping\)$' 1
expect_line '^\[test\] PASS igb PF mailbox served: 3 messages by polling'
expect_line '^\[igb\] VF0: RESET -> ACK'
expect_line '^\[net\] \| net: MAC 52:54:00:[0-9a-f:]+ from the PF' "served while the guest runs"
expect_line '^\[net\] \| net: 10\.0\.2\.2 is at 52:55:0a:00:02:02'
expect_line '^\[vmm\] net exited with status 0$'
expect_no_line 'mailbox reset failed'
finish
