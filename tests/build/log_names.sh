#!/usr/bin/env bash
# Every LOG_SUBSYS the hypervisor logs under is a reserved guest name
# (lib/log_names.h), so a guest cannot print lines that pass for it.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
list=$(sed -n '/define HV_LOG_SUBSYSTEMS/,/^$/p' lib/log_names.h | grep -o '"[a-z0-9_-]*"' | tr -d '"')
missing=0
for s in $(grep -rhoE '^#define LOG_SUBSYS "[^"]+"' --include='*.c' boot kernel iommu drivers vmm lib |
	   sed 's/.*"\(.*\)"/\1/' | sort -u); do
	if ! grep -qx "$s" <<<"$list"; then
		echo "FAIL [log_names] LOG_SUBSYS \"$s\" is not in lib/log_names.h HV_LOG_SUBSYSTEMS"
		missing=1
	fi
done
[ "$missing" = 0 ] && echo "PASS [log_names]"
exit $missing
