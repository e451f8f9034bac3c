#!/usr/bin/env bash
# tools/hwcheck on every real machine of ../shared/real-acpi/ (README.md
# there): its summary line and exit status must match
# tests/hwcheck/expected.tsv, one line per machine (how each column is
# derived is written at the top of that file). Also feeds one machine as
# acpidump text through acpixtract, as a user would.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${HWCHECK_CORPUS:-$root/../shared/real-acpi}
bin=$root/${BUILD:-build}/hwcheck
expected=$root/tests/hwcheck/expected.tsv
if [ ! -d "$corpus" ]; then
	echo "hwcheck: skipped: no real-machine tables at $corpus (CI has ../shared/real-acpi)"
	exit 0
fi
[ -x "$bin" ] || make -s -C "$root" hwcheck || exit 1
bad=0
n=0
declare -A seen
while IFS=$'\t' read -r m vtd ir x2 units rmrr cpus; do
	case "$m" in '#'* | '') continue ;; esac
	seen[$m]=1
	n=$((n + 1))
	want="hwcheck: vtd=$vtd ir=$ir x2apic=$x2 units=$units rmrr=$rmrr cpus=$cpus"
	if [ ! -d "$corpus/$m" ]; then
		echo "hwcheck: $m: listed in expected.tsv, missing from $corpus"
		bad=1
		continue
	fi
	out=$("$bin" "$corpus/$m")
	rc=$?
	got=$(printf '%s\n' "$out" | tail -n 1)
	want_rc=1
	[ "$vtd" = on ] && want_rc=0
	if [ "$got" != "$want" ] || [ "$rc" != "$want_rc" ]; then
		echo "hwcheck: $m:"
		echo "  expected: $want (exit $want_rc)"
		echo "  got:      $got (exit $rc)"
		bad=1
	fi
done <"$expected"
for d in "$corpus"/*/; do
	m=$(basename "$d")
	if [ -z "${seen[$m]:-}" ]; then
		echo "hwcheck: $m has no line in tests/hwcheck/expected.tsv"
		bad=1
	fi
done
# The acpidump route: same verdict from text as from the raw files.
if command -v acpixtract >/dev/null; then
	m=linuxhw__Mini_Pc_Apple_Macmini6_Macmini6,2_11618970C18C
	tmp=$(mktemp "${TMPDIR:-/tmp}/hwcheck-dump.XXXXXX")
	python3 "$root/tests/hwcheck/mkdump.py" "$corpus/$m" >"$tmp"
	a=$(HWCHECK_BIN=$bin "$root/tools/hwcheck" "$tmp" | tail -n 1)
	b=$("$bin" "$corpus/$m" | tail -n 1)
	rm -f "$tmp"
	if [ "$a" != "$b" ]; then
		echo "hwcheck: acpidump text of $m: '$a', raw tables: '$b'"
		bad=1
	fi
else
	echo "hwcheck: acpixtract missing (tools/install-deps.sh installs acpica-tools): acpidump route not tested"
	bad=1
fi
[ "$bad" = 0 ] && echo "hwcheck: $n machines as expected"
exit "$bad"
