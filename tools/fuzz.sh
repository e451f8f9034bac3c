#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz_NAME.c) with clang and runs
# each from its committed seed corpus (tests/fuzz/corpus/NAME/).
#   tools/fuzz.sh [--short | --build] [NAME...]    default: every target
#
#   --build  only build them (as many at once as there are CPUs)
#   --short  what `make test` runs: FUZZ_SHORT_RUNS (20000) executions with
#            a fixed seed (FUZZ_SEED, 1) and no ASLR, from a fresh copy of
#            the seeds: a fixed amount of work on (nearly) the same inputs.
#   default  what `make fuzz` runs: FUZZ_RUNS (1000000) executions with a
#            random seed, from a scratch corpus under build/ that keeps what
#            earlier runs found.
# The committed corpus is only ever read. FUZZ_ARGS adds libFuzzer options
# (e.g. FUZZ_ARGS=-max_total_time=600). A crash, leak or timeout fails the
# run; its input is kept in tests/fuzz/crashes/NAME/ and the command that
# replays it is printed. Exit status: 0 clean, 1 a finding or a build error.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
root=$PWD

CLANG=${CLANG:-clang}
# shellcheck disable=SC2054 # commas inside one clang option
cflags=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-fno-omit-frame-pointer -I. -DHV_HOST_TEST)

# What each target links besides its tests/fuzz/fuzz_NAME.c.
declare -A srcs=(
	[acpi]="kernel/acpi.c tests/unit/log_stub.c"
	[dmar]="iommu/dmar.c iommu/vtd_plan.c lib/format.c kernel/acpi.c tests/unit/log_stub.c"
	[config]="boot/config.c lib/format.c lib/string.c"
	[elf]="vmm/elf.c lib/format.c lib/string.c"
	[x86_decode]="vmm/x86_decode.c"
	[igb_mbx]="drivers/igb_mbx.c tests/unit/log_stub.c"
	[bzimage]="vmm/linux_boot.c lib/format.c lib/string.c"
	[platform]="vmm/vrtc.c vmm/vpic.c lib/civil_time.c"
)

# libFuzzer options of a target. igb_mbx: 512 bytes hold some 50
# messages, plenty for any state; longer inputs only slow it down tenfold.
declare -A opts=(
	[igb_mbx]="-max_len=512"
)

mode=full
names=()
for arg in "$@"; do
	case "$arg" in
	--short) mode=short ;;
	--build) mode=build ;;
	-*) echo "fuzz: unknown option $arg" >&2; exit 2 ;;
	*) names+=("$arg") ;;
	esac
