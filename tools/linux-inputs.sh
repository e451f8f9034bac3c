# shellcheck shell=bash
# Sourced by tools/qemu-run.sh and tools/bochs-run.sh: a config with a
# Linux guest (a kernel = line) finds the pinned inputs of `make
# linux-guest` (docs/linux-guest.md) under linux/ on the ESP.
#
# linux_inputs ROOT CONFIG TOOL prints their paths on this machine, or
# nothing when CONFIG has no Linux guest; it fails (after one line on
# stderr naming make linux-guest) when one of them is missing.
linux_inputs() {
	local deps=$1/build/deps/linux f
	[ -n "$2" ] && grep -Eqi '^[[:space:]]*kernel[[:space:]]*=' "$2" || return 0
	for f in vmlinuz initramfs.cpio.gz; do
		if [ ! -f "$deps/$f" ]; then
			echo "$3: $2 has a Linux guest but $deps/$f is missing (run make linux-guest)" >&2
			return 1
		fi
		echo "$deps/$f"
	done
}
