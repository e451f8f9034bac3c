#!/usr/bin/env bash
# Installs what the build and the tests need on a Debian 12 (bookworm) machine.
# QEMU 10 comes from bookworm-backports: bookworm's own 7.2 has no igb model.
# Idempotent: does nothing when every tool is already present.
set -euo pipefail

# libclang-rt-dev holds libFuzzer and clang's sanitizer runtimes (make
# fuzz, the fuzz part of make test); clang pulls it in only as a
# recommendation, which --no-install-recommends below skips. curl and
# iperf (iperf 2) drive the web guest from the host (tests/boot/lwip_pair.sh,
# make bench); lwIP's sources come from tools/fetch-lwip.sh, not a package.
# cpio, gzip (with dpkg-deb and xz-utils) build the Linux guest's
# initramfs (tools/fetch-linux.sh, make linux-guest).
need_pkgs=(gcc make binutils nasm gnu-efi ovmf mtools dosfstools
           libcmocka-dev clang libclang-rt-dev llvm python3 xz-utils
           bochs bochsbios vgabios bochs-term debootstrap
           curl iperf cpio gzip
           acpica-tools)	# acpixtract: tools/hwcheck on acpidump text

have_all() {
	command -v qemu-system-x86_64 >/dev/null || return 1
	qemu-system-x86_64 --version | grep -qE 'version (9|1[0-9])\.' || return 1
	qemu-system-x86_64 -device help 2>/dev/null | grep -q '"igb"' || return 1
	local p
	for p in "${need_pkgs[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || return 1
	done
}

if have_all; then
	exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi

bp=/etc/apt/sources.list.d/bookworm-backports.sources
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	# Same mirror and key as the machine's main bookworm entry.
	mirror=$(grep -hE '^URIs:' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1 | awk '{print $2}')
	[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
	echo "[deps] adding bookworm-backports from $mirror"
	$SUDO tee "$bp" >/dev/null <<EOT
Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
fi

export DEBIAN_FRONTEND=noninteractive
echo "[deps] apt-get update"
$SUDO apt-get update -qq
echo "[deps] installing: ${need_pkgs[*]} qemu-system-x86 (backports)"
$SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}"
$SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports qemu-system-x86
qemu-system-x86_64 --version | head -n1
