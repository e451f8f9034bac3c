#!/usr/bin/env bash
# The Debian Linux guest drives igb VF 1 with Linux's own igbvf driver
# (tests/configs/linux.cfg, docs/linux-guest.md): its PCI config space,
# BARs and 3 MSI-X vectors come from the VMM's virtual PCI, the PF answers
# its reset handshake with the VF's MAC; /init gets a DHCP lease from
# QEMU's user net, pings 10.0.2.2 and powers off. The lwIP web guest runs
# beside it on VF 0 and exits normally.
BOOT_TIMEOUT=${BOOT_TIMEOUT:-170}
source "$(dirname "$0")/lib.bash"

need_linux_guest

boot smp3 "$ROOT/tests/configs/linux.cfg" --smp 3
expect_exit $EXIT_PASS "Linux powered off after its network test, web exited 0"
expect_line '^\[igb\] VF1: RESET -> ACK'
expect_no_line 'PF still in reset state' "the reset handshake gives igbvf its MAC"
expect_no_line '^\[vmm\] warning: linux: dev 01 MSI-X entry [0-9] refused' "Linux's MSI-X entries are accepted"
expect_line '^\[linux\] \| linux-guest: igbvf loaded$'
expect_line '^\[linux\] \| linux-guest: dhcp ok$' "a lease through the VF"
expect_line '^\[linux\] \| linux-guest: PASS ping 10\.0\.2\.2$' "ping through the VF"
expect_line '^\[vmm\] linux exited with status 0$'
expect_line '^\[vmm\] web exited with status 0$'
expect_no_line '^\[(hv|vmm|test)\].*PANIC'
finish
