#!/usr/bin/env bash
# Fetches lwIP 2.1.3 for the guests from Debian's source package and
# unpacks it into build/deps/lwip (ignored by git, never committed).
#
# lwIP's core sources are in no binary package (liblwip-dev is a hosted
# Linux library), so this asks apt for the source package with a private
# deb-src list: the machine's own apt configuration is neither read for
# sources nor changed. The orig tarball is pinned by its sha256, not by the
# Debian revision; a missing or different tarball is an error.
#
#   tools/fetch-lwip.sh [DEST]      (default build/deps/lwip)
set -euo pipefail

LWIP_TARBALL=lwip_2.1.3+dfsg1.orig.tar.xz
LWIP_SHA256=0a8276d09fc4e97bbba2f953d74af2388fc2195ea156be9d7589e297a68fde24

root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/build/deps/lwip}
# Absolute: apt runs from inside $deps/src below and is given these paths.
case $dest in /*) ;; *) dest=$PWD/$dest ;; esac
deps=$(dirname "$dest")
stamp=$dest/.sha256

die() { echo "fetch-lwip: error: $*" >&2; exit 1; }

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$LWIP_SHA256" ] &&
   [ -f "$dest/src/core/tcp.c" ]; then
	exit 0
fi

apt_dir=$deps/apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$deps/src"
# Same mirror as the machine's bookworm entry (CI machines may use their
# own); LWIP_MIRROR overrides it (tests/build/fetch_lwip.sh).
mirror=${LWIP_MIRROR:-}
[ -n "$mirror" ] || mirror=$(grep -hE '^URIs:' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1 | awk '{print $2}')
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
cat >"$apt_dir/sources.list" <<EOT
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm main
EOT
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list"
	  -o "Dir::Etc::SourceParts=/dev/null"
	  -o "Dir::State::Lists=$apt_dir/lists"
	  -o "Dir::Cache=$apt_dir/cache"
	  -o "Debug::NoLocking=1")

tarball=$deps/src/$LWIP_TARBALL
if [ ! -f "$tarball" ]; then
	echo "fetch-lwip: apt-get source lwip (deb-src $mirror bookworm)"
	apt-get "${apt_opts[@]}" -qq update ||
		die "apt-get update of the private deb-src list failed"
	(cd "$deps/src" && apt-get "${apt_opts[@]}" -qq --download-only source lwip) ||
		die "apt-get source lwip failed"
fi
[ -f "$tarball" ] || die "$LWIP_TARBALL not in the source package (Debian changed it?)"
sum=$(sha256sum "$tarball" | awk '{print $1}')
if [ "$sum" != "$LWIP_SHA256" ]; then
	die "$tarball: sha256 $sum, expected $LWIP_SHA256; refusing to build with it"
fi

rm -rf "$dest" "$dest.tmp"
mkdir -p "$dest.tmp"
tar -xJf "$tarball" -C "$dest.tmp" --strip-components=1 ||
	die "cannot unpack $tarball"
[ -f "$dest.tmp/src/core/tcp.c" ] || die "$tarball has no src/core/tcp.c"
echo "$LWIP_SHA256" >"$dest.tmp/.sha256"
mv "$dest.tmp" "$dest"
echo "fetch-lwip: lwIP 2.1.3 in $dest (sha256 verified)"
