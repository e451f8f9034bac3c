# VM exits by kind (vmm/exit_kind.c): which port, which MSR, the format
# the closing report and make bench read.
UNIT_TESTS += exit_kind
exit_kind_SRCS := tests/unit/test_exit_kind.c vmm/exit_kind.c vmm/vpic.c lib/format.c lib/string.c
