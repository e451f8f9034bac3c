#!/usr/bin/env bash
# TCP/IP guests over their VFs (lwIP, interrupt-driven: each guest finds its
# VF on its virtual PCI bus, takes MSI-X interrupts and sleeps in hlt
# between them, polling only as a fallback): web and client each get a
# DHCP lease from QEMU's user network; client pings the gateway, fetches
# web's status page and sends it 16 MiB whose CRC-32 both ends compare.
# Client-to-web frames never reach QEMU's user network (it does not
# forward between guests): the 82576 switches them from VF to VF (VMDq
# loopback, DTXSWC). Meanwhile the host drives web with third-party
# clients through QEMU port forwards on 127.0.0.1: curl fetches the status
# page and checks its fields, iperf 2 runs a 5 s TCP test against lwiperf.
# The data path costs few VM exits: the queue vector stays masked while a
# guest works through its ring (NAPI-like), so web's exits stay far below
# its packets. The status page's vm_exits is the VMM's own count (boot
# info, ABI 5): non-zero and growing between two fetches.
source "$(dirname "$0")/lib.bash"

HTTP_PORT=${LWIP_HTTP_PORT:-18080}
IPERF_PORT=${LWIP_IPERF_PORT:-15001}
"$ROOT/tools/install-deps.sh" >/dev/null || { fail "tools/install-deps.sh failed"; finish; }
for p in "$HTTP_PORT" "$IPERF_PORT"; do
	if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
		fail "127.0.0.1:$p is already in use; set LWIP_HTTP_PORT/LWIP_IPERF_PORT"
		finish
	fi
done

# wait_log REGEX SECONDS: until the serial log has a matching line.
wait_log() {
	local i
	for ((i = 0; i < $2 * 2; i++)); do
		clean_log | grep -Eq -- "$1" && return 0
		kill -0 "$qpid" 2>/dev/null || return 1
		sleep 0.5
	done
	return 1
}

LOG=$LOGDIR/$TEST_NAME-pair.log
: >"$LOG"
"$ROOT/tools/qemu-run.sh" --config "$ROOT/tests/configs/lwip_pair.cfg" \
	--smp 3 --timeout "$BOOT_TIMEOUT" --raw-status --log "$LOG" \
	--demo "$HTTP_PORT:$IPERF_PORT" </dev/null >"$LOG.qemu" 2>&1 &
qpid=$!

page=$LOGDIR/$TEST_NAME-status.html
page2=$LOGDIR/$TEST_NAME-status2.html
iperf_out=$LOGDIR/$TEST_NAME-iperf.txt
: >"$page"; : >"$page2"; : >"$iperf_out"
if wait_log '^\[web\] \| web: serving on ' 90; then
	curl -sS --max-time 20 -o "$page" "http://127.0.0.1:$HTTP_PORT/status" ||
		fail "curl http://127.0.0.1:$HTTP_PORT/status failed"
	timeout 30 iperf -c 127.0.0.1 -p "$IPERF_PORT" -t 5 -f k >"$iperf_out" 2>&1 ||
		fail "iperf -c 127.0.0.1 -p $IPERF_PORT failed: $(tail -n 3 "$iperf_out")"
	curl -sS --max-time 20 -o "$page2" "http://127.0.0.1:$HTTP_PORT/status" ||
		fail "second curl http://127.0.0.1:$HTTP_PORT/status failed"
else
	fail "web never said it was serving"
fi
wait "$qpid"
STATUS=$?

expect_exit $EXIT_PASS "both guests ended as expected"
expect_line '^\[web\] \| vfnet: VF 01:10\.0 MAC 52:54:00:[0-9a-f:]+, clock TSC, found at 00:[0-9a-f]{2}\.0 on the virtual PCI bus' "VF found by PCI, time from the TSC"
for g in web client; do
	expect_line "^\[$g\] \| vfnet: MSI-X: queue 0 RX\+TX on vector 33 \(EITR 50 us\), mailbox on vector 34; test interrupt arrived" "$g: MSI-X delivery proven"
	expect_line "^\[$g\] \| $g: irqs [1-9][0-9]* \(queue [1-9][0-9]*, mailbox [0-9]+\), MSI-X;" "$g took VF interrupts"
