#!/usr/bin/env bash
# The "bare" half of issue 11's benchmark: the same Debian kernel the Linux
# guest runs (tools/fetch-linux.sh pins it), booted directly on QEMU q35
# (TCG) with the same igb NIC and no hypervisor. Linux owns the PF with its
# own igb driver, creates one VF through sysfs, drives it with igbvf, gets
# a DHCP lease on the VF and measures what the guest run measures:
#   - ping RTT to QEMU user net's gateway 10.0.2.2 (min/avg/max),
#   - TCP throughput of 16 MiB (dd | nc) to an iperf 2 server on this
#     machine's 127.0.0.1 (user net's 10.0.2.2), as iperf reports it.
# Prints one "linux-bare:" line per figure. Nothing passes or fails on a
# number; an unexpected end (no lease, no module) is an error.
#
# Inputs come from Debian packages only: the linux-image .deb that
# fetch-linux.sh downloads and verifies (igb.ko, its module dependencies
# dca.ko and i2c-algo-bit.ko, igbvf.ko) and busybox-static.
#
# tools/linux-bare.sh [--timeout S] [--log FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tools/linux-initramfs.sh
source tools/linux-initramfs.sh

OUT=${OUT:-build/deps/linux}
BARE=$OUT/bare
TIMEOUT=240
LOG=build/bench/linux-bare.log
PORT=${BENCH_LINUX_PORT:-15091}
BYTES_MB=16

while [ $# -gt 0 ]; do
	case $1 in
	--timeout) TIMEOUT=$2; shift 2 ;;
	--log) LOG=$2; shift 2 ;;
	*) echo "usage: $0 [--timeout S] [--log FILE]" >&2; exit 2 ;;
	esac
done

log() { echo "[linux-bare] $*"; }
die() { echo "[linux-bare] error: $*" >&2; exit 1; }

for t in qemu-system-x86_64 iperf dpkg-deb cpio xz gzip; do
	command -v "$t" >/dev/null || die "missing $t (run tools/install-deps.sh)"
done

# The kernel, busybox and the .debs (downloads once, verifies sha256).
tools/fetch-linux.sh >/dev/null || die "tools/fetch-linux.sh failed"
KDEB=$(ls "$OUT"/debs/linux-image-*.deb)
BBDEB=$(ls "$OUT"/debs/busybox-static_*.deb)
KVER=$(dpkg-deb -f "$KDEB" Package | sed 's/^linux-image-//')
MODDIR=lib/modules/$KVER/kernel/drivers
MODULES="$MODDIR/dca/dca.ko.xz $MODDIR/i2c/algos/i2c-algo-bit.ko.xz
	 $MODDIR/net/ethernet/intel/igb/igb.ko.xz
	 $MODDIR/net/ethernet/intel/igbvf/igbvf.ko.xz"

# /init: PF up, one VF, lease on the VF, then the two measurements.
write_init() {
	{ init_preamble; cat; } >"$1" <<'EOF'
tag=linux-bare
say() { echo "linux-bare: $*"; }
fail() { say "FAIL $*"; poweroff -f; }
for m in dca i2c-algo-bit igb; do insmod /lib/modules/$m.ko || fail "insmod $m"; done
pf=$(ls /sys/bus/pci/drivers/igb | grep -m1 ':')
[ -n "$pf" ] || fail "igb bound no device"
pfif=$(ls /sys/bus/pci/devices/$pf/net)
ip link set "$pfif" up
echo 1 >/sys/bus/pci/devices/$pf/sriov_numvfs || fail "sriov_numvfs"
insmod /lib/modules/igbvf.ko || fail "insmod igbvf"
sleep 1
vf=$(readlink /sys/bus/pci/devices/$pf/virtfn0); vf=${vf##*/}
vfif=$(ls /sys/bus/pci/devices/$vf/net 2>/dev/null)
[ -n "$vfif" ] || fail "igbvf bound no VF"
say "PF $pf is $pfif, VF $vf is $vfif"
ip link set lo up
ip link set "$vfif" up
udhcpc -i "$vfif" -n -q -t 10 -s /bin/udhcpc-script || fail "no DHCP lease on $vfif"
EOF
	bench_snippet >>"$1"
	cat >>"$1" <<'EOF'
grep " $vfif" /proc/interrupts | tr -s ' ' | sed 's/^ *\([0-9]*\): *\([0-9]*\) .* \([^ ]*\)$/linux-bare: irq \3 \2/'
say "done"
poweroff -f
EOF
}

build_initramfs() {
	local root tmp m
	root=$(mktemp -d)
	tmp=$(mktemp -d)
	mkdir -p "$root"/{bin,dev,proc,sys,lib/modules}
	dpkg-deb --fsys-tarfile "$BBDEB" | tar -x -C "$root" ./bin/busybox
	# shellcheck disable=SC2086
	dpkg-deb --fsys-tarfile "$KDEB" | tar -x -C "$tmp" $(printf './%s ' $MODULES)
	for m in $MODULES; do
		xz -dc "$tmp/$m" >"$root/lib/modules/$(basename "$m" .xz)"
	done
	write_init "$root/init"
	write_udhcpc_script "$root/bin/udhcpc-script" linux-bare
	chmod 0755 "$root/init" "$root/bin/udhcpc-script"
	mkdir -p "$BARE"
	pack_initramfs "$root" "$BARE/initramfs.cpio.gz"
	rm -rf "$root" "$tmp"
}

build_initramfs
mkdir -p "$(dirname "$LOG")"
iperf_out=$LOG.iperf
bench_iperf_start "$PORT" "$iperf_out" $((TIMEOUT + 10))
trap 'kill $bench_iperf_pid 2>/dev/null || true' EXIT

log "booting $KVER on QEMU q35 (TCG) with igb, no hypervisor (log $LOG)"
status=0
timeout "$TIMEOUT" qemu-system-x86_64 -M q35 -accel tcg -cpu max -smp 1 -m 512M \
	-nographic -no-reboot -serial "file:$LOG" -monitor none \
	-kernel "$OUT/vmlinuz" -initrd "$BARE/initramfs.cpio.gz" \
	-append "console=ttyS0,115200 nokaslr no5lvl tsc=reliable mitigations=off panic=-1 bench_port=$PORT bench_mb=$BYTES_MB" \
	-device pcie-root-port,id=rp0,chassis=1 \
	-netdev user,id=n0 -device igb,netdev=n0,bus=rp0 </dev/null >/dev/null 2>&1 || status=$?
[ "$status" = 124 ] && die "Linux did not finish in $TIMEOUT s (see $LOG)"
bench_iperf_stop

tr -d '\r' <"$LOG" | grep -a '^linux-bare: ' || true
tr -d '\r' <"$LOG" | grep -aq '^linux-bare: done$' ||
	die "the run did not complete (see $LOG): $(tr -d '\r' <"$LOG" | grep -a 'linux-bare: FAIL' | head -1)"
tput=$(bench_iperf_figure "$iperf_out")
[ -n "$tput" ] || die "iperf saw no transfer (see $iperf_out)"
echo "linux-bare: TCP to host iperf: $tput"
