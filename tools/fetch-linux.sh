#!/usr/bin/env bash
# Fetches the inputs of the Linux guest (issue 11): a Debian kernel, its
# igbvf module and a busybox initramfs that brings the VF up and pings the
# QEMU user-net gateway. Everything comes from Debian packages pinned by
# exact version and by the sha256 of the .deb; a mismatch stops the script.
#
# Outputs (build/ is git-ignored), in $OUT (default build/deps/linux):
#   vmlinuz          the bzImage (vmm/linux_boot.c parses it)
#   config           the kernel's /boot/config, for reference
#   igbvf.ko         the VF driver, decompressed from igbvf.ko.xz
#   initramfs.cpio.gz  newc cpio, gzip (the kernel has CONFIG_RD_GZIP=y)
#   debs/            the downloaded packages
# Idempotent: a step whose outputs exist and match its inputs is skipped.
# Needs apt-get (download only, no install), dpkg-deb, cpio, xz, gzip,
# sha256sum: tools/install-deps.sh installs them. About 107 MB to download,
# so it is not part of `make test`; run it with `make linux-guest`.
set -euo pipefail
# shellcheck source=tools/linux-initramfs.sh
source "$(dirname "$0")/linux-initramfs.sh"

KVER=6.12.95+deb12-amd64
KPKG=linux-image-$KVER
KPKG_VER=6.12.95-1~bpo12+1	# bookworm-backports
KPKG_SHA256=5e524b782be67cb0d6a2e7b51816a2ac519e573ef7324b9a63a4124365653ecc
BBPKG=busybox-static
BBPKG_VER=1:1.35.0-4+deb12u1+b1	# bookworm
BBPKG_SHA256=3d3fdbe91d4660c873e14b092c213fe81c1da6362daa236eb25d0171eb108744
IGBVF_PATH=lib/modules/$KVER/kernel/drivers/net/ethernet/intel/igbvf/igbvf.ko.xz

OUT=${OUT:-build/deps/linux}
DEBS=$OUT/debs

log() { echo "[linux-guest] $*"; }
die() { echo "[linux-guest] error: $*" >&2; exit 1; }

