#!/usr/bin/env bash
# Benchmarks that print figures (make bench). Under TCG wall-clock time is
# noise, so the figures are counts the hypervisor takes itself: VM exits
# per guest, per hypercall, per timer interrupt. Times are printed for
# information only. Nothing here passes or fails on a number.
set -uo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tools/linux-initramfs.sh
source tools/linux-initramfs.sh	# the Linux figures' iperf side
out=build/bench
mkdir -p "$out"

strip_log() { tr -d '\r' <"$1" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g'; }

guest_exits() {
	local log=$out/guests.log
	tools/qemu-run.sh --config tests/bench/guests.cfg --smp 3 --timeout 180 \
		--raw-status --log "$log" >/dev/null 2>&1
	echo "== VM exits per guest (SVM backend, QEMU TCG, tests/bench/guests.cfg)"
	printf '%-8s %7s %9s %5s %5s %5s %9s %12s\n' guest exits hypercall hlt io msr "timer irq" "exits/tick"
	strip_log "$log" | sed -n 's/^\[vmm\] \([a-z0-9_-]*\): \([0-9]*\) exits in [0-9]* ms: \([0-9]*\) hypercall, \([0-9]*\) hlt, \([0-9]*\) io, \([0-9]*\) msr, [0-9]* cpuid, [0-9]* intr; [0-9]* device irqs posted; \([0-9]*\) timer irqs raised, \([0-9]*\) taken.*/\1 \2 \3 \4 \5 \6 \8/p' |
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

# The lwIP guests (tests/configs/lwip_pair.cfg): client -> web over the
# VF-to-VF switch, host -> web with iperf 2 through a 127.0.0.1 forward,
# ping RTT to the gateway, and what each packet costs in exits.
net_figures() {
	local log=$out/net.log iperf_out=$out/net-iperf.txt qpid i
	local http_port=${BENCH_HTTP_PORT:-18090} iperf_port=${BENCH_IPERF_PORT:-15090}

	command -v iperf >/dev/null || { echo "== network: iperf missing (make deps)"; return; }
	: >"$log"
	tools/qemu-run.sh --config tests/configs/lwip_pair.cfg --smp 3 --timeout 180 \
		--raw-status --log "$log" --demo "$http_port:$iperf_port" \
		</dev/null >/dev/null 2>&1 &
	qpid=$!
	for ((i = 0; i < 180; i++)); do
		strip_log "$log" | grep -q 'web: serving on' && break
		kill -0 "$qpid" 2>/dev/null || break
		sleep 0.5
	done
	timeout 30 iperf -c 127.0.0.1 -p "$iperf_port" -t 5 -f k >"$iperf_out" 2>&1
	wait "$qpid"
	echo "== lwIP guests on igb VFs, MSI-X interrupts (QEMU TCG; throughput and RTT are noisy)"
	strip_log "$log" | sed -n 's/^\[client\] | client: sent \([0-9]*\) bytes to .* in \([0-9]*\) ms: \([0-9]*\) kbit\/s.*/  TCP client -> web (VF to VF): \1 bytes in \2 ms, \3 kbit\/s/p'
	sed -n 's/.* \([0-9.]* [KM]*bits\/sec\).*/  TCP host -> web (iperf 2, 5 s): \1/p' "$iperf_out" | tail -n1
	strip_log "$log" | sed -n 's/^\[client\] | client: ping 10.0.2.2: \(.*\)/  ping 10.0.2.2 from client: \1/p'
	printf '  %-7s %8s %6s %6s %11s %11s %12s\n' guest packets exits "intr" "exits/1000" "intr/1000" "VF irqs/1000"
	for g in web client; do
		local pk ex intr irqs
		pk=$(strip_log "$log" | sed -n "s/^\[$g\] | $g: ip .* rx \([0-9]*\) frames .* tx \([0-9]*\) frames .*/\1 \2/p" | tail -n1)
		pk="$pk $(strip_log "$log" | sed -n "s/^\[$g\] | $g: irqs \([0-9]*\) (.*/\1/p" | tail -n1)"
		ex=$(strip_log "$log" | sed -n "s/^\[vmm\] $g: \([0-9]*\) exits in .* \([0-9]*\) intr;.*/\1 \2/p")
		[ "$(wc -w <<<"$pk")" = 3 ] && [ -n "$ex" ] || { echo "  $g: no figures (see $log)"; continue; }
		set -- $pk $ex
		awk -v g="$g" -v rx="$1" -v tx="$2" -v irqs="$3" -v ex="$4" -v intr="$5" 'BEGIN {
			p = rx + tx; if (p == 0) p = 1
			printf "  %-7s %8d %6d %6d %11.3f %11.3f %12.3f\n", g, rx + tx, ex, intr,
				ex * 1000 / p, intr * 1000 / p, irqs * 1000 / p }'
	done
	echo "  (exits: all of the guest's VM exits, the VMM's count; intr: those for host"
	echo "   interrupts; VF irqs: MSI-X interrupts the guest took from its VF, queue"
	echo "   and mailbox; the queue vector stays masked while the guest has work)"
	strip_log "$log" | grep -q 'POLLING instead of interrupts' &&
		echo "  WARNING: a guest fell back to polling: $(strip_log "$log" | grep -m1 'POLLING instead')"
}

# Issue 11's comparison: the Debian kernel on the bare emulated machine
# (Linux owns the PF and uses a VF, tools/linux-bare.sh) against the same
# kernel as this hypervisor's guest with the VF assigned. Downloads the
# pinned kernel once (~107 MB).
# The guest half: tests/bench/linux.cfg, the same /init measurement.
linux_guest_run() {
	local log=$1 iperf_out=$1.iperf port=${BENCH_LINUX_PORT:-15092} cfg=$out/linux-bench.cfg tput
	sed "s/BENCH_PORT/$port/" tests/bench/linux.cfg >"$cfg"
	tools/fetch-linux.sh >/dev/null || { echo "linux-guest: FAIL tools/fetch-linux.sh"; return; }
	bench_iperf_start "$port" "$iperf_out" 300
	tools/qemu-run.sh --config "$cfg" --smp 2 --timeout 280 --raw-status \
		--log "$log" </dev/null >/dev/null 2>&1
	bench_iperf_stop
	strip_log "$log" | sed -n 's/^\[linux\] | linux-guest: \(pipe .*\|ping .*\|irq .*\|FAIL .*\)/linux-guest: \1/p'
	tput=$(bench_iperf_figure "$iperf_out")
	if [ -n "$tput" ]; then
		echo "linux-guest: TCP to host iperf: $tput"
	fi
	linux_window "$log" "PASS ping" "pipe [0-9]* MiB" "the pipe (dd | cat)"
	linux_window "$log" "ping 10\\.0\\.2\\.2 min" "sent [0-9]* MiB" "the transfer"
}

# The guest's exits during a stretch of its /init, by kind: the
# difference between the VMM's counts at two marked console lines
# (exits_mark= in tests/bench/linux.cfg); per MiB and per VF interrupt.
# linux_window LOG FROM TO WHAT: FROM and TO match the start of the two
# lines after "linux-guest: " (TO's line says "N MiB"); WHAT names the
# stretch.
linux_window() {
	local mark='^\[vmm\] linux: exits at mark "linux-guest: '
	local a b mb
	a=$(strip_log "$1" | grep -m1 "${mark}$2" | sed 's/.*": //')
	b=$(strip_log "$1" | grep -m1 "${mark}$3" | sed 's/.*": //')
	mb=$(strip_log "$1" | grep -m1 "^\[linux\] | linux-guest: $3" | sed -n 's/[^0-9]*\([0-9]*\) MiB.*/\1/p')
	if [ -z "$a" ] || [ -z "$b" ] || [ -z "$mb" ]; then
		echo "linux-guest: no exit counts for $4 (marks missing in $1)"
		return
	fi
	awk -v a="$a" -v b="$b" -v mb="$mb" -v what="$4" '
	function parse(s, m,   n, i, t, kv) {
		gsub(/;/, "", s); n = split(s, t, " ")
		for (i = 1; i <= n; i++)
			if (split(t[i], kv, "=") == 2) {
				m[kv[1]] = kv[2]
				if (!(kv[1] in seen)) { seen[kv[1]] = 1; order[++nk] = kv[1] }
			}
	}
	BEGIN {
		parse(a, x); parse(b, y)
		irqs = y["device"] - x["device"]
		printf "linux-guest: exits during %s (%d MiB, %d VF irqs, %d timer irqs):\n", what, mb, irqs, y["timer"] - x["timer"]
		printf "linux-guest:   %-13s %8s %9s %10s\n", "kind", "exits", "per MiB", "per VF irq"
		for (i = 1; i <= nk; i++) {
			k = order[i]
			if (k == "injected" || k == "timer" || k == "device") continue
			d = y[k] - x[k]; total += d
			if (d) printf "linux-guest:   %-13s %8d %9.0f %10s\n", k, d, d / mb, irqs ? sprintf("%.2f", d / irqs) : "-"
		}
		printf "linux-guest:   %-13s %8d %9.0f %10s\n", "all", total, total / mb, irqs ? sprintf("%.2f", total / irqs) : "-"
	}'
}

# "N Kbits/sec" of a figures line, or nothing.
kbits_of() { sed -n 's/.*TCP to host iperf: .* at \([0-9.]*\) Kbits\/sec.*/\1/p'; }
# The seconds of "pipe N MiB (dd | cat) in S s".
pipe_s_of() { sed -n 's/.*pipe [0-9]* MiB (dd | cat) in \([0-9.]*\) s.*/\1/p'; }
# The avg of "ping ... min/avg/max a/b/c ms".
rtt_avg_of() { sed -n 's/.*ping 10\.0\.2\.2 min\/avg\/max [0-9.]*\/\([0-9.]*\)\/.*/\1/p'; }

linux_figures() {
	local bare guest bk gk br gr bp gp
	echo "== Linux on an igb VF: bare QEMU vs. as this hypervisor's guest (QEMU TCG; noisy)"
	if ! bare=$(tools/linux-bare.sh --log "$out/linux-bare.log" 2>&1); then
		echo "  bare: no figures: $(echo "$bare" | tail -n1)"
		return
	fi
	echo "$bare" | sed -n 's/^linux-bare: \(pipe .*\|ping .*\|TCP .*\|irq .*\)/  bare:  \1/p'
	guest=$(linux_guest_run "$out/linux-guest.log")
	echo "$guest" | sed 's/^linux-guest: /  guest: /'
	bk=$(echo "$bare" | kbits_of); gk=$(echo "$guest" | kbits_of)
	br=$(echo "$bare" | rtt_avg_of); gr=$(echo "$guest" | rtt_avg_of)
	if [ -n "$bk" ] && [ -n "$gk" ]; then
		awk -v b="$bk" -v g="$gk" 'BEGIN { printf "  guest/bare TCP throughput: %.0f%%\n", 100 * g / b }'
	else
		echo "  guest/bare TCP throughput: no ratio (a run gave no figure; see $out/linux-*.log)"
	fi
	[ -n "$br" ] && [ -n "$gr" ] &&
		awk -v b="$br" -v g="$gr" 'BEGIN { printf "  guest/bare ping RTT avg: %.2f\n", g / b }'
	bp=$(echo "$bare" | pipe_s_of); gp=$(echo "$guest" | pipe_s_of)
	[ -n "$bp" ] && [ -n "$gp" ] &&
		awk -v b="$bp" -v g="$gp" 'BEGIN { if (b > 0) printf "  guest/bare pipe time (no device, no interrupts but the timer): %.2f\n", g / b }'
	echo "  (the same Debian kernel, /init measurement and igb model: bare, Linux owns"
	echo "   the PF and a VF; as a guest, the hypervisor owns the PF and assigns the VF)"
}

# VM exits per delivered interrupt, per backend. xpost.cfg: cpu0 posts 50
# interrupts to each guest through vm_post_irq(); the VMM counts the exits
# on the guest's CPU from the first post to the guest's next hypercall
# (xspin spins, xhlt halts between them). SVM under QEMU kicks and
# injects; VMX under Bochs 3.0 (if its chroot is there) sends the
# posted-interrupt notification vector. vpci_msix.cfg: the vfirq guest's
# VF interrupts (remapped MSI-X, SVM), over its whole run.
irq_xpost_rows() {
	local backend=$1 log=$2
	strip_log "$log" | sed -n 's/^\[vmm\] \([a-z0-9_-]*\): xpost: \([0-9]*\) of [0-9]* x vector .*; \([0-9]*\) exits on cpu[0-9]* meanwhile (\([0-9]*\) intr, \([0-9]*\) hlt, \([0-9]*\) msr, \([0-9]*\) other), \([0-9.]*\) per interrupt.*/\1 \2 \3 \4 \5 \6 \7 \8/p' |
	while read -r g n ex intr hlt msr other per; do
		printf '  %-8s %-14s %-7s %5s %6s %5s %5s %5s %5s %9s\n' "$backend" xpost.cfg "$g" "$n" "$ex" "$intr" "$hlt" "$msr" "$other" "$per"
	done
}

irq_figures() {
	local svm=$out/irq-svm.log vmx=$out/irq-vmx.log msix=$out/irq-msix.log chroot_dir
	tools/qemu-run.sh --config tests/configs/xpost.cfg --smp 3 --timeout 120 \
		--raw-status --log "$svm" </dev/null >/dev/null 2>&1
	tools/qemu-run.sh --config tests/configs/vpci_msix.cfg --smp 3 --timeout 120 \
		--raw-status --log "$msix" </dev/null >/dev/null 2>&1
	: >"$vmx"
	if chroot_dir=$(tools/trixie-chroot.sh 2>/dev/null); then
		tools/bochs-run.sh --chroot "$chroot_dir" --config tests/configs/xpost.cfg \
			--smp 3 --timeout 180 --log "$vmx" </dev/null >/dev/null 2>&1
	fi
	echo "== VM exits per delivered interrupt (interrupts raised on cpu0, guest on an AP)"
	printf '  %-8s %-14s %-7s %5s %6s %5s %5s %5s %5s %9s\n' backend config guest irqs exits intr hlt msr other exits/irq
	irq_xpost_rows svm "$svm"
	if strip_log "$vmx" | grep -q 'posted interrupts used'; then
		irq_xpost_rows vmx-pi "$vmx"
	else
		echo "  vmx-pi   xpost.cfg      (no figures: Bochs 3.0 chroot missing or run failed, see $vmx)"
	fi
	strip_log "$msix" | sed -n 's/^\[vmm\] irq: \([0-9]*\) exits in .* \([0-9]*\) hlt, [0-9]* io, \([0-9]*\) msr, [0-9]* cpuid, \([0-9]*\) intr; \([0-9]*\) device irqs posted.*/\1 \2 \3 \4 \5/p' |
	while read -r ex hlt msr intr n; do
		awk -v ex="$ex" -v hlt="$hlt" -v msr="$msr" -v intr="$intr" -v n="$n" 'BEGIN {
			printf "  %-8s %-14s %-7s %5d %6d %5d %5d %5d %5s %9s\n", "svm", "vpci_msix.cfg", "irq", n, ex, intr, hlt, msr, "-",
				n ? sprintf("%.2f", (intr + hlt) / n) : "-" }'
	done
	echo "  (xpost: exits on the guest's CPU while the interrupts came, the VMM's count;"
	echo "   vpci_msix: the VF guest's whole run, config-space enumeration included, so"
	echo "   its exits/irq counts only the intr and hlt exits; msr includes its EOIs)"
}

# tools/bench.sh [exits|vf|net|irq|linux]: one part only (default all);
# linux-guest: the Linux guest's half of "linux" alone.
case "${1:-all}" in
exits) guest_exits ;;
vf) vf_arp ;;
net) net_figures ;;
irq) irq_figures ;;
linux) linux_figures ;;
linux-guest) linux_guest_run "$out/linux-guest.log" | sed 's/^linux-guest: /  guest: /' ;;
all) guest_exits; vf_arp; net_figures; irq_figures; linux_figures ;;
*) echo "bench: unknown part '$1' (exits, vf, net, irq, linux, linux-guest)" >&2; exit 2 ;;
esac
