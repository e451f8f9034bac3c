# Shared helpers for the QEMU boot tests. Each test script sources this,
# calls boot ... once or more, then the expect_* checks. Any failed check
# prints the tail of the serial log and makes the script exit non-zero.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TEST_NAME=$(basename "$0" .sh)
LOGDIR=${LOGDIR:-$ROOT/build/test-logs}
mkdir -p "$LOGDIR"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-120}
LOG=""
STATUS=0
FAILS=0

# boot LABEL CONFIG [qemu-run options...]
boot() {
	local label=$1 config=$2
	shift 2
	LOG=$LOGDIR/$TEST_NAME-$label.log
	: >"$LOG"
	"$ROOT/tools/qemu-run.sh" --config "$config" --timeout "$BOOT_TIMEOUT" --raw-status \
		--log "$LOG" "$@" </dev/null >"$LOG.qemu" 2>&1
	STATUS=$?
	if [ "$STATUS" = 124 ] || [ "$STATUS" = 137 ]; then
		fail "timed out after ${BOOT_TIMEOUT}s"
	fi
}

# boot_bochs3 LABEL CONFIG [bochs-run options...]: the same under Bochs 3.0
# (VMX with posted interrupts) in the trixie chroot that
# tools/trixie-chroot.sh makes on first use (~1 min, ~550 MB).
boot_bochs3() {
	local label=$1 config=$2 chroot_dir
	shift 2
	LOG=$LOGDIR/$TEST_NAME-$label.log
	: >"$LOG"
	if ! chroot_dir=$("$ROOT/tools/trixie-chroot.sh" 2>"$LOG.qemu"); then
		fail "cannot prepare the Bochs 3.0 chroot: $(tail -n 3 "$LOG.qemu")"
		finish
	fi
	"$ROOT/tools/bochs-run.sh" --chroot "$chroot_dir" --config "$config" \
		--timeout "${BOCHS_TIMEOUT:-240}" --log "$LOG" "$@" \
		</dev/null >>"$LOG.qemu" 2>&1
	STATUS=$?
	[ "$STATUS" = 124 ] && fail "Bochs timed out"
}

fail() {
	echo "FAIL [$TEST_NAME] $*"
	echo "---- last 40 lines of $LOG ----"
	tail -n 40 "$LOG" | tr -d '\r' | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g'
	[ -s "$LOG.qemu" ] && { echo "---- qemu stderr ----"; tail -n 10 "$LOG.qemu"; }
	echo "----"
	FAILS=$((FAILS + 1))
}

# The serial log with CRs and the firmware's escape codes removed.
clean_log() {
	tr -d '\r' <"$LOG" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g'
}

expect_exit() {
	[ "$STATUS" = "$1" ] || fail "exit status $STATUS, expected $1 ($2)"
}

# expect_line REGEX [description]: some line of the log matches REGEX.
expect_line() {
	clean_log | grep -Eq -- "$1" || fail "no line matching: $1${2:+ ($2)}"
}

expect_no_line() {
	if clean_log | grep -Eq -- "$1"; then
		fail "unexpected line matching: $1${2:+ ($2)}"
	fi
}

# expect_count REGEX N: exactly N lines match.
expect_count() {
	local n
	n=$(clean_log | grep -Ec -- "$1")
	[ "$n" = "$2" ] || fail "$n lines match '$1', expected $2"
}

# The Linux guest's inputs (make linux-guest, docs/linux-guest.md): about
# 107 MB from Debian's mirror the first time, a no-op after. A failed
# fetch fails the test, it never skips it.
need_linux_guest() {
	if ! make -C "$ROOT" -s linux-guest >"$LOGDIR/$TEST_NAME-fetch.log" 2>&1; then
		echo "FAIL [$TEST_NAME] make linux-guest failed:"
		tail -n 20 "$LOGDIR/$TEST_NAME-fetch.log"
		exit 1
	fi
}

finish() {
	if [ "$FAILS" = 0 ]; then
		echo "PASS [$TEST_NAME]"
		exit 0
	fi
	exit 1
}

# Exit statuses (kernel/shutdown.h): QEMU exits with (code << 1) | 1.
EXIT_PASS=33
EXIT_FAIL=35
EXIT_PANIC=37