done
expect_no_line 'POLLING instead of interrupts' "no guest fell back to polling"
expect_line '^\[web\] \| vfnet: DHCP lease 10\.0\.2\.15 mask 255\.255\.255\.0 gateway 10\.0\.2\.2' "web's lease"
expect_line '^\[client\] \| vfnet: DHCP lease 10\.0\.2\.16 mask 255\.255\.255\.0 gateway 10\.0\.2\.2' "client's lease"
expect_line '^\[client\] \| client: ping 10\.0\.2\.2: [1-5]/5 replies' "client pings the gateway"
expect_line '^\[client\] \| client: found web at 10\.0\.2\.15: HTTP [0-9]+ bytes, "HTTP/1\.0 200 OK"' "page over VF-to-VF"
expect_line '^\[client\] \| client: sent 16777216 bytes to 10\.0\.2\.15 in [0-9]+ ms' "16 MiB to web"
expect_line '^\[client\] \| client: sink: checksum match' "CRC-32 equal on both ends"
crc=$(clean_log | sed -n 's/^\[client\] | client: sent .*crc32 \([0-9a-f]*\)$/\1/p')
expect_line "^\[web\] \| web: sink: received 16777216 bytes, crc32 ${crc:-none}\$" "web's own CRC-32"
expect_line '^\[vmm\] client exited with status 0$'
expect_line '^\[vmm\] web exited with status 0$'
expect_no_line '^\[vtd\] warning: fault' "no DMA fault"

# The host's clients, through 127.0.0.1 only.
grep -q '^guest: web$' "$page" || fail "status page: no 'guest: web' ($(head -c 200 "$page"))"
grep -q '^vf: 01:10\.0$' "$page" || fail "status page: no 'vf: 01:10.0'"
grep -Eq '^mac: 52:54:00(:[0-9a-f]{2}){3}$' "$page" || fail "status page: no MAC"
grep -q '^ip: 10\.0\.2\.15 (DHCP)$' "$page" || fail "status page: no 'ip: 10.0.2.15 (DHCP)'"
grep -Eq '^rx_packets: [1-9][0-9]*$' "$page" || fail "status page: no rx_packets"
grep -Eq '^interrupts: [1-9][0-9]* \(MSI-X: queue [1-9][0-9]*, mailbox [0-9]+\)$' "$page" ||
	fail "status page: no interrupts > 0 by MSI-X ($(grep '^interrupts' "$page"))"
# vm_exits: the VMM's count, plausible: non-zero, above the hypercalls it
# includes, and growing between the two fetches (iperf ran in between).
exits_of() { sed -n 's/^vm_exits: \([0-9]*\) (counted by the VMM; \([0-9]*\) of them hypercalls)$/\1 \2/p' "$1"; }
read -r ex1 hc1 <<<"$(exits_of "$page")"
read -r ex2 _ <<<"$(exits_of "$page2")"
if [ -z "$ex1" ] || [ -z "$ex2" ] || [ "$ex1" -le "${hc1:-0}" ] || [ "$ex2" -le "$ex1" ]; then
	fail "status page vm_exits not plausible: first '${ex1:-?}' (hypercalls '${hc1:-?}'), second '${ex2:-?}'"
else
	echo "[$TEST_NAME] status page: vm_exits $ex1, then $ex2 after iperf"
fi
grep -Eq '^http_requests: [1-9]' "$page" || fail "status page: no http_requests"
grep -Eq '[0-9.]+ [KM]?bits/sec' "$iperf_out" || fail "iperf printed no bandwidth: $(tail -n 3 "$iperf_out")"
expect_line '^\[web\] \| web: iperf: [0-9]+ bytes in [0-9]+ ms from 10\.0\.2\.2: [0-9]+ kbit/s' "lwiperf's report"

# Far fewer exits than packets: interrupts (their delivery, EOI, the hlt
# they end) and the one-shot timer are the exits; under load the guest
# polls with its queue vector masked.
exits=$(clean_log | sed -n 's/^\[vmm\] web: \([0-9]*\) exits in .*/\1/p')
pkts=$(clean_log | sed -n 's/^\[web\] | web: ip .* rx \([0-9]*\) frames .* tx \([0-9]*\) frames .*/\1 \2/p' | tail -n1 | awk '{print $1 + $2}')
if [ -z "$exits" ] || [ -z "$pkts" ] || [ "$pkts" -lt 10000 ]; then
	fail "web: exits '${exits:-?}', packets '${pkts:-?}' (expected > 10000 packets)"
elif [ $((exits * 1000 / pkts)) -gt 250 ]; then
	fail "web: $exits exits for $pkts packets: more than 250 per 1000"
else
	echo "[$TEST_NAME] web: $exits VM exits for $pkts packets"
fi
finish
