# shellcheck shell=bash
# Sourced by tools/qemu-run.sh and tools/bochs-run.sh: a config that names
# linux/vmlinuz or linux/initramfs.cpio.gz gets the pinned inputs of `make
# linux-guest` (docs/linux-guest.md) there on the ESP. A config naming other
# files brings its own (qemu-run --add).

# config_names CONFIG PATH: some kernel/initrd/image line of CONFIG is PATH.
config_names() {
	grep -Eqi "^[[:space:]]*(kernel|initrd|image)[[:space:]]*=[[:space:]]*\"?$2\"?[[:space:]]*(#.*)?$" "$1"
}

# linux_inputs ROOT CONFIG TOOL [ESP]: prints the paths on this machine of
# the pinned inputs CONFIG names and ESP does not hold yet, one a line; it
# fails (after one line on stderr naming make linux-guest) when one of them
# is missing.
linux_inputs() {
	local deps=$1/build/deps/linux f
	[ -n "$2" ] || return 0
	for f in vmlinuz initramfs.cpio.gz; do
		config_names "$2" "linux/$f" || continue
		[ -n "${4:-}" ] && [ -f "$4/linux/$f" ] && continue
		if [ ! -f "$deps/$f" ]; then
			echo "$3: $2 names linux/$f but $deps/$f is missing (run make linux-guest, or give your own file)" >&2
			return 1
		fi
		echo "$deps/$f"
	done
}
