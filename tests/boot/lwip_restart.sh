#!/usr/bin/env bash
# Guest restart (config: restart = N). (1) client, with restart = 1, runs
# twice on the same VF: after the first run the VMM masks its MSI-X
# entries, frees their IRTEs, resets and detaches the VF and frees its
# memory; the second run is a fresh setup (image, memory, VF assigned
# again) and its network works again: DHCP, ping, web found, 1 MiB to
# web's sink with matching CRC-32, VF interrupts taken. web, not
# restarted, serves both runs. (2) A guest that crashes on every run is
# restarted only restart = 2 times, and all guest memory comes back.
source "$(dirname "$0")/lib.bash"

# count REGEX: how many lines of the log match.
count() { clean_log | grep -Ec -- "$1"; }
# expect_count N REGEX DESCRIPTION
expect_count() {
	local n
	n=$(count "$2")
	[ "$n" = "$1" ] || fail "$3: $n line(s) matching '$2', expected $1"
}

boot pair "$ROOT/tests/configs/lwip_restart.cfg" --smp 3
expect_exit $EXIT_PASS "web and both client runs ended as expected"
expect_count 2 '^\[client\] \| vfnet: MSI-X: queue 0 RX\+TX on vector 33 \(EITR 50 us\), mailbox on vector 34; test interrupt arrived' "client's MSI-X works in both runs"
expect_count 2 '^\[client\] \| vfnet: DHCP lease 10\.0\.2\.16 ' "a DHCP lease in both runs"
expect_count 2 '^\[client\] \| client: ping 10\.0\.2\.2: [1-5]/5 replies' "ping in both runs"
expect_count 2 '^\[client\] \| client: found web at 10\.0\.2\.15: HTTP [0-9]+ bytes, "HTTP/1\.0 200 OK"' "the page in both runs"
expect_count 2 '^\[client\] \| client: sink: checksum match' "1 MiB to web in both runs"
expect_count 2 '^\[web\] \| web: sink: received 1048576 bytes' "web served both runs"
# client prints its counters after DHCP and at the end: twice a run.
expect_count 4 '^\[client\] \| client: irqs [1-9][0-9]* \(queue [1-9][0-9]*, mailbox [0-9]+\), MSI-X; ' "client took VF interrupts in both runs"
expect_count 2 '^\[vmm\] client exited with status 0$' "client ran exactly twice"
expect_count 1 '^\[vmm\] client: restart ' "one restart"
expect_line '^\[vmm\] client: restart 1 of 1 \(it exited with status 0\)$'
expect_count 2 '^\[vmm\] client: 01:10\.2 MSI-X off: real entries masked, 2 IRTE\(s\) freed' "client's entries masked and IRTEs freed after each run"
expect_count 2 '^\[vmm\] client: 01:10\.2 taken back: detached and reset' "VF reset and detached after each run"
expect_count 2 '^\[vmm\] client: vf 1 \(01:10\.2\) assigned' "VF assigned for each run"
expect_count 2 '^\[test\] PASS client: exit status 0, expected 0' "each run judged"
expect_count 0 '^\[vmm\] web: restart' "web not restarted"
expect_line '^\[vmm\] web exited with status 0$'
expect_no_line 'POLLING instead of interrupts' "no guest fell back to polling"
expect_no_line '^\[vtd\] warning: fault' "no DMA fault"
expect_no_line '^\[test\] FAIL'

boot loop "$ROOT/tests/configs/vmm_restart_loop.cfg" --smp 3
expect_exit $EXIT_PASS "bad stopped on every run as expected, ticker exited 0"
expect_count 3 '^\[vmm\] bad stopped \(as its test expects\): NPF write at GPA 0x601000' "bad ran three times"
expect_line '^\[vmm\] bad: restart 1 of 2 \(it was stopped: NPF write'
expect_line '^\[vmm\] bad: restart 2 of 2 \(it was stopped: NPF write'
expect_no_line '^\[vmm\] bad: restart 3' "no third restart"
expect_count 3 '^\[test\] PASS bad: expected to be stopped' "each run judged"
expect_count 0 '^\[vmm\] ticker: restart' "ticker not restarted"
expect_line '^\[vmm\] ticker exited with status 0$'
expect_line '^\[test\] PASS vmm: guest memory returned' "memory of every run came back"
expect_no_line '^\[test\] FAIL'
finish
