#!/usr/bin/env bash
# A config with mistakes: every error is printed with its line number, no
# guest is started, the hypervisor still boots with the rest, and the run
# fails. A guest whose image is missing or empty is reported by name, the
# other guests still run, and the run fails.
source "$(dirname "$0")/lib.bash"

cfg=$(mktemp); trap 'rm -f "$cfg"' EXIT
# One config with every kind of mistake (one boot: each is a line of its
# own): an unknown key, a bad size suffix, and the mistakes a user makes
# most.
cat >"$cfg" <<'EOT'
selftest = on
debug_exit = 0xf4
log_levl = debug
[guest vm1]
image = guests/hello.elf
memory = 0
device = vf 0
[guest vm1]
image = guests/hello.elf
[guest test]
image = guests/hello.elf
[guest vm2]
image = guests/hello.elf
cpus = 99
device = vf 0
[guest vm3]
image = guests/hello.elf
memory = 64Q
EOT
boot errors "$cfg"
expect_exit $EXIT_FAIL "errors in the config fail the run"
expect_line "^\[boot\] hv.cfg line 3: unknown key 'log_levl'"
expect_line "^\[boot\] hv.cfg line 6: memory = 0: too small: at least 2M"
expect_line "^\[boot\] hv.cfg line 8: \[guest vm1\] defined twice \(first at line 4\)"
expect_line "^\[boot\] hv.cfg line 10: guest name 'test' is reserved: the hypervisor logs as \[test\]"
expect_line "^\[boot\] hv.cfg line 14: cpus = 99: expected a vCPU count from 1 to [0-9]+"
expect_line "^\[boot\] hv.cfg line 15: device = vf 0: already given to guest vm1 at line 7"
expect_line "^\[boot\] hv.cfg line 18: memory = 64Q: unknown size suffix 'Q'"
expect_line '^\[boot\] config has 7 error\(s\): no guest will be started, the run fails$'
expect_line '^\[test\] FAIL config: hv.cfg has 7 error\(s\): no guest was started$'
expect_line '^\[test\] self-test: [0-9]+ passed, 1 failed'
expect_no_line '^\[vmm\] vm[123]: vCPU'

# Guests that cannot start, in one boot: a missing image and an empty one
# are named, a typo in what a test expects must not pass by default; the
# other guest still runs, and the run fails.
: >"$ROOT/build/esp/guests/empty.elf"
cat >"$cfg" <<'EOT'
selftest = on
debug_exit = 0xf4
[guest ghost]
image = guests/does-not-exist.elf
[guest hollow]
image = guests/empty.elf
[guest typo]
image = guests/hello.elf
memory = 4M
cmdline = "status=3 expect=stoped"
[guest vm2]
image = guests/hello.elf
memory = 4M
EOT
boot unstartable "$cfg"
rm -f "$ROOT/build/esp/guests/empty.elf"
expect_exit $EXIT_FAIL "guests that cannot start fail the run"
expect_line '^\[boot\] guest ghost: cannot load image guests/does-not-exist.elf: not found'
expect_line '^\[vmm\] error: ghost: image guests/does-not-exist.elf could not be loaded \(see the \[boot\] line\); not started$'
expect_line '^\[test\] FAIL ghost: not started'
# A zero-byte image is not "missing": it is named as empty, and fails.
expect_line '^\[boot\] guest hollow: image guests/empty.elf is empty \(0 bytes\)$'
expect_line '^\[vmm\] error: hollow: image guests/empty.elf is empty \(0 bytes\); not started$'
expect_line '^\[test\] FAIL hollow: not started'
expect_line "^\[vmm\] error: typo: cmdline word 'expect=stoped': expect= takes a number or 'stopped'"
expect_line '^\[test\] FAIL typo: not started'
expect_line '^\[vmm\] vm2 exited with status 0$' "the other guest still runs"
finish
