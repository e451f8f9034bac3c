# Guest images for the VMM tests. Included by the top-level
# Makefile; every guest is an ELF64 static executable linked at 1 MiB by
# guest-tests/guest.ld, built into $(BUILD)/esp/guests/NAME.elf so every
# QEMU run finds it on the ESP as guests/NAME.elf.
GUESTS := hello timer badmem priv net devread hostile mbxattack vfirq xirq
# TCP/IP guests with lwIP (below): make run's demo and tests/boot/lwip_*.sh.
GUESTS += web client

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
guest_lib_objs = $(patsubst %.c,$(BUILD)/guest/%.o,$(GUEST_LIBS_$(1))) \
	$(GUEST_OBJS_$(1))

# ---- lwIP 2.1.3 for the network guests ------------------------------------
# Fetched by tools/fetch-lwip.sh from Debian's source package (sha256
# pinned) into $(LWIP_DIR), never committed; built freestanding with
# -nostdinc: the compiler's own headers (stdint, stddef, stdbool, stdarg)
# and guest-tests/lwip/include's string.h/stdlib.h/stdio.h, which are
# lib/string.h and the port. NO_SYS=1 (guest-tests/lwip/lwipopts.h).
LWIP_DIR := $(BUILD)/deps/lwip
LWIP_STAMP := $(LWIP_DIR)/.sha256
LWIP_SRCS := core/init.c core/def.c core/inet_chksum.c core/ip.c core/mem.c \
	core/memp.c core/netif.c core/pbuf.c core/raw.c core/stats.c \
	core/sys.c core/tcp.c core/tcp_in.c core/tcp_out.c core/timeouts.c \
	core/udp.c core/ipv4/dhcp.c core/ipv4/etharp.c core/ipv4/icmp.c \
	core/ipv4/ip4.c core/ipv4/ip4_addr.c core/ipv4/ip4_frag.c \
	netif/ethernet.c
LWIP_APP_SRCS := apps/http/httpd.c apps/http/fs.c apps/lwiperf/lwiperf.c
LWIP_CORE_OBJS := $(patsubst %.c,$(BUILD)/lwip/%.o,$(LWIP_SRCS))
LWIP_APP_OBJS := $(patsubst %.c,$(BUILD)/lwip/%.o,$(LWIP_APP_SRCS))
LWIP_OBJS := $(LWIP_CORE_OBJS) $(LWIP_APP_OBJS)
LWIP_INC := -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-Iguest-tests/lwip/include -Iguest-tests/lwip -I$(LWIP_DIR)/src/include
# lwIP's own code is third-party: its warnings are not ours to fix.
LWIP_CFLAGS := $(filter-out -Werror -Wextra,$(GUEST_CFLAGS)) $(LWIP_INC) -w
# Our port and the lwIP guests: the usual guest flags, lwIP's headers.
LWIP_PORT_SRCS := guest-tests/lwip/vfnet.c guest-tests/lwip/port.c
LWIP_USERS := $(patsubst %.c,$(BUILD)/guest/%.o,$(LWIP_PORT_SRCS) \
	guest-tests/web.c guest-tests/client.c)
$(LWIP_USERS): GUEST_CFLAGS += $(LWIP_INC)
$(LWIP_USERS): | $(LWIP_STAMP)

$(LWIP_STAMP):
	tools/fetch-lwip.sh $(LWIP_DIR)

$(LWIP_OBJS): $(BUILD)/lwip/%.o: guest-tests/lwip/lwipopts.h guest-tests/lwip/arch/cc.h | $(LWIP_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(LWIP_CFLAGS) -MMD -MP -c $(LWIP_DIR)/src/$*.c -o $@

LWIP_GUEST_LIBS := lib/igbvf.c lib/arp.c lib/crc32.c guest-tests/vf_mmio.c \
	guest-tests/rt/pci.c \
	$(LWIP_PORT_SRCS)
GUEST_LIBS_web := $(LWIP_GUEST_LIBS)
GUEST_LIBS_client := $(LWIP_GUEST_LIBS)
GUEST_OBJS_web := $(LWIP_CORE_OBJS) $(LWIP_APP_OBJS)
GUEST_OBJS_client := $(LWIP_CORE_OBJS)

.SECONDEXPANSION:
$(BUILD)/esp/guests/%.elf: $(BUILD)/guest/guest-tests/%.o $(GUEST_RT_OBJS) \
		$$(call guest_lib_objs,$$*) guest-tests/guest.ld
	@mkdir -p $(dir $@)
	$(LD) $(GUEST_LDFLAGS) $(GUEST_RT_OBJS) $(call guest_lib_objs,$*) $< -o $@

GUEST_TARGETS += $(patsubst %,$(BUILD)/esp/guests/%.elf,$(GUESTS))

# Guests packed as Linux bzImages (guest-tests/rt/bzhdr.S, linked at
# 1 MiB by guest-tests/bzimage.ld): a config gives them with kernel =,
# so the VMM starts them as it starts Linux, on the Linux platform.
# build/esp/guests/NAME.bzimage.
BZ_GUESTS := pcattack
BZ_RT_OBJS := $(BUILD)/guest/guest-tests/rt/bzhdr.o \
	$(BUILD)/guest/guest-tests/rt/bzentry.o $(GUEST_RT_OBJS)

$(BUILD)/guest/%.bz.elf: $(BUILD)/guest/guest-tests/%.o $(BZ_RT_OBJS) guest-tests/bzimage.ld
	$(LD) -nostdlib -static -no-pie -T guest-tests/bzimage.ld -z noexecstack \
		--no-dynamic-linker $(BZ_RT_OBJS) $< -o $@

$(BUILD)/esp/guests/%.bzimage: $(BUILD)/guest/%.bz.elf
	@mkdir -p $(dir $@)
	objcopy -O binary $< $@

GUEST_TARGETS += $(patsubst %,$(BUILD)/esp/guests/%.bzimage,$(BZ_GUESTS))

-include $(wildcard $(BUILD)/guest/guest-tests/*.d $(BUILD)/guest/guest-tests/rt/*.d $(BUILD)/guest/lib/*.d)
-include $(wildcard $(BUILD)/guest/guest-tests/lwip/*.d $(LWIP_OBJS:.o=.d))
