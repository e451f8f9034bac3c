UNIT_TESTS += elf
elf_SRCS := tests/unit/test_elf.c vmm/elf.c lib/format.c lib/string.c
