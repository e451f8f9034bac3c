# lib/format.c against glibc's snprintf; lib/string.c as the kernel builds it.
UNIT_TESTS += format
format_SRCS := tests/unit/test_format.c lib/format.c \
	$(BUILD)/unit/obj/string-kernel.o

# lib/string.c defines nothing libc has under -DHV_HOST_TEST, so build it
# again with the kernel's own flags and rename memcpy -> k_memcpy and so on,
# so the test can call the kernel's versions next to the host's.
STRING_KERNEL_SYMS := memcpy memmove memset memcmp strlen strnlen strcmp \
	strncmp strchr strlcpy

$(BUILD)/unit/obj/string-kernel.o: lib/string.c lib/string.h lib/types.h
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -c $< -o $@.tmp
	objcopy $(foreach s,$(STRING_KERNEL_SYMS),--redefine-sym $(s)=k_$(s)) \
		$@.tmp $@
	@rm -f $@.tmp
