#!/usr/bin/env bash
# `make run`, the README's first command, as a user runs it (with
# RUN_TIMEOUT so it ends): the default config boots the self-tests, then
# web and client on their VFs; client finishes its steps and exits 0; web
# has no time limit (timeout=none) and is still serving after the VMM's
# default 60 s limit, which curl sees on its status page through the
# 127.0.0.1 forward; the run ends at RUN_TIMEOUT with status 0. Both
# guests take their VF's MSI-X interrupts (no polling fallback), and the
# page's vm_exits (the VMM's count) grows from one fetch to the next.
source "$(dirname "$0")/lib.bash"

HTTP_PORT=${RUN_TEST_HTTP_PORT:-18081}
IPERF_PORT=${RUN_TEST_IPERF_PORT:-15081}
# ~10 s to web's start (firmware, self-tests), 65 s of its uptime, the
# rest margin for a loaded machine.
RUN_S=90
LOG=$LOGDIR/$TEST_NAME.log
page=$LOGDIR/$TEST_NAME-status.html
: >"$LOG"; : >"$page"

make -s -C "$ROOT" run RUN_TIMEOUT=$RUN_S RUN_HTTP_PORT=$HTTP_PORT \
	RUN_IPERF_PORT=$IPERF_PORT </dev/null >"$LOG" 2>"$LOG.qemu" &
mpid=$!

uptime_ms=0
first_exits=
for ((i = 0; i < RUN_S * 2; i++)); do
	kill -0 "$mpid" 2>/dev/null || break
	if clean_log | grep -q '^\[web\] | web: serving on'; then
		curl -sS --max-time 10 -o "$page" "http://127.0.0.1:$HTTP_PORT/status" 2>/dev/null
		uptime_ms=$(sed -n 's/^uptime_ms: \([0-9]*\)$/\1/p' "$page")
		exits=$(sed -n 's/^vm_exits: \([0-9]*\) (counted by the VMM.*/\1/p' "$page")
		[ -z "$first_exits" ] && first_exits=$exits
		[ "${uptime_ms:-0}" -gt 65000 ] && break
		sleep 5
	else
		sleep 0.5
	fi
done
wait "$mpid"
STATUS=$?

[ "$STATUS" = 0 ] || fail "make run exited with $STATUS"
grep -q "hv demo: the hypervisor boots in QEMU" "$LOG.qemu" || fail "no banner"
grep -q "curl http://127.0.0.1:$HTTP_PORT/status" "$LOG.qemu" || fail "the banner does not name the curl line"
grep -q "qemu-run: demo ended after ${RUN_S}s (RUN_TIMEOUT)" "$LOG.qemu" || fail "did not end at RUN_TIMEOUT"
expect_line '^\[test\] PASS ' "the boot self-tests ran"
expect_line '^\[client\] \| client: sink: checksum match' "client's steps"
expect_line '^\[vmm\] client exited with status 0$'
expect_no_line '^\[vmm\] web stopped' "web has no time limit"
[ "${uptime_ms:-0}" -gt 65000 ] ||
	fail "web's status page said uptime_ms ${uptime_ms:-none}, expected past the 60 s default limit"
grep -q '^guest: web$' "$page" || fail "status page without 'guest: web'"
grep -Eq '^interrupts: [1-9][0-9]* \(MSI-X: queue [1-9][0-9]*, mailbox [0-9]+\)$' "$page" ||
	fail "status page: no interrupts > 0 by MSI-X ($(grep '^interrupts' "$page"))"
if [ -z "$first_exits" ] || [ -z "$exits" ] || [ "$first_exits" -le 0 ] ||
	[ "$exits" -le "$first_exits" ]; then
	fail "status page vm_exits not plausible: first fetch '${first_exits:-?}', last '${exits:-?}'"
else
	echo "[$TEST_NAME] status page: vm_exits $first_exits at the first fetch, $exits at the last"
fi
expect_line '^\[client\] \| client: irqs [1-9][0-9]* \(queue [1-9][0-9]*, mailbox [0-9]+\), MSI-X;' "client took VF interrupts"
expect_no_line 'POLLING instead of interrupts' "no guest fell back to polling"
finish
