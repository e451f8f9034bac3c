#!/usr/bin/env bash
# Virtual PCI bus and MSI-X, wired (docs/vpci.md): a guest finds its VF
# through config space (type 1, checked against the virtual ECAM), sizes
# its BARs, programs three MSI-X vectors and receives its ARP reply by
# interrupt: IRTE (source-id verified) -> host vector on its CPU -> posted
# into its vCPU. A hostile guest beside it is refused at every step and the
# good guest is unaffected. Under eim=on (x2APIC destinations in the IRTEs)
# and eim=off (xAPIC 8-bit destinations, host in xAPIC mode).
source "$(dirname "$0")/lib.bash"

# The first line matching $1 comes before the first matching $2.
expect_order() {
	local a b
	a=$(clean_log | grep -En -- "$1" | head -1 | cut -d: -f1)
	b=$(clean_log | grep -En -- "$2" | head -1 | cut -d: -f1)
	[[ -n $a && -n $b && $a -lt $b ]] || fail "'$1' (line ${a:-none}) not before '$2' (line ${b:-none})"
}

check_run() {
	local what=$1
	expect_exit $EXIT_PASS "both guests ended as expected ($what)"
	expect_line '^\[vmm\] irq: 01:10\.0 is 00:01\.0 on its PCI bus \(8086:10ca\), 3 MSI-X vector\(s\) emulated'
	expect_line '^\[irq\] \| vfirq: ECAM at GPA 0xe0000000$' "boot info names the ECAM window"
	expect_line '^\[irq\] \| vfirq: pci 00:00\.0 8086:29c0 class 060000, ECAM agrees$' "host bridge by type 1"
	expect_line '^\[irq\] \| vfirq: pci 00:01\.0 8086:10ca class 020000, ECAM agrees$' "VF ids from the PF's SR-IOV capability"
	expect_line '^\[irq\] \| vfirq: VF at 00:01\.0, BAR0 at GPA 0xf0000000 \(16 KiB\)$' "BAR sizing"
	expect_line '^\[irq\] \| vfirq: MSI-X capability at 0x[0-9a-f]+, 3 vectors, table at GPA 0xf00[0-9a-f]+$'
	for e in 0 1 2; do
		expect_line "^\[vmm\] irq: 01:10\.0 MSI-X entry $e: guest vector 0x2[123] -> IRTE [0-9]+ remapped, host vector 0x[0-9a-f]+ on APIC 1\$" "entry $e remapped"
	done
	expect_line '^\[irq\] \| vfirq: 10\.0\.2\.2 is at 52:55:0a:00:02:02$' "ARP reply"
	expect_line '^\[irq\] \| vfirq: interrupts: [1-9][0-9]* RX, [0-9]+ TX, [0-9]+ mailbox; RX ring read only after an RX interrupt \(no polling\)$' "RX by interrupt"
	expect_line '^\[vmm\] irq: [0-9]+ exits .*; [1-9][0-9]* device irqs posted; ' "counted by the VMM"
	expect_line '^\[vmm\] irq exited with status 0$'
	expect_line '^\[vmm\] warning: attacker: dev 01 reg 0x10: BAR outside the MMIO window: GPA 0x80000000 refused, mapping unchanged$'
	expect_line '^\[attacker\] \| vfirq: hostile: BAR0 at 0x80000000 \(registers still at the old GPA\): refused$'
	expect_line '^\[vmm\] attacker: dev 01 BAR0 moved from GPA 0xf0000000 to 0xf0800000$' "a legal BAR move remaps the NPT"
	expect_line '^\[attacker\] \| vfirq: hostile: BAR0 moved to 0xf0800000 inside the window: STATUS 0x[0-9a-f]+ there$'
	expect_no_line '^\[attacker\] \| vfirq: hostile: .*STATUS 0xffffffff there'
	expect_line '^\[attacker\] \| vfirq: hostile: write to the hidden AER capability: refused$'
	expect_line '^\[vmm\] warning: attacker: dev 01 reg 0x[0-9a-f]+/2: denied write 0x80e0' "FLR/MPS write denied and logged"
	expect_line '^\[attacker\] \| vfirq: hostile: nonexistent function 1 of the VF: refused$'
	expect_line '^\[vmm\] warning: attacker: dev 01 MSI-X entry 0 refused: delivery mode is not fixed or lowest priority' "NMI entry"
	expect_line '^\[vmm\] warning: attacker: dev 01 MSI-X entry 1 refused: APIC id is not one of the guest'"'"'s' "foreign APIC id"
	expect_line '^\[vmm\] warning: attacker: dev 01 MSI-X entry 2 refused: reserved vector' "vector < 16"
	expect_line '^\[attacker\] \| vfirq: hostile: 1-byte MSI-X table read: refused$'
	expect_line '^\[attacker\] \| vfirq: hostile: NMI, foreign APIC id and vector 0x0f entries: refused$' "no interrupt reached it"
	expect_line '^\[attacker\] \| vfirq: hostile: every attack refused$'
	expect_line '^\[vmm\] attacker: [0-9]+ exits .*; [0-9]+ device irqs posted; '
	expect_line '^\[vmm\] attacker: 01:10\.2 MSI-X entry 0: guest vector 0x21 -> IRTE' "a valid entry after the refused ones"
	expect_line '^\[attacker\] \| vfirq: hostile: entry 0 live, BAR0 moved, now STATUS \(0x[0-9a-f]+\) at its old GPA 0xf0000000$'
	expect_line '^\[vmm\] attacker stopped \(as its test expects\): NPF read at GPA 0xf0000008 ' "the nested TLB was flushed with the move"
	expect_no_line 'STALE MAPPING'
	expect_line '^\[vmm\] attacker: 01:10\.2 MSI-X off: real entries masked, 1 IRTE\(s\) freed$' "stopped with a live entry"
	expect_line '^\[vmm\] irq: 01:10\.0 MSI-X off: real entries masked, 0 IRTE\(s\) freed$' "it turned MSI-X off itself before exiting"
	expect_order '01:10\.2 MSI-X off' '01:10\.2 taken back: detached and reset'
	expect_order '01:10\.0 MSI-X off' '01:10\.0 taken back: detached and reset'
	expect_line '^\[vmm\] irq: 01:10\.0 taken back: detached and reset'
	expect_no_line '^\[vtd\] warning: fault' "no DMA or interrupt-remapping fault"
}

boot eim "$ROOT/tests/configs/vpci_msix.cfg" --smp 3
check_run "eim=on, x2APIC"

boot eimoff "$ROOT/tests/configs/vpci_msix.cfg" --smp 3 --cpu max,-x2apic \
	--iommu intremap=on,eim=off,aw-bits=48
check_run "eim=off, xAPIC"
finish
