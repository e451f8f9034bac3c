#!/usr/bin/env bash
# A config with mistakes: every error is printed with its line number, no
# guest is started, and the hypervisor still boots with the rest. A guest
# whose image is missing is reported by name.
source "$(dirname "$0")/lib.bash"

cfg=$(mktemp); trap 'rm -f "$cfg"' EXIT
cat >"$cfg" <<'EOT'
selftest = on
debug_exit = 0xf4
log_levl = debug
[guest vm1]
image = guests/hello.elf
memory = 64Q
EOT
boot errors "$cfg"
expect_exit $EXIT_PASS "boots with what parsed"
expect_line "^\[boot\] hv.cfg line 3: unknown key 'log_levl'"
expect_line "^\[boot\] hv.cfg line 6: memory = 64Q: unknown size suffix 'Q'"
expect_line '^\[boot\] config has 2 error\(s\): no guest will be started'
expect_line '^\[test\] self-test: [0-9]+ passed, 0 failed'

cat >"$cfg" <<'EOT'
selftest = on
debug_exit = 0xf4
[guest ghost]
image = guests/does-not-exist.elf
EOT
boot missing "$cfg"
expect_exit $EXIT_PASS "a missing image does not stop the hypervisor"
expect_line '^\[boot\] guest ghost: cannot load image guests/does-not-exist.elf: not found'
finish