done
if [ ${#names[@]} -eq 0 ]; then
	for f in tests/fuzz/fuzz_*.c; do
		n=${f#tests/fuzz/fuzz_}
		names+=("${n%.c}")
	done
fi

# Rebuilds build/fuzz/NAME/fuzz_NAME when the command line changed or a
# source or header it includes (clang -MM, kept in fuzz_NAME.d) is newer.
build_target() {
	local n=$1 out=build/fuzz/$1 bin=build/fuzz/$1/fuzz_$1 cmd dep f
	# shellcheck disable=SC2206
	local files=(tests/fuzz/fuzz_$n.c ${srcs[$n]})

	mkdir -p "$out"
	cmd="$CLANG ${cflags[*]} ${files[*]} -o $bin"
	if [ -x "$bin" ] && [ -f "$bin.d" ] && [ "$(cat "$bin.cmd" 2>/dev/null)" = "$cmd" ]; then
		dep=current
		# shellcheck disable=SC2013 # the depfile is words, not lines
		for f in $(sed -e 's/^[^:]*://' -e 's/\\$//' "$bin.d"); do
			if [ ! -e "$f" ] || [ "$f" -nt "$bin" ]; then
				dep=stale
				break
			fi
		done
		[ "$dep" = current ] && return 0
	fi
	rm -f "$bin.cmd"
	if ! $cmd >"$out/build.log" 2>&1; then
		echo "fuzz $n: FAILED to build: $cmd"
		head -n 30 "$out/build.log"
		return 1
	fi
	$CLANG -MM -I. -DHV_HOST_TEST "${files[@]}" >"$bin.d" &&
		echo "$cmd" >"$bin.cmd"
}

# The scratch corpus libFuzzer reads and grows: never the committed one.
prepare_corpus() {
	local n=$1 dir=$2

	[ "$mode" = short ] && rm -rf "$dir"
	mkdir -p "$dir"
	if [ -d "tests/fuzz/corpus/$n" ]; then
		cp -n tests/fuzz/corpus/"$n"/* "$dir"/ 2>/dev/null
	fi
	return 0
}

# First lines of the report in log (a failed CHECK, the sanitizer's or
# libFuzzer's), without the frames of libFuzzer, the sanitizers and libc.
print_report() {
	local log=$1 first

	first=$(grep -n -m1 -E '^==(fuzz|[0-9]+)==|runtime error:|^ERROR: libFuzzer|ALARM: working on the last Unit' "$log" | cut -d: -f1)
	[ -n "$first" ] || first=1
	tail -n "+$first" "$log" |
		grep -v -E ' in (fuzzer::|__sanitizer|__interceptor|__pthread_kill|raise|abort|__libc_start|_start|main) |libc\.so|^$|^NOTE: |^ +Combine libFuzzer|^stat::|^Base64:' |
		head -n 16 | sed 's/^/    /'
}

run_target() {
	local n=$1 out=build/fuzz/$1 bin corpus crashes runs seed log start
	local artifact norandom
	bin=$root/$out/fuzz_$n
	crashes=tests/fuzz/crashes/$n
	log=$out/fuzz-$mode.log
	norandom=""
	if [ "$mode" = short ]; then
		runs=${FUZZ_SHORT_RUNS:-20000}
		seed=${FUZZ_SEED:-1}
		corpus=$out/corpus-short
		# libFuzzer hashes code addresses (compare tracing): without
		# ASLR a fixed seed repeats the same run, on most targets to
		# the last execution (config drifts after a few thousand).
		setarch "$(uname -m)" -R true 2>/dev/null &&
			norandom="setarch $(uname -m) -R"
	else
		runs=${FUZZ_RUNS:-1000000}
		seed=${FUZZ_SEED:-0} # 0: libFuzzer picks one and logs it
		corpus=$out/corpus
	fi
	prepare_corpus "$n" "$corpus"
	mkdir -p "$crashes"
	start=$(date +%s)
	# shellcheck disable=SC2086
	if (cd "$out" && $norandom "$bin" -runs="$runs" -seed="$seed" -timeout=5 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$root/$crashes/" ${opts[$n]:-} ${FUZZ_ARGS:-} \
		"$root/$corpus") >"$log" 2>&1; then
		printf 'fuzz %s: %s runs, %s, %s s\n' "$n" \
			"$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")" \
			"$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9a-zA-Z]+' "$log" | tail -n1)" \
			"$(($(date +%s) - start))"
		rmdir "$crashes" tests/fuzz/crashes 2>/dev/null
		return 0
	fi
	artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n1)
	artifact=${artifact#"$root/"}
	echo "fuzz $n: FAILED: the target crashed, leaked or timed out (log: $log)"
	if [ -n "$artifact" ] && [ -e "$artifact" ]; then
		echo "  reproducer: $artifact"
		echo "  replay:     $out/fuzz_$n $artifact"
	else
		echo "  no reproducer written; see the log"
	fi
	print_report "$log"
	return 1
}

# Builds every target in names, nproc at a time; fails if one did not.
build_all() {
	local n jobs=0 status=0

	for n in "${names[@]}"; do
		if [ "$jobs" -ge "$(nproc)" ]; then
			wait -n || status=1
			jobs=$((jobs - 1))
		fi
		build_target "$n" &
		jobs=$((jobs + 1))
	done
	while [ "$jobs" -gt 0 ]; do
		wait -n || status=1
		jobs=$((jobs - 1))
	done
	return $status
}

for n in "${names[@]}"; do
	if [ -z "${srcs[$n]:-}" ] || [ ! -f "tests/fuzz/fuzz_$n.c" ]; then
		echo "fuzz: unknown target $n (add it to srcs in $0)" >&2
		exit 2
	fi
done
if [ "$mode" = build ]; then
	build_all
	exit
fi
# Build in parallel first; a failed build is retried and shown below.
[ ${#names[@]} -gt 1 ] && build_all >/dev/null
status=0
for n in "${names[@]}"; do
	if ! build_target "$n" || ! run_target "$n"; then
		status=1
	fi
done
exit $status
