# ACPI table discovery and parsers (kernel/acpi.c) on captured QEMU tables.
UNIT_TESTS += acpi
acpi_SRCS := tests/unit/test_acpi.c kernel/acpi.c kernel/cpu_plan.c lib/format.c tests/unit/log_stub.c tests/unit/fixture.c
