# Guest images for the VMM tests. Included by the top-level
# Makefile; every guest is an ELF64 static executable linked at 1 MiB by
# guest-tests/guest.ld, built into $(BUILD)/esp/guests/NAME.elf so every
# QEMU run finds it on the ESP as guests/NAME.elf.
GUESTS := hello timer badmem priv net devread hostile mbxattack vfirq

GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -fno-builtin -fno-pic -fno-pie -fno-stack-protector \
	-fno-strict-aliasing -fno-asynchronous-unwind-tables -mno-red-zone \
	-mgeneral-regs-only -mno-sse -mno-mmx -mcmodel=small -I.
GUEST_LDFLAGS := -nostdlib -static -no-pie -T guest-tests/guest.ld \
	-z max-page-size=4096 -z noexecstack --no-dynamic-linker

GUEST_RT_SRCS := guest-tests/rt/start.S guest-tests/rt/rt.c lib/format.c lib/string.c
GUEST_RT_OBJS := $(patsubst %,$(BUILD)/guest/%.o,$(basename $(GUEST_RT_SRCS)))

$(BUILD)/guest/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/guest/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

# Guests that need more of lib/ than the runtime list it here.
GUEST_LIBS_net := lib/igbvf.c lib/arp.c guest-tests/vf_mmio.c
GUEST_LIBS_vfirq := lib/igbvf.c lib/arp.c guest-tests/vf_mmio.c guest-tests/rt/pci.c
GUEST_LIBS_mbxattack := lib/igbvf.c lib/arp.c guest-tests/vf_mmio.c
guest_lib_objs = $(patsubst %.c,$(BUILD)/guest/%.o,$(GUEST_LIBS_$(1)))

.SECONDEXPANSION:
$(BUILD)/esp/guests/%.elf: $(BUILD)/guest/guest-tests/%.o $(GUEST_RT_OBJS) \
		$$(call guest_lib_objs,$$*) guest-tests/guest.ld
	@mkdir -p $(dir $@)
	$(LD) $(GUEST_LDFLAGS) $(GUEST_RT_OBJS) $(call guest_lib_objs,$*) $< -o $@

GUEST_TARGETS += $(patsubst %,$(BUILD)/esp/guests/%.elf,$(GUESTS))

-include $(wildcard $(BUILD)/guest/guest-tests/*.d $(BUILD)/guest/guest-tests/rt/*.d $(BUILD)/guest/lib/*.d)
