#!/usr/bin/env bash
# The second layout: igb directly on the root bus (no root port, so no
# bridge window: VF BARs go above the highest 32-bit BAR, ARI stays off)
# next to an e1000e. The same VF self-test must pass.
source "$(dirname "$0")/lib.bash"

boot rootbus "$ROOT/tests/configs/test.cfg" --no-igb --nic -- \
	-device igb,netdev=n0,bus=pcie.0,addr=0x4 -netdev user,id=n0
expect_exit $EXIT_PASS "self-tests pass"
expect_line '^\[pci\] 0000:00:04\.0 8086:10c9 class 0200 \(Ethernet\) igb PF' "PF on the root bus"
expect_no_line 'class 0604 \(PCI bridge\)' "no bridge in this layout"
expect_line '^\[sriov\] VF BAR0 mem64 pref 0x[0-9a-f]{8}: 2 x 16K' "VF BAR0 below 4 GiB"
expect_line '^\[sriov\] 00:04\.0: 2 of 8 VFs enabled .*offset 0x80 stride 2, VF 8086:10ca, ARI off'
expect_line '^\[pci\] 0000:00:14\.0 8086:10ca class 0200 \(Ethernet\) igb VF' "VF0 at rid 0x20 + 0x80"
expect_line '^\[pci\] 0000:00:14\.2 8086:10ca class 0200 \(Ethernet\) igb VF' "VF1"
expect_line '^\[test\] PASS SR-IOV VFs enabled: 2 of 2 wanted'
expect_line '^\[test\] PASS igb VF BARs decode: 2 of 2 VFs'
expect_line '^\[test\] PASS igb VF mailbox reset'
expect_line '^\[igb\] mailbox interrupt: MSI-X vector 0 -> vector 0x[0-9a-f]+' "PF interrupt delivered"
expect_line '^\[test\] PASS igb PF mailbox served: 3 messages from the MSI-X interrupt'
expect_line '^\[test\] PASS igb VF MAC anti-spoofing'
expect_line '^\[test\] PASS igb VF ARP: 10\.0\.2\.2 is at 52:55:0a:00:02:02'
expect_line '^\[test\] PASS e1000e reset'
expect_no_line '^\[test\] FAIL'
finish
