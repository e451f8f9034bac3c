#!/usr/bin/env bash
# Benchmarks that print figures (make bench). Under TCG wall-clock time is
# noise, so the figures are counts the hypervisor takes itself: VM exits
# per guest, per hypercall, per timer interrupt. Times are printed for
# information only. Nothing here passes or fails on a number.
set -uo pipefail
cd "$(dirname "$0")/.."
out=build/bench
mkdir -p "$out"

strip_log() { tr -d '\r' <"$1" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g'; }

guest_exits() {
	local log=$out/guests.log
	tools/qemu-run.sh --config tests/bench/guests.cfg --smp 3 --timeout 180 \
		--raw-status --log "$log" >/dev/null 2>&1
	echo "== VM exits per guest (SVM backend, QEMU TCG, tests/bench/guests.cfg)"
	printf '%-8s %7s %9s %5s %5s %5s %9s %12s\n' guest exits hypercall hlt io msr "timer irq" "exits/tick"
	strip_log "$log" | sed -n 's/^\[vmm\] \([a-z0-9_-]*\): \([0-9]*\) exits in [0-9]* ms: \([0-9]*\) hypercall, \([0-9]*\) hlt, \([0-9]*\) io, \([0-9]*\) msr, [0-9]* cpuid, [0-9]* intr; \([0-9]*\) timer irqs raised, \([0-9]*\) taken.*/\1 \2 \3 \4 \5 \6 \8/p' |
	while read -r name exits hc hlt io msr ticks; do
		per="-"
		[ "$ticks" -gt 0 ] && per=$(awk -v e="$exits" -v h="$hc" -v t="$ticks" 'BEGIN { printf "%.2f", (e - h) / t }')
		printf '%-8s %7s %9s %5s %5s %5s %9s %12s\n' "$name" "$exits" "$hc" "$hlt" "$io" "$msr" "$ticks" "$per"
	done
	echo "(exits/tick: exits other than hypercalls per timer interrupt taken)"
}

vf_arp() {
	local log=$out/vf.log
	tools/qemu-run.sh --config tests/configs/test.cfg --timeout 180 \
		--raw-status --log "$log" >/dev/null 2>&1
	echo "== igb VF self-test (QEMU TCG, user-net gateway; times are noisy)"
	strip_log "$log" | grep -E '\[test\] PASS igb VF ARP|\[vtd\] unit 0: translation enabled|\[sriov\] .*VFs enabled' |
		sed 's/^/  /'
}

guest_exits
vf_arp
