#!/usr/bin/env bash
# Prepares a Debian trixie chroot with Bochs 3.0, the only VMX emulator
# here with posted-interrupt processing (bookworm's Bochs 2.7 lacks it and
# trixie's binary needs trixie's glibc). Idempotent: an existing, complete
# chroot is reused. Needs root (debootstrap, chroot). Prints the path.
#   tools/trixie-chroot.sh [DIR]     default: $HV_TRIXIE or /var/tmp/hv-trixie
set -euo pipefail
dir=${1:-${HV_TRIXIE:-/var/tmp/hv-trixie}}
stamp=$dir/.hv-bochs-ready

if [ -f "$stamp" ] && [ -x "$dir/usr/bin/bochs" ]; then
	echo "$dir"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "trixie-chroot: needs root for debootstrap and chroot" >&2
	exit 1
fi
command -v debootstrap >/dev/null || {
	echo "trixie-chroot: debootstrap missing (make deps)" >&2
	exit 1
}
mirror=$(grep -hE '^URIs:' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1 | awk '{print $2}')
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
echo "trixie-chroot: debootstrap trixie into $dir from $mirror" >&2
rm -rf "$dir"
debootstrap --variant=minbase trixie "$dir" "$mirror" >"$dir.log" 2>&1 || {
	echo "trixie-chroot: debootstrap failed, see $dir.log" >&2
	tail -n 20 "$dir.log" >&2
	exit 1
}
chroot "$dir" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	--no-install-recommends bochs bochsbios vgabios bochs-term >>"$dir.log" 2>&1 || {
	echo "trixie-chroot: installing bochs failed, see $dir.log" >&2
	tail -n 20 "$dir.log" >&2
	exit 1
}
chroot "$dir" bochs --help 2>&1 | head -n 1 >&2 || true
touch "$stamp"
echo "$dir"
