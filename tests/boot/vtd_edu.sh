#!/usr/bin/env bash
# VT-d with QEMU's edu device as the DMA master (default intel-iommu options:
# intremap=on, eim=on, aw-bits=48): the unit's capabilities in words,
# translation and interrupt remapping enabled, then the DMA self-tests
# (vmm/selftest_dma.c): mapped DMA both ways, blocked DMA reported with
# edu's source id, address and reason and the page unchanged, unmap, MSI
# through an IRTE, the IRTE re-targeted in place at cpu1, MSI blocked by
# source-id verification. That the self-tests skip cleanly without edu
# is checked on boot_smoke.sh's boot (the same machine without edu).
source "$(dirname "$0")/lib.bash"

boot edu "$ROOT/tests/configs/test.cfg" -- -device edu
expect_exit $EXIT_PASS "self-tests pass"
expect_line '^\[vtd\] unit 0 at 0xfed90000: ver [0-9]+\.[0-9]+, 48-bit MGAW, SAGAW 39/48-bit, 4K\+2M\+1G pages, 65536 domains, QI, IR, EIM, PT, .*fault record.*coherent=no, CM=0' "capabilities in words"
expect_line '^\[vtd\] hypervisor domain 1: [0-9]+ RAM spans, [0-9]+ MiB identity-mapped'
expect_line '^\[vtd\] unit 0: fault events on vector 0x[0-9a-f]+ to APIC id 0'
expect_line '^\[vtd\] unit 0: interrupt remapping enabled: .*x2APIC \(EIM\) destinations, compatibility format disallowed \(CFI clear\)'
expect_line '^\[vtd\] unit 0: translation enabled: root table 0x[0-9a-f]+, 4-level tables, queued invalidation'
expect_line '^\[iommu\] Intel VT-d enabled'
expect_line '^\[edu\] 00:03\.0: edu version'
expect_line '^\[test\] PASS VT-d DMA through a mapped IOVA: 4096 bytes .* data intact, 0 fault'
expect_line '^\[vtd\] warning: fault: unit 0 00:03\.0 write 0x[0-9a-f]+ reason 0x5 \(write to a page without write permission\), domain edu-test'
expect_line '^\[test\] PASS VT-d blocks DMA write to unmapped: .* fault reported from 00:03\.0 .* reason 0x5 .*checksum (0x[0-9a-f]+) -> \1$'
expect_line '^\[test\] PASS VT-d blocks DMA read from unmapped: .* reason 0x6 '
expect_line '^\[test\] PASS VT-d unmap takes effect'
expect_line '^\[test\] PASS VT-d remapped MSI: .* 1 interrupt\(s\) in [0-9]+ us, 0 fault'
expect_line '^\[test\] PASS VT-d MSI re-targeted: IRTE [0-9]+ updated in place to APIC id 1: ok, 1 interrupt\(s\), taken on APIC id 1'
expect_line '^\[vtd\] warning: fault: unit 0 00:03\.0 interrupt index [0-9]+ reason 0x26 \(interrupt source-id verification failed\)'
expect_line '^\[test\] PASS VT-d MSI source-id verification: .* 0 interrupt\(s\), fault reported from 00:03\.0 reason 0x26'
expect_count '^\[test\] PASS VT-d' 7
expect_line '^\[test\] PASS IOMMU domain teardown: edu attached twice, detached once, domain destroyed: ok' "a repeated attach counts once"
expect_no_line 'not destroyed'
expect_line '^\[ioapic\] IOAPIC id 0 at 0xfec00000: GSI 0-23, all 24 pins masked'
expect_line '^\[test\] PASS IOAPIC pin through an IRTE: ISA IRQ0 -> GSI 2, RTE 0x[0-9a-f]*1[0-9a-f]{12} \(remappable\)'
expect_no_line '^\[test\] FAIL'
finish
