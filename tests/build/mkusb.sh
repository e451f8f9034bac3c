#!/usr/bin/env bash
# tools/mkusb.sh without a real disk: the image it writes (MBR with one EFI
# System partition, FAT32 holding the ESP), and each refusal on a fake
# sysfs / mount table with a plain file standing in for the device (and on
# a loop device when losetup is allowed: not removable). A refusal must
# leave the "device" unchanged.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
mk=$root/tools/mkusb.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/mkusb-test.XXXXXX")
loopdev=""
cleanup() {
	[ -z "$loopdev" ] || losetup -d "$loopdev"
	rm -rf "$work"
}
trap cleanup EXIT
bad=0
fail() {
	echo "mkusb test: $*"
	bad=1
}

# An ESP like build/esp, so the check needs no hypervisor build.
mkdir -p "$work/esp/EFI/BOOT"
echo stub >"$work/esp/EFI/BOOT/BOOTX64.EFI"
echo "log = info" >"$work/esp/hv.cfg"

if "$mk" "$work/esp" --image "$work/usb.img" >/dev/null; then
	[ "$(od -An -tx1 -j450 -N1 "$work/usb.img" | tr -d ' ')" = ef ] ||
		fail "image: partition type is not 0xef"
	[ "$(od -An -tx1 -j510 -N2 "$work/usb.img" | tr -d ' ')" = 55aa ] ||
		fail "image: no MBR signature"
	mtype -i "$work/usb.img@@1M" ::/EFI/BOOT/BOOTX64.EFI 2>/dev/null | grep -q stub ||
		fail "image: EFI/BOOT/BOOTX64.EFI missing from the FAT partition"
	mtype -i "$work/usb.img@@1M" ::/hv.cfg 2>/dev/null | grep -q "log = info" ||
		fail "image: hv.cfg missing"
	minfo -i "$work/usb.img@@1M" :: 2>/dev/null | grep -qi "fat32\|FAT32" ||
		fail "image: partition is not FAT32"
else
	fail "image: mkusb.sh --image failed"
fi

# refuse WHAT EXPECTED-MESSAGE: mkusb must exit 1 with the message, and
# leave the fake device as it was.
refuse() {
	local what=$1 want=$2 out sum
	sum=$(cksum <"$work/dev/$what")
	if out=$(HV_MKUSB_FAKE_BLOCK=1 HV_MKUSB_SYSFS="$work/sys" \
		 HV_MKUSB_MOUNTS="$work/mounts" HV_MKUSB_SWAPS="$work/swaps" \
		 "$mk" "$work/esp" "$work/dev/$what" 2>&1); then
		fail "$what: accepted, expected a refusal ($want)"
	elif ! printf '%s\n' "$out" | grep -q -- "$want"; then
		fail "$what: said '$out', expected '$want'"
	fi
	[ "$(cksum <"$work/dev/$what")" = "$sum" ] || fail "$what: written to"
}

# fakedisk NAME REMOVABLE SECTORS: a sysfs entry and a zero-filled file.
fakedisk() {
	mkdir -p "$work/sys/class/block/$1" "$work/dev"
	echo "$2" >"$work/sys/class/block/$1/removable"
	echo "$3" >"$work/sys/class/block/$1/size"
	truncate -s 1M "$work/dev/$1"
}
: >"$work/mounts"
: >"$work/swaps"
fakedisk sdy 0 30000000
fakedisk sdz 1 30000000
fakedisk sdh 1 1000000000
fakedisk sdm 1 30000000
mkdir -p "$work/sys/class/block/sdm/sdm1"
echo "/dev/sdm1 /media/stick vfat rw 0 0" >>"$work/mounts"
fakedisk sdp1 1 30000
echo 1 >"$work/sys/class/block/sdp1/partition"

refuse sdy "is not removable and not on USB"
refuse sdh "more than a USB stick should be"
refuse sdm "/dev/sdm1 is mounted"
refuse sdp1 "is a partition: give the whole disk"
# Without the test hook a plain file is not a device at all.
if out=$("$mk" "$work/esp" "$work/dev/sdz" 2>&1) ||
   ! printf '%s\n' "$out" | grep -q "is not a block device"; then
	fail "plain file: '$out', expected 'is not a block device'"
fi
out=$(HV_MKUSB_FAKE_BLOCK=1 HV_MKUSB_SYSFS="$work/sys" HV_MKUSB_MOUNTS="$work/mounts" \
      HV_MKUSB_SWAPS="$work/swaps" "$mk" "$work/esp" "$work/dev/sdz" --dry-run 2>&1) ||
	fail "sdz (removable, unmounted): refused: $out"
printf '%s\n' "$out" | grep -q "passed every check" || fail "sdz dry run: '$out'"

# A real loop device: the kernel says not removable.
truncate -s 8M "$work/loop.img"
if loopdev=$(losetup -f --show "$work/loop.img" 2>/dev/null); then
	out=$("$mk" "$work/esp" "$loopdev" 2>&1) &&
		fail "loop device $loopdev accepted"
	printf '%s\n' "$out" | grep -q "not removable" ||
		fail "loop device: '$out', expected 'not removable'"
else
	loopdev=""
	echo "mkusb test: no loop device here (losetup not allowed): fake devices only"
fi
[ "$bad" = 0 ] && echo "mkusb: image and every refusal as expected"
exit "$bad"
