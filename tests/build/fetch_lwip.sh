#!/usr/bin/env bash
# tools/fetch-lwip.sh refuses what it cannot vouch for: a tarball whose
# sha256 is not the pinned one, and a source package it cannot get, are
# errors that name the cause (never a silent skip or an unverified build).
# Offline: a local junk tarball and a file:// mirror that does not exist.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
bad() { echo "FAIL [fetch_lwip] $*"; fails=1; }

mkdir -p "$tmp/a/src"
echo "not lwip" | xz >"$tmp/a/src/lwip_2.1.3+dfsg1.orig.tar.xz"
if out=$("$ROOT/tools/fetch-lwip.sh" "$tmp/a/lwip" 2>&1); then
	bad "accepted a tarball with the wrong sha256"
elif ! grep -q "sha256 [0-9a-f]*, expected 0a8276d09fc4e97bbba2f953d74af2388fc2195ea156be9d7589e297a68fde24; refusing" <<<"$out"; then
	bad "wrong sha256 reported as: $out"
fi
[ -e "$tmp/a/lwip" ] && bad "left an unpacked tree behind after the mismatch"

mkdir -p "$tmp/b"
if out=$(LWIP_MIRROR=file:///nonexistent-mirror "$ROOT/tools/fetch-lwip.sh" "$tmp/b/lwip" 2>&1); then
	bad "succeeded without a source package"
elif ! grep -Eq "fetch-lwip: error: apt-get (update of the private deb-src list|source lwip) failed|not in the source package" <<<"$out"; then
	bad "missing package reported as: $out"
fi

[ "$fails" = 0 ] && echo "PASS [fetch_lwip]"
exit $fails
