#!/usr/bin/env bash
# After a build, `make` with no goal rebuilds what a changed source needs:
# the default goal is `all`, not a dependency file included before it.
# `make -n -W FILE` asks what would run if FILE were newer, touching nothing.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
out=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -n -W kernel/main.c 2>&1)
if grep -q 'kernel/main.c -o build/hv/kernel/main.o' <<<"$out" &&
   grep -q 'build/hv.efi' <<<"$out"; then
	echo "PASS [make_incremental]"
	exit 0
fi
echo "FAIL [make_incremental] 'make' after a change to kernel/main.c would not rebuild it:"
printf '%s\n' "$out" | tail -n 10
exit 1
