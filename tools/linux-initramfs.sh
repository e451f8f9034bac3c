# Sourced by tools/fetch-linux.sh (the Linux guest's initramfs),
# tools/linux-bare.sh (the bare-machine benchmark's) and tools/bench.sh:
# the pieces both initramfs images share, and the host side of their
# benchmark measurement. Not a program of its own.

# init_preamble: the first lines of every /init (busybox applets as
# symlinks, proc, sysfs, devtmpfs); the kernel's built-in initramfs
# already holds /dev/console.
init_preamble() {
	cat <<'PREAMBLE'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
PREAMBLE
}

# write_udhcpc_script FILE TAG: the script udhcpc runs with the lease in
# its environment ($interface, $ip, $mask, $router); it applies the lease
# and prints "TAG: lease ..." on the console.
write_udhcpc_script() {
	cat >"$1" <<SCRIPT
#!/bin/busybox sh
case "\$1" in
deconfig) ip addr flush dev "\$interface"; ip link set "\$interface" up ;;
bound|renew)
	ip addr flush dev "\$interface"
	ip addr add "\$ip/\${mask:-24}" dev "\$interface"
	[ -n "\$router" ] && ip route add default via "\${router%% *}" dev "\$interface"
	echo "$2: lease \$ip/\${mask:-24} router \${router:-none}"
	;;
esac
exit 0
SCRIPT
}

# pack_initramfs ROOT OUT: ROOT as a newc cpio, gzip (CONFIG_RD_GZIP=y).
# Fixed owner and times: the same inputs give the same archive.
pack_initramfs() {
	find "$1" -exec touch -h -d @0 {} +
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --reproducible --quiet) |
		gzip -n -9 >"$2.tmp"
	mv "$2.tmp" "$2"
}

# bench_snippet: /init lines both Linux images run for make bench
# (tools/linux-bare.sh on the bare machine, tools/bench.sh linux for the
# guest): with bench_port=P and bench_mb=M on the kernel command line,
# 4*M MiB through a pipe (dd | cat: the CPU's and MMU's share, no device),
# ten pings of 10.0.2.2 and M MiB sent with dd | nc to 10.0.2.2:P, where
# the host's iperf 2 server counts them. Lines start with "$tag:".
bench_snippet() {
	cat <<'SNIP'
bench_port=$(sed -n 's/.*\bbench_port=\([0-9]*\).*/\1/p' /proc/cmdline)
bench_mb=$(sed -n 's/.*\bbench_mb=\([0-9]*\).*/\1/p' /proc/cmdline)
if [ -n "$bench_port" ] && [ -n "$bench_mb" ]; then
	t0=$(cut -d' ' -f1 /proc/uptime)
	dd if=/dev/zero bs=64k count=$((bench_mb * 64)) 2>/dev/null | cat >/dev/null
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "$tag: pipe $((bench_mb * 4)) MiB (dd | cat) in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
	ping -c 10 -i 0.2 10.0.2.2 |
		sed -n "s/^round-trip min\/avg\/max = /$tag: ping 10.0.2.2 min\/avg\/max /p"
	if dd if=/dev/zero bs=64k count=$((bench_mb * 16)) 2>/dev/null |
		nc 10.0.2.2 "$bench_port"; then
		echo "$tag: sent $bench_mb MiB to 10.0.2.2:$bench_port"
	else
		echo "$tag: FAIL nc to 10.0.2.2:$bench_port"
	fi
fi
SNIP
}

# The host side of bench_snippet: an iperf 2 server on 127.0.0.1:PORT
# (user net's 10.0.2.2) for at most SECONDS, its report in FILE.
# bench_iperf_start PORT FILE SECONDS sets bench_iperf_pid;
# bench_iperf_stop ends the server once the guest is done.
bench_iperf_start() {
	timeout "$3" iperf -s -B 127.0.0.1 -p "$1" -f k >"$2" 2>&1 &
	bench_iperf_pid=$!
	sleep 0.5
}

bench_iperf_stop() {
	sleep 0.5
	kill "$bench_iperf_pid" 2>/dev/null || true
	wait "$bench_iperf_pid" 2>/dev/null || true
}

# bench_iperf_figure FILE: "N KBytes at M Kbits/sec" of the last transfer
# the server reported, or nothing.
bench_iperf_figure() {
	sed -n 's/.* sec *\([0-9.]* [KMG]Bytes\) *\([0-9.]* [KMG]bits\/sec\).*/\1 at \2/p' "$1" | tail -n1
}
