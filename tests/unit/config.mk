# boot/config.c: the \hv.cfg parser. lib/string.c supplies strlcpy on hosts
# whose libc lacks it (glibc < 2.38) and nothing else there.
UNIT_TESTS += config
config_SRCS := tests/unit/test_config.c boot/config.c lib/format.c lib/string.c
