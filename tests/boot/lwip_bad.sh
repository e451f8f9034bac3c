#!/usr/bin/env bash
# Bad input for the lwIP guests. (1) web's pbuf pool is exhausted for 8 s:
# frames arriving meanwhile are dropped and counted, nothing hangs, and
# client (whose ARP and HTTP requests were among the dropped) still finds
# web afterwards. client then sends web frames it does not expect (an
# unknown ethertype, IPv4 with a bad header checksum, truncated IPv4):
# web drops and counts each kind and still serves; a 1 MiB transfer still
# matches. (2) No DHCP server answers (igb on a QEMU hub with nothing
# else on it): web says so and takes the static ip= of its command line;
# client, without one, says so and exits 3. client runs there with irq=0:
# the polling fallback says so once and still works; everywhere else both
# guests take MSI-X interrupts and never poll.
source "$(dirname "$0")/lib.bash"

boot bad "$ROOT/tests/configs/lwip_bad.cfg" --smp 3
expect_exit $EXIT_PASS "both guests ended as expected"
expect_line '^\[web\] \| web: holding all [0-9]+ pool pbufs for 8000 ms'
expect_line '^\[web\] \| web: released the pool: [1-9][0-9]* frames dropped \(no pbuf\) meanwhile' "drops counted"
expect_line '^\[client\] \| client: found web at 10\.0\.2\.15' "web serves after the pool came back"
expect_line '^\[client\] \| client: sent web 150 unexpected frames \(50 each: ethertype 0x88b5, bad IP checksum, truncated IP\)'
# Each kind dropped and counted by web's lwIP: at least 40 of the 50 (a
# frame that finds web's receive ring full is dropped by the NIC, where
# web cannot count it; client paces them so that stays rare).
drops=$(clean_log | sed -n 's/^\[client\] | client: web still serves; its page says "lwip_dropped: ethertype \([0-9]*\) ip [0-9]* (checksum \([0-9]*\), length \([0-9]*\)).*/\1 \2 \3/p')
read -r d_type d_sum d_len <<<"${drops:-0 0 0}"
if [ "$d_type" -lt 40 ] || [ "$d_sum" -lt 40 ] || [ "$d_len" -lt 40 ]; then
	fail "web counted ethertype $d_type, checksum $d_sum, length $d_len drops; expected >= 40 of each"
fi
expect_line '^\[client\] \| client: sink: checksum match' "traffic still intact"
expect_line '^\[vmm\] web exited with status 0$'
expect_line '^\[vmm\] client exited with status 0$'
for g in web client; do
	expect_line "^\[$g\] \| $g: irqs [1-9][0-9]* \(queue [1-9][0-9]*, mailbox [0-9]+\), MSI-X;" "$g took VF interrupts"
done
expect_no_line 'POLLING instead of interrupts' "no guest fell back to polling"

boot nodhcp "$ROOT/tests/configs/lwip_nodhcp.cfg" --smp 3 --no-igb -- \
	-device pcie-root-port,id=rp1,bus=pcie.0,chassis=1,slot=1 \
	-device igb,netdev=n0,bus=rp1 -netdev hubport,id=n0,hubid=0
expect_exit $EXIT_PASS "both guests ended as expected"
expect_line '^\[web\] \| vfnet: DHCP: no answer in 3000 ms'
expect_line '^\[web\] \| vfnet: no DHCP lease: static address 10\.0\.2\.15 from the command line'
expect_line '^\[web\] \| web: serving on 10\.0\.2\.15'
expect_line '^\[client\] \| vfnet: DHCP: no answer in 3000 ms'
expect_line '^\[client\] \| vfnet: no DHCP lease and no ip= on the command line: no address'
expect_line '^\[vmm\] client exited with status 3$'
expect_line '^\[vmm\] web exited with status 0$'
expect_line '^\[client\] \| vfnet: irq=0 on the command line: POLLING instead of interrupts$' "client's fallback, said once"
n=$(clean_log | grep -c 'POLLING instead of interrupts')
[ "$n" = 1 ] || fail "the polling fallback was reported $n times, expected once (client only)"
expect_line '^\[web\] \| web: irqs [1-9][0-9]* \(queue [0-9]+, mailbox [1-9][0-9]*\), MSI-X;' "web took interrupts"
finish
