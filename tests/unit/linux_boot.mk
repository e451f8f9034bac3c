# Linux bzImage loader (vmm/linux_boot.c): synthetic headers, layout, e820,
# zero page; the real Debian kernel too once `make linux-guest` has run.
UNIT_TESTS += linux_boot
linux_boot_SRCS := tests/unit/test_linux_boot.c vmm/linux_boot.c lib/format.c lib/string.c tests/unit/fixture.c
