#!/usr/bin/env bash
# A hostile guest cannot hurt its neighbour through the shared igb PF
# (issue 8, defect 7 and the device part of the attack suite). The
# attacker on VF0 (guests/mbxattack.elf) resets its own VF thousands of
# times, floods the PF mailbox with garbage, malformed requests and
# requests it never waits for, holds the mailbox, then asks for the
# neighbour's, a broadcast and a multicast MAC, too many multicast hashes,
# out-of-range and too many VLANs, a huge frame. The victim on VF1
# (guests/net.elf) meanwhile resets its VF, takes its MAC from the PF and
# resolves 10.0.2.2 by ARP. Both end with status 0: every abuse refused
# with a CTS'd NACK (not for a lost handshake), the PF still answering.
# The PF logs each refusal in words with the VF number, rate-limited.
# RUNS=N repeats the boot (the defect was intermittent).
source "$(dirname "$0")/lib.bash"

for run in $(seq 1 "${RUNS:-1}"); do
boot run$run "$ROOT/tests/configs/vmm_vf_attack.cfg" --smp 3
expect_exit $EXIT_PASS "both guests ended as expected"
expect_line '^\[attacker\] \| mbxattack: flood done: [1-9][0-9]* VF resets'
expect_line '^\[igb\] VF0: reset event \(VFLRE\)'
expect_line '^\[igb\] warning: VF0: mailbox flood: 64 requests in under 1000 ms'
expect_line '^\[igb\] warning: VF0: rate limit: [0-9]+ log line\(s\) suppressed'
expect_line '^\[igb\] warning: VF0: SET_MAC \(0x2\) refused: MAC spoofing: asked for ([0-9a-f]{2}:){5}[0-9a-f]{2}, owns'
expect_line '^\[igb\] warning: VF0: SET_MAC \(0x2\) refused: MAC spoofing: group \(multicast/broadcast\) address ff:ff:ff:ff:ff:ff'
expect_line '^\[igb\] warning: VF0: SET_MAC \(0x2\) refused: MAC spoofing: group \(multicast/broadcast\) address 01:00:5e:00:00:01'
expect_line '^\[igb\] warning: VF0: SET_MULTICAST \(0x3\) refused: more than 30 multicast hashes'
expect_line '^\[igb\] warning: VF0: SET_VLAN \(0x4\) refused: VLAN ID above 4095'
expect_line '^\[igb\] warning: VF0: SET_VLAN \(0x4\) refused: VLAN table full'
expect_line '^\[igb\] warning: VF0: SET_LPE \(0x5\) refused: frame size out of range'
expect_line '^\[igb\] warning: VF0: unknown \(0x77\) refused: unknown message type'
expect_line '^\[igb\] warning: VF0: SET_LPE \(0x5\) refused: ACK/NACK bit in a request'
expect_line '^\[attacker\] \| mbxattack: the PF still answers'
expect_line '^\[attacker\] \| mbxattack: 0 check\(s\) failed$'
expect_no_line '^\[attacker\] \| mbxattack: FAIL'
expect_no_line '^\[igb\] warning: VF1: .*refused' "nothing of the victim's is refused"
expect_line '^\[igb\] VF1: RESET -> ACK'
expect_line '^\[victim\] \| net: MAC 52:54:00:[0-9a-f:]+ from the PF'
expect_line '^\[victim\] \| net: 10\.0\.2\.2 is at 52:55:0a:00:02:02'
expect_line '^\[vmm\] victim exited with status 0$'
expect_line '^\[vmm\] attacker exited with status 0$'
expect_line '^\[vmm\] 2 of 2 guest\(s\) started, all stopped; verdict pass'
done
finish
