#!/usr/bin/env bash
# Runs source checks (scripts that read the tree, e.g. tools/check-layers.sh),
# host unit tests (cmocka binaries), short fuzz runs (tools/fuzz.sh --short,
# one test per target) and boot tests (scripts that boot QEMU), then prints
# one summary line: "N passed, N failed". Each boot test's seconds follow
# its result, and the boot tests' sum and the whole run's seconds come
# before the summary (docs/testing.md: the time budget).
#   tools/run-tests.sh [--check SCRIPT...] [--unit BIN...] [--fuzz TARGET...]
#                      [--boot SCRIPT...]
set -u
passed=0
failed=0
failed_names=()
mode=""
boot_s=0
run_start=$SECONDS

run_unit() {
	local bin=$1 out p f
	out=$("$bin" 2>&1)
	local rc=$?
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1 # crashed (sanitizer, signal) before cmocka could count
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" != 0 ]; then
		failed_names+=("unit:$(basename "$bin")")
		printf '%s\n' "$out" | tail -n 30
	fi
	echo "unit $(basename "$bin"): $p passed, $f failed"
}

# A check is one test: exit status 0 passes; its output says what is wrong.
run_check() {
	local script=$1 out
	if out=$(bash "$script" 2>&1); then
		passed=$((passed + 1))
		echo "check $(basename "$script" .sh): ok"
	else
		failed=$((failed + 1))
		failed_names+=("check:$(basename "$script" .sh)")
		printf '%s\n' "$out"
		echo "check $(basename "$script" .sh): FAILED"
	fi
}

# Fuzz targets are collected, then built all at once (in parallel) and run
# one by one when the next mode starts or the arguments end.
fuzz_targets=()

run_fuzz() {
	local target

	[ ${#fuzz_targets[@]} -gt 0 ] || return 0
	"$(dirname "$0")/fuzz.sh" --build "${fuzz_targets[@]}" >/dev/null
	for target in "${fuzz_targets[@]}"; do
		if "$(dirname "$0")/fuzz.sh" --short "$target"; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
			failed_names+=("fuzz:$target")
		fi
	done
	fuzz_targets=()
}

run_boot() {
	local script=$1 start end
	start=$(date +%s)
	if bash "$script"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failed_names+=("boot:$(basename "$script" .sh)")
	fi
	end=$(date +%s)
	boot_s=$((boot_s + end - start))
	echo "boot $(basename "$script" .sh): $((end - start)) s"
}

for arg in "$@"; do
	case "$arg" in
	--check) run_fuzz; mode=check ;;
	--unit) run_fuzz; mode=unit ;;
	--fuzz) mode=fuzz ;;
	--boot) run_fuzz; mode=boot ;;
	*)
		case "$mode" in
		check) run_check "$arg" ;;
		unit) run_unit "$arg" ;;
		fuzz) fuzz_targets+=("$arg") ;;
		boot) run_boot "$arg" ;;
		*) echo "run-tests: say --check, --unit, --fuzz or --boot first" >&2; exit 2 ;;
		esac ;;
	esac
done
run_fuzz

[ "$boot_s" -gt 0 ] && echo "boot tests: $boot_s s in all"
echo "time: $((SECONDS - run_start)) s"
if [ ${#failed_names[@]} -gt 0 ]; then
	echo "failed: ${failed_names[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
