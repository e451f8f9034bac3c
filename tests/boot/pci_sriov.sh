#!/usr/bin/env bash
# igb behind a PCIe root port (the default layout) plus an e1000e on the
# root bus: enumeration and inventory, SR-IOV with VF BARs below 4 GiB in
# the root port's window, the igb PF up, the VF self-test (mailbox reset
# handshake and MAC, foreign MAC refused, ARP to 10.0.2.2 and its reply,
# FLR re-arms the VF), the e1000e quiesced as an assignable function.
source "$(dirname "$0")/lib.bash"

boot rootport "$ROOT/tests/configs/test.cfg" --nic
expect_exit $EXIT_PASS "self-tests pass"
expect_line '^\[pci\] segment 0 buses 00-ff: [0-9]+ functions' "ECAM segment scanned"
expect_line '^\[pci\] 0000:00:0[0-9a-f]\.0 1b36:000c class 0604 \(PCI bridge\)' "root port listed"
expect_line '^\[pci\]   bridge: buses 01-01'
expect_line '^\[pci\] 0000:01:00\.0 8086:10c9 class 0200 \(Ethernet\) igb PF' "PF behind the root port"
expect_line '^\[pci\]   BAR0 mem32 0x[0-9a-f]+ 128K' "PF BAR0 sized"
expect_line '^\[pci\]   caps: PM MSI MSI-X PCIe \| AER ARI SR-IOV' "PF capability lists"
expect_line '^\[pci\]   iommu: DRHD 0, group [0-9]+' "device mapped to its VT-d unit"
expect_line '^\[pci\] [0-9]+ functions in [0-9]+ isolation groups'
expect_line '^\[sriov\] VF BAR0 mem64 pref 0x[0-9a-f]{8}: 2 x 16K' "VF BAR0 below 4 GiB"
expect_line '^\[sriov\] VF BAR3 mem64 pref 0x[0-9a-f]{8}: 2 x 16K' "VF BAR3 below 4 GiB"
expect_line '^\[sriov\] 01:00\.0: 2 of 8 VFs enabled .*offset 0x80 stride 2, VF 8086:10ca, ARI on, waited 1[0-9][0-9] ms'
expect_line '^\[pci\] 0000:01:10\.0 8086:10ca class 0200 \(Ethernet\) igb VF' "VF0 at PF rid + 0x80"
expect_line '^\[pci\] 0000:01:10\.2 8086:10ca class 0200 \(Ethernet\) igb VF' "VF1 at stride 2"
expect_line '^\[test\] PASS SR-IOV VFs enabled: 2 of 2 wanted, VF0 at 0000:01:10\.0, VF1 at 0000:01:10\.2'
expect_line '^\[igb\] link up after'
expect_line '^\[igb\] PF 01:00\.0 up: MAC .*PFRSTD set'
expect_line '^\[test\] PASS igb VF BARs decode: 2 of 2 VFs'
# With VT-d up, the VF's DMA must go through the hypervisor's domain.
if clean_log | grep -q '^\[iommu\] Intel VT-d enabled'; then
	expect_line '^\[test\] PASS igb VF DMA domain: VT-d, hypervisor domain'
	expect_line '^\[igb\] VF 01:10\.0 \(rid 0x180\) attached to the hypervisor'"'"'s IOMMU domain'
else
	expect_line '^\[test\] PASS igb VF DMA domain: no IOMMU, untranslated'
fi
expect_line '^\[test\] PASS igb VF mailbox reset: err 0, reply 0x80000001, MAC'
expect_line '^\[igb\] mailbox interrupt: MSI-X vector 0 -> vector 0x[0-9a-f]+' "PF interrupt delivered"
expect_line '^\[test\] PASS igb PF mailbox served: 3 messages from the MSI-X interrupt'
expect_line '^\[test\] PASS igb VF MAC anti-spoofing: SET_MAC of a foreign MAC -> NACK'
expect_line '^\[igb\] warning: VF0: SET_MAC \(0x2\) refused: MAC spoofing' "refusal logged"
expect_line '^\[test\] PASS igb VF own MAC accepted'
expect_line '^\[test\] PASS igb VF ARP: 10\.0\.2\.2 is at 52:55:0a:00:02:02'
expect_line '^\[test\] PASS igb VF FLR re-arms'
expect_line '^\[e1000e\] 0000:00:[0-9a-f]{2}\.0: reset in [0-9]+ us, interrupts masked'
expect_line '^\[pci\] 0000:00:[0-9a-f]{2}\.0 8086:10d3 class 0200 \(Ethernet\) e1000e, assignable whole function'
expect_line '^\[test\] PASS e1000e reset'
expect_no_line '^\[test\] FAIL'
finish
