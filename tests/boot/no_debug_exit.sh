#!/usr/bin/env bash
# Without a debug_exit port (a real machine) the run still ends with a
# closing line that gives the verdict and says the machine is halted,
# instead of idling silently. QEMU cannot exit by itself here, so the test
# waits for that line and then stops QEMU.
source "$(dirname "$0")/lib.bash"

cfg=$(mktemp); trap 'rm -f "$cfg"' EXIT
cat >"$cfg" <<'EOT'
log_level = info
[guest vm1]
image = guests/hello.elf
memory = 4M
EOT
LOG=$LOGDIR/$TEST_NAME-halt.log
: >"$LOG"
"$ROOT/tools/qemu-run.sh" --config "$cfg" --timeout "$BOOT_TIMEOUT" --raw-status \
	--log "$LOG" </dev/null >"$LOG.qemu" 2>&1 &
qemu=$!
for _ in $(seq 1 "$BOOT_TIMEOUT"); do
	clean_log | grep -q '^\[hv\] stopped: ' && break
	kill -0 "$qemu" 2>/dev/null || break
	sleep 1
done
pkill -P "$qemu" 2>/dev/null; kill "$qemu" 2>/dev/null; wait "$qemu" 2>/dev/null
expect_line '^\[vmm\] vm1 exited with status 0$'
expect_line '^\[hv\] stopped: pass; no debug_exit port in hv.cfg: halted \(power off or reset the machine\)$' "a closing line without debug_exit"
finish
