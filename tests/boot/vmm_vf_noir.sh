#!/usr/bin/env bash
# A degraded platform still serves its VF guests (issue 8, defect 3): with
# intel-iommu intremap=off the igb PF gets no remapped mailbox interrupt.
# It says so, and says once that its mailbox is polled (and how often)
# from cpu0's wait loop while guests run; the guest on VF0 then does its
# mailbox reset handshake and its ARP exchange as with interrupts.
# With edu on the same machine, the VT-d self-tests under intremap=off
# (vtd_degraded's second half): the unit still translates DMA (the DMA
# self-tests pass), says its MSIs are not confined, the MSI self-tests are
# skipped, and IOAPIC pins fall back to the compatibility format.
source "$(dirname "$0")/lib.bash"

boot noir "$ROOT/tests/configs/vmm_vf.cfg" --smp 3 --iommu intremap=off,aw-bits=48 -- -device edu
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
expect_line '^\[vtd\] unit 0 at 0xfed90000: .*no IR, '
expect_line '^\[vtd\] unit 0: translation enabled' "DMA translation without IR"
expect_no_line '^\[vtd\] unit 0: interrupt remapping enabled'
expect_count '^\[test\] PASS VT-d' 4
expect_line '^\[dmatest\] no interrupt remapping for edu: MSI self-tests skipped'
expect_no_line '^\[test\] FAIL VT-d'
expect_line '^\[test\] PASS IOAPIC pin in compatibility format: ISA IRQ0 -> GSI 2, RTE 0x31, '
finish
