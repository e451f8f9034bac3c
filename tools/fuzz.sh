#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz_*.c) with clang and runs
# each for FUZZ_SECONDS (default 60) from its seed corpus. Findings land in
# build/fuzz/NAME/ as crash-*/timeout-* files; the script fails if any.
#   tools/fuzz.sh [NAME...]      e.g. tools/fuzz.sh config
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-60}
cflags=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-I. -DHV_HOST_TEST)

declare -A srcs=(
	[acpi]="kernel/acpi.c tests/unit/log_stub.c"
	[dmar]="iommu/dmar.c kernel/acpi.c tests/unit/log_stub.c"
	[config]="boot/config.c lib/format.c lib/string.c"
	[elf]="vmm/elf.c lib/format.c lib/string.c"
)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(acpi dmar config elf)

status=0
for n in "${names[@]}"; do
	[ -n "${srcs[$n]:-}" ] || { echo "fuzz: unknown target $n" >&2; exit 2; }
	out=build/fuzz/$n
	mkdir -p "$out/corpus"
	# shellcheck disable=SC2086
	clang "${cflags[@]}" tests/fuzz/fuzz_$n.c ${srcs[$n]} -o "$out/fuzz_$n"
	echo "fuzz $n: ${secs}s"
	if ! (cd "$out" && ./fuzz_$n -max_total_time="$secs" -timeout=5 \
		corpus "../../../tests/fuzz/corpus/$n" >fuzz.log 2>&1); then
		echo "fuzz $n: FOUND A PROBLEM, see $out/fuzz.log"
		tail -n 30 "$out/fuzz.log"
		status=1
	else
		grep -E '^Done|#[0-9]+.*DONE' "$out/fuzz.log" | tail -n 1
	fi
done
exit $status
