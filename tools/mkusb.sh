#!/usr/bin/env bash
# Makes a bootable USB stick (or a disk image) holding the hypervisor's ESP.
#   tools/mkusb.sh ESP_DIR --image FILE          write a disk image file
#   tools/mkusb.sh ESP_DIR DEVICE [--dry-run]    write the stick DEVICE
#   make usb DISK=/dev/sdX                       the same, after make all
# The image: an MBR with one EFI System partition (type 0xef, from 1 MiB),
# FAT32, holding ESP_DIR (EFI/BOOT/BOOTX64.EFI, hv.cfg, guests/). UEFI boots
# it as removable media. For a DEVICE it refuses, and writes nothing, when:
#   - DEVICE is not a block device, or is a partition (give the whole disk);
#   - the kernel does not call it removable and it is not on USB;
#   - it or any of its partitions is mounted, or holds swap;
#   - it is larger than 256 GiB (a stick is smaller; a disk is likely not
#     the one you meant).
# --dry-run does every check and says what it would write.
# Tests point HV_MKUSB_SYSFS (default /sys) and HV_MKUSB_MOUNTS (default
# /proc/mounts) at fakes, and HV_MKUSB_FAKE_BLOCK=1 takes a plain file for
# a block device; they never touch a disk (tests/build/mkusb.sh).
set -euo pipefail

IMAGE_MIB=64
PART_START_SECTOR=2048		# 1 MiB: the usual alignment
SECTOR=512
MAX_BYTES=$((256 * 1024 * 1024 * 1024))
sysfs=${HV_MKUSB_SYSFS:-/sys}
mounts=${HV_MKUSB_MOUNTS:-/proc/mounts}
swaps=${HV_MKUSB_SWAPS:-/proc/swaps}

die() {
	echo "mkusb: $*" >&2
	exit 1
}

usage() {
	die "usage: mkusb.sh ESP_DIR --image FILE | mkusb.sh ESP_DIR DEVICE [--dry-run]"
}

# The partition table: one primary partition, type 0xef, LBA addressed
# (CHS fields 0xfe 0xff 0xff: "use LBA"), boot signature 0x55aa.
write_mbr() {
	python3 - "$1" "$PART_START_SECTOR" "$(($2 - PART_START_SECTOR))" <<'PY'
import struct, sys
path, start, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
entry = struct.pack("<B3sB3sII", 0, b"\xfe\xff\xff", 0xEF, b"\xfe\xff\xff",
                    start, count)
mbr = bytes(446) + entry + bytes(48) + b"\x55\xaa"
with open(path, "r+b") as f:
    f.write(mbr)
PY
}

make_image() {
	local esp=$1 img=$2 sectors=$((IMAGE_MIB * 1024 * 1024 / SECTOR))
	local part="$img@@$((PART_START_SECTOR * SECTOR))"

	[ -f "$esp/EFI/BOOT/BOOTX64.EFI" ] ||
		die "$esp/EFI/BOOT/BOOTX64.EFI missing: run make all first"
	rm -f "$img"
	truncate -s "$((IMAGE_MIB))M" "$img"
	write_mbr "$img" "$sectors"
	mformat -i "$part" -F -v HV -T "$((sectors - PART_START_SECTOR))" -h 64 -s 32 :: ||
		die "mformat failed"
	mcopy -i "$part" -s -Q "$esp"/* :: || die "copying $esp failed"
	echo "mkusb: $img: ${IMAGE_MIB} MiB, FAT32 ESP from $esp"
}

is_block() {
	[ -b "$1" ] || { [ "${HV_MKUSB_FAKE_BLOCK:-0}" = 1 ] && [ -f "$1" ]; }
}

# Every refusal names the device and the reason; nothing is written before.
check_device() {
	local dev=$1 name sys holder size
	is_block "$dev" || die "$dev is not a block device"
	name=$(basename "$(readlink -f "$dev")")
	sys=$sysfs/class/block/$name
	[ -d "$sys" ] || die "$dev: no $sys: not a disk the kernel knows"
	[ ! -e "$sys/partition" ] ||
		die "$dev is a partition: give the whole disk (e.g. /dev/sdb, not /dev/sdb1)"
	if [ "$(cat "$sys/removable" 2>/dev/null || echo 0)" != 1 ] &&
	   ! readlink -f "$sys/device" 2>/dev/null | grep -q '/usb[0-9]*/'; then
		die "$dev is not removable and not on USB: refusing to overwrite what is likely a system disk"
	fi
	size=$(( $(cat "$sys/size" 2>/dev/null || echo 0) * SECTOR ))
	[ "$size" -gt 0 ] || die "$dev: size unknown or 0 (no medium?)"
	[ "$size" -le "$MAX_BYTES" ] ||
		die "$dev is $((size >> 30)) GiB, more than a USB stick should be: refusing"
	for holder in "$dev" "/dev/$name" "$sys"/"$name"*; do
		holder=/dev/$(basename "$holder")
		if awk -v d="$holder" '$1 == d { found = 1 } END { exit !found }' "$mounts"; then
			die "$holder is mounted: unmount it first (umount $holder)"
		fi
		if [ -r "$swaps" ] && awk -v d="$holder" '$1 == d { found = 1 } END { exit !found }' "$swaps"; then
			die "$holder is in use as swap"
		fi
	done
}

[ $# -ge 2 ] || usage
esp=$1
shift
if [ "$1" = --image ]; then
	[ $# = 2 ] || usage
	make_image "$esp" "$2"
	exit 0
fi
dev=$1
dry=${2:-}
[ -z "$dry" ] || [ "$dry" = --dry-run ] || usage
check_device "$dev"
if [ "$dry" = --dry-run ]; then
	echo "mkusb: $dev passed every check: would write a ${IMAGE_MIB} MiB ESP image from $esp (dry run: nothing written)"
	exit 0
fi
tmp=$(mktemp "${TMPDIR:-/tmp}/hv-usb.XXXXXX")
trap 'rm -f "$tmp"' EXIT
make_image "$esp" "$tmp"
echo "mkusb: writing $tmp to $dev"
dd if="$tmp" of="$dev" bs=1M conv=fsync status=none || die "writing $dev failed"
sync
echo "mkusb: $dev ready: boot it with Secure Boot off (docs/running.md)"
