#!/usr/bin/env bash
# Device assignment: a guest drives its own igb VF. The VF is reset (FLR),
# attached to the guest's VT-d domain (built from the guest's memory map),
# its registers mapped into the guest at HV_GUEST_MMIO_BASE; the guest runs
# lib/igbvf.c against it (mailbox reset, MAC from the PF, rings in its own
# RAM addressed by guest-physical addresses) and gets an ARP reply from the
# QEMU gateway. Register accesses cost no VM exit. The VF is detached and
# reset when the guest ends. A second guest without devices runs beside it.
# Then a guest whose VF DMAs outside the guest's memory: VT-d blocks it,
# the fault stops that guest and no other.
source "$(dirname "$0")/lib.bash"

boot vf "$ROOT/tests/configs/vmm_vf.cfg" --smp 3
expect_exit $EXIT_PASS "both guests ended as expected"
expect_line '^\[vmm\] net: IOMMU domain built from the guest memory map'
expect_line '^\[vmm\] net: vf 0 \(01:10\.0\) assigned: registers at GPA 0xf0000000 \(HPA 0x[0-9a-f]+, 16 KiB\)'
expect_line '^\[net\] \| net: VF 01:10\.0, registers at GPA 0xf0000000 \(16 KiB\)' "the boot info names the VF"
expect_line '^\[igb\] VF0: RESET -> ACK'
expect_line '^\[net\] \| net: MAC 52:54:00:[0-9a-f:]+ from the PF' "mailbox from inside the guest"
expect_line '^\[net\] \| net: 10\.0\.2\.2 is at 52:55:0a:00:02:02' "DMA through the guest's domain"
expect_line '^\[vmm\] net exited with status 0$'
expect_line '^\[vmm\] net: [0-9]+ exits in [0-9]+ ms: [0-9]+ hypercall, 0 hlt, 0 io, 0 msr' "VF registers reached without exits"
expect_line '^\[vmm\] net: 01:10\.0 taken back: detached and reset'
expect_line '^\[vmm\] hello exited with status 0$'
expect_no_line '^\[vtd\] warning: fault' "no DMA fault"

boot baddma "$ROOT/tests/configs/vmm_vf_baddma.cfg" --smp 3
expect_exit $EXIT_PASS "the rogue guest stopped, the other finished"
expect_line '^\[rogue\] \| net: transmitting from GPA 0x40000000, outside my RAM'
expect_line '^\[vtd\] warning: fault: unit 0 01:10\.2 read 0x40000000 reason 0x6 .*domain rogue' "blocked and blamed on its domain"
expect_line '^\[vmm\] rogue stopped \(as its test expects\): DMA read from GPA 0x40000000 by 01:10\.2 outside its memory'
expect_no_line '^\[rogue\] \| net: still running' "stopped before its 3 s wait ended"
expect_line '^\[vmm\] rogue: 01:10\.2 taken back: detached and reset'
expect_line '^\[vmm\] hello exited with status 0$'
expect_line '^\[vmm\] 2 of 2 guest\(s\) started, all stopped; verdict pass'
finish