check_tools() {
	local t missing=()
	for t in apt-get dpkg-deb cpio xz gzip sha256sum; do
		command -v "$t" >/dev/null || missing+=("$t")
	done
	[ ${#missing[@]} = 0 ] ||
		die "missing tools: ${missing[*]} (run tools/install-deps.sh)"
}

sha_of() { sha256sum "$1" | awk '{print $1}'; }

# apt-get download names the file pkg_version_arch.deb with ':' as %3a.
deb_path() {
	local pkg=$1 ver=$2
	echo "$DEBS/${pkg}_${ver//:/%3a}_amd64.deb"
}

# fetch_deb PKG VERSION SHA256: download unless a verified copy is there.
fetch_deb() {
	local pkg=$1 ver=$2 want=$3 deb got
	deb=$(deb_path "$pkg" "$ver")
	if [ -f "$deb" ] && [ "$(sha_of "$deb")" = "$want" ]; then
		log "have $pkg $ver (sha256 ok)"
		return
	fi
	rm -f "$deb"
	log "downloading $pkg $ver"
	(cd "$DEBS" && apt-get download -qq "$pkg=$ver" 2>&1 |
		grep -v 'Download is performed unsandboxed' || true)
	[ -f "$deb" ] || die "apt-get download $pkg=$ver produced no $deb (is bookworm-backports in the apt sources? tools/install-deps.sh adds it; then apt-get update)"
	got=$(sha_of "$deb")
	if [ "$got" != "$want" ]; then
		mv "$deb" "$deb.bad"
		die "$pkg $ver: sha256 $got, pinned $want; refusing it (kept as $deb.bad)"
	fi
	log "downloaded $pkg $ver (sha256 ok)"
}

# up_to_date STAMP KEY: true if STAMP holds KEY (the step's inputs).
up_to_date() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

extract_kernel() {
	local deb stamp key tmp
	deb=$(deb_path "$KPKG" "$KPKG_VER")
	stamp=$OUT/.kernel.stamp
	key=$KPKG_SHA256
	if up_to_date "$stamp" "$key" && [ -f "$OUT/vmlinuz" ] &&
	   [ -f "$OUT/igbvf.ko" ]; then
		log "have vmlinuz, config, igbvf.ko"
		return
	fi
	tmp=$(mktemp -d)
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$tmp" "./boot/vmlinuz-$KVER" "./boot/config-$KVER" "./$IGBVF_PATH"
	cp "$tmp/boot/vmlinuz-$KVER" "$OUT/vmlinuz"
	cp "$tmp/boot/config-$KVER" "$OUT/config"
	xz -dc "$tmp/$IGBVF_PATH" >"$OUT/igbvf.ko"
	rm -rf "$tmp"
	grep -qx 'CONFIG_RD_GZIP=y' "$OUT/config" ||
		die "$KPKG has no CONFIG_RD_GZIP: the gzip initramfs would not unpack"
	echo "$key" >"$stamp"
	log "extracted vmlinuz ($(stat -c %s "$OUT/vmlinuz") bytes), config, igbvf.ko ($(stat -c %s "$OUT/igbvf.ko") bytes)"
}

# The guest's /init: what issue 11's boot test will look for on ttyS0.
# The kernel's built-in initramfs already holds /dev/console.
write_init() {
	{ init_preamble; cat; } >"$1" <<'EOF'
tag=linux-guest
echo "linux-guest: init running, kernel $(uname -r)"
echo "linux-guest: date $(date -u +%Y-%m-%dT%H:%M:%SZ) (from the RTC at boot)"
if insmod /lib/modules/igbvf.ko; then
	echo "linux-guest: igbvf loaded"
else
	echo "linux-guest: FAIL insmod igbvf"
fi
ip link set lo up
# No VF (Bochs has no igb: tests/configs/linux_bochs.cfg): igbvf loads
# but binds nothing, and there is no network to wait for.
if [ ! -e /sys/class/net/eth0 ]; then
	echo "linux-guest: no VF: igbvf found no device (no eth0), network steps skipped"
	echo "linux-guest: powering off"
	exec poweroff -f
fi
ip link set eth0 up
if udhcpc -i eth0 -n -q -t 5 -s /bin/udhcpc-script; then
	echo "linux-guest: dhcp ok"
else
	echo "linux-guest: FAIL dhcp"
fi
if ping -c 3 10.0.2.2; then
	echo "linux-guest: PASS ping 10.0.2.2"
else
	echo "linux-guest: FAIL ping 10.0.2.2"
fi
EOF
	bench_snippet >>"$1"
	cat >>"$1" <<'EOF'
# web=ADDR on the command line: fetch that lwIP guest's status page
# (VF to VF through the NIC's switch). With nc: busybox-static's wget
# segfaults in the static glibc's name lookup, even for an address.
web=$(sed -n 's/.*\bweb=\([0-9.]*\).*/\1/p' /proc/cmdline)
if [ -n "$web" ]; then
	page=$(printf 'GET /status HTTP/1.0\r\nHost: %s\r\n\r\n' "$web" |
		timeout 10 nc "$web" 80 | tr -d '\r')
	if echo "$page" | grep -q '^HTTP/1\.[01] 200'; then
		echo "linux-guest: PASS fetched http://$web/status ($(echo "$page" | wc -c) bytes, $(echo "$page" | grep -m1 '^guest:'))"
	else
		echo "linux-guest: FAIL fetch http://$web/status"
	fi
fi
# igbvf's three MSI-X vectors are named after the interface.
grep ' eth0' /proc/interrupts | tr -s ' ' |
	sed 's/^ *[0-9]*: *\([0-9]*\) .* \([^ ]*\)$/linux-guest: irq \2 \1/'
echo "linux-guest: powering off"
poweroff -f
EOF
}

build_initramfs() {
	local bbdeb stamp key root tmpinit
	bbdeb=$(deb_path "$BBPKG" "$BBPKG_VER")
	stamp=$OUT/.initramfs.stamp
	tmpinit=$(mktemp -d)
	write_init "$tmpinit/init"
	write_udhcpc_script "$tmpinit/udhcpc-script" linux-guest
	key="$BBPKG_SHA256 $(sha_of "$OUT/igbvf.ko") $(cat "$tmpinit/init" "$tmpinit/udhcpc-script" | sha256sum | awk '{print $1}')"
	if up_to_date "$stamp" "$key" && [ -f "$OUT/initramfs.cpio.gz" ]; then
		rm -rf "$tmpinit"
		log "have initramfs.cpio.gz"
		return
	fi
	root=$(mktemp -d)
	mkdir -p "$root"/{bin,dev,proc,sys,lib/modules}
	dpkg-deb --fsys-tarfile "$bbdeb" | tar -x -C "$root" ./bin/busybox
	install -m 0755 "$tmpinit/init" "$root/init"
	install -m 0755 "$tmpinit/udhcpc-script" "$root/bin/udhcpc-script"
	install -m 0644 "$OUT/igbvf.ko" "$root/lib/modules/igbvf.ko"
	rm -rf "$tmpinit"
	pack_initramfs "$root" "$OUT/initramfs.cpio.gz"
	rm -rf "$root"
	echo "$key" >"$stamp"
	log "built initramfs.cpio.gz ($(stat -c %s "$OUT/initramfs.cpio.gz") bytes: busybox, igbvf.ko, /init)"
}

main() {
	check_tools
	mkdir -p "$DEBS"
	fetch_deb "$KPKG" "$KPKG_VER" "$KPKG_SHA256"
	fetch_deb "$BBPKG" "$BBPKG_VER" "$BBPKG_SHA256"
	extract_kernel
	build_initramfs
	log "ready in $OUT"
}

main "$@"
