#!/usr/bin/env bash
# The layering of docs/architecture.md as a test: arrows point down only.
# Checks every #include "..." of the hypervisor's and guests' sources and
# prints each one that points up or sideways as file:line, with the rule it
# breaks. Exits 1 if there is any.
#   tools/check-layers.sh [ROOT]
#
#   guest-tests/  lib/ and their own files only (the guest ABI is in lib/)
#   vmm/          anything below it
#   iommu/        kernel/, lib/, its own: no drivers/, no vmm/, no guest
#                 configuration (boot/config.h)
#   drivers/      kernel/, iommu/, lib/, its own: no vmm/, no boot/config.h
#   kernel/       lib/, its own, and from boot/ only the hand-off format
#                 (boot/bootinfo.h and the parsed config it carries)
#   boot/         kernel/ (it calls kernel_main), lib/, its own
#   lib/          lib/ only
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2

# dir: space-separated prefixes that dir may not include, then reason.
forbidden() {
	case $1 in
	guest-tests) echo "boot/ kernel/ iommu/ drivers/ vmm/" ;;
	iommu) echo "drivers/ vmm/ boot/config.h" ;;
	drivers) echo "vmm/ boot/config.h" ;;
	kernel) echo "iommu/ drivers/ vmm/ boot/" ;;
	boot) echo "iommu/ drivers/ vmm/" ;;
	lib) echo "boot/ kernel/ iommu/ drivers/ vmm/ guest-tests/" ;;
	esac
}

# Includes a layer may make although a forbidden prefix matches.
allowed() {
	case "$1:$2" in
	kernel:boot/bootinfo.h | kernel:boot/config.h) return 0 ;;
	esac
	return 1
}

bad=0
checked=0
for dir in guest-tests vmm iommu drivers kernel boot lib; do
	deny=$(forbidden "$dir")
	[ -n "$deny" ] || continue
	while IFS= read -r hit; do
		file=${hit%%:*}
		rest=${hit#*:}
		line=${rest%%:*}
		inc=$(printf '%s\n' "${rest#*:}" | sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p')
		[ -n "$inc" ] || continue
		checked=$((checked + 1))
		allowed "$dir" "$inc" && continue
		for p in $deny; do
			case $inc in
			"$p"*)
				echo "$file:$line: $dir/ includes $inc: arrows point down only (docs/architecture.md)"
				bad=$((bad + 1))
				break ;;
			esac
		done
	done < <(grep -rn --include='*.c' --include='*.h' --include='*.S' \
		'^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$dir" 2>/dev/null)
done

if [ "$bad" != 0 ]; then
	echo "check-layers: $bad include(s) against the layering, $checked checked"
	exit 1
fi
echo "check-layers: $checked includes follow the layering"
