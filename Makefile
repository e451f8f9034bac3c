# Top-level build. `make` builds the UEFI image; `make run` boots it in QEMU;
# `make test` runs the host unit tests, short fuzz runs and the boot tests.
#
# Layout of the outputs (all under build/):
#   build/hv.efi           the UEFI application (also EFI/BOOT/BOOTX64.EFI)
#   build/hv.elf           the same code as an ELF with symbols, for gdb
#   build/esp/             an ESP directory QEMU serves as a FAT drive
#   build/unit/            host unit test binaries

BUILD   ?= build
CC      := gcc
LD      := ld
OBJCOPY := objcopy
HOSTCC  ?= gcc

EFI_INC := /usr/include/efi
EFI_LIB := /usr/lib
EFI_CRT := $(EFI_LIB)/crt0-efi-x86_64.o

# The hypervisor is one PE image built the gnu-efi way: position-independent
# code, relocated by gnu-efi's start code. Everything after ExitBootServices
# is freestanding: no SSE (we never save FPU state on exceptions), no red
# zone (interrupts use the same stack), frame pointers kept for backtraces.
HV_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -fno-builtin -fpic -fshort-wchar -fno-stack-protector \
	-fno-strict-aliasing -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fvisibility=hidden -mno-red-zone -mgeneral-regs-only -mno-sse -mno-mmx \
	-I. -I$(EFI_INC) -I$(EFI_INC)/x86_64 -DGNU_EFI_USE_MS_ABI -DHV_KERNEL
HV_LDFLAGS := -nostdlib -znocombreloc -shared -Bsymbolic -T linker.ld \
	--no-undefined -z max-page-size=4096

HV_SRCS := $(wildcard boot/*.c kernel/*.c iommu/*.c drivers/*.c vmm/*.c lib/*.c)
HV_ASMS := $(wildcard boot/*.S kernel/*.S vmm/*.S)
HV_OBJS := $(patsubst %.c,$(BUILD)/hv/%.o,$(HV_SRCS)) \
	   $(patsubst %.S,$(BUILD)/hv/%.o,$(HV_ASMS))

.PHONY: all deps run debug test unit boot-tests fuzz bench clean linux-guest \
	hwcheck usb bochs-linux
# guests.mk includes dependency files: without this, the first of them
# would become the default goal and a plain `make` would build nothing.
.DEFAULT_GOAL := all
# Guest images (guest-tests/guests.mk adds them to GUEST_TARGETS; they are
# built into $(BUILD)/esp/guests/ so every QEMU run finds them on the ESP).
GUEST_TARGETS :=
-include guest-tests/guests.mk
all: $(BUILD)/hv.efi $(BUILD)/esp/EFI/BOOT/BOOTX64.EFI $(GUEST_TARGETS)

deps:
	@tools/install-deps.sh

$(BUILD)/hv/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/hv/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/hv.elf: $(HV_OBJS) linker.ld
	$(LD) $(HV_LDFLAGS) $(EFI_CRT) $(HV_OBJS) -o $@ \
		-L$(EFI_LIB) -lgnuefi
	@! nm -u $@ | grep . || (echo "undefined symbols in $@" && false)

$(BUILD)/hv.efi: $(BUILD)/hv.elf
	$(OBJCOPY) -j .text -j .rodata -j .data -j .dynamic -j .dynsym \
		-j .rela -j .reloc --target efi-app-x86_64 \
		--subsystem=10 $< $@

$(BUILD)/esp/EFI/BOOT/BOOTX64.EFI: $(BUILD)/hv.efi
	@mkdir -p $(dir $@)
	cp $< $@
	tools/mkesp.sh $(BUILD)/esp

# ---- running in QEMU ----------------------------------------------------
# run and test install missing tools first: they are the README's two
# commands on a fresh machine.
# make run boots CONFIG (the web + client demo by default) with the web
# guest's HTTP and iperf ports forwarded from 127.0.0.1:RUN_HTTP_PORT and
# 127.0.0.1:RUN_IPERF_PORT; it stays up until Ctrl-C, or RUN_TIMEOUT
# seconds if given. RUN_SMP: one CPU for the hypervisor plus one per guest.
CONFIG ?= tests/configs/default.cfg
RUN_TIMEOUT ?= 0
RUN_SMP ?= 3
RUN_HTTP_PORT ?= 8080
RUN_IPERF_PORT ?= 5001
# ESP_ADD: extra files for the run's ESP, as ESP_PATH=FILE words (your own
# Linux kernel or initramfs: docs/linux-guest.md).
ESP_ADD ?=
run: deps
	$(MAKE) all
	tools/qemu-run.sh --esp $(BUILD)/esp --config $(CONFIG) --smp $(RUN_SMP) \
		--demo $(RUN_HTTP_PORT):$(RUN_IPERF_PORT) --timeout $(RUN_TIMEOUT) \
		$(foreach f,$(ESP_ADD),--add $(f))

debug: deps
	$(MAKE) all
	tools/qemu-run.sh --esp $(BUILD)/esp --gdb

# ---- hwcheck: what hv would do on a machine, from its ACPI tables ----------
# The hypervisor's own parsers and decision code, built for the host.
HWCHECK_SRCS := tools/hwcheck.c kernel/acpi.c kernel/cpu_plan.c iommu/dmar.c \
	iommu/vtd_plan.c lib/format.c
hwcheck: $(BUILD)/hwcheck

$(BUILD)/hwcheck: $(HWCHECK_SRCS) $(wildcard lib/*.h kernel/*.h iommu/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
		-I. -DHV_HOST_TEST $(HWCHECK_SRCS) -o $@

# A bootable USB stick (ESP) on DISK: tools/mkusb.sh refuses mounted,
# non-removable or system disks (docs/running.md).
usb: all
	tools/mkusb.sh $(BUILD)/esp $(DISK)

# ---- tests ---------------------------------------------------------------
# Each tests/unit/NAME.mk adds NAME to UNIT_TESTS and sets NAME_SRCS.
UNIT_TESTS :=
include $(wildcard tests/unit/*.mk)
UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-omit-frame-pointer -I. -DHV_HOST_TEST
UNIT_BINS := $(patsubst %,$(BUILD)/unit/%,$(UNIT_TESTS))

UNIT_HDRS := $(wildcard lib/*.h kernel/*.h iommu/*.h boot/*.h drivers/*.h vmm/*.h tests/unit/*.h)

.SECONDEXPANSION:
$(UNIT_BINS): $(BUILD)/unit/%: $$($$*_SRCS) $(UNIT_HDRS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) $($*_SRCS) -o $@ -lcmocka

# Source checks run with the unit tests: fast, and a failure names file:line.
CHECKS := tools/check-layers.sh $(wildcard tests/build/*.sh)

unit: $(UNIT_BINS) $(BUILD)/hwcheck
	tools/run-tests.sh --check $(CHECKS) --unit $(UNIT_BINS)

boot-tests: all
	tools/run-tests.sh --boot tests/boot/*.sh

test: deps
	$(MAKE) all $(UNIT_BINS) $(BUILD)/hwcheck
	tools/run-tests.sh --check $(CHECKS) --unit $(UNIT_BINS) \
		--fuzz $(FUZZ_TARGETS) --boot tests/boot/*.sh

# libFuzzer targets: tests/fuzz/fuzz_NAME.c (tools/fuzz.sh builds them with
# clang). `make test` gives each a short fixed run, `make fuzz` 10^6 runs.
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))

fuzz: deps
	tools/fuzz.sh $(FUZZ_TARGETS)

bench: all
	tools/bench.sh

# The Linux guest on the VMX backend under Bochs 2.7 (docs/linux-guest.md):
# about 130 s, so make test runs only its Bochs 3.0 variant (linux_vmx3).
bochs-linux: all
	tools/run-tests.sh --boot tests/bochs/linux_vmx.sh

# Inputs of the Linux guest (docs/linux-guest.md): a pinned Debian kernel,
# igbvf.ko and a busybox initramfs in $(BUILD)/deps/linux. It downloads
# about 107 MB, so `make test` does not run it.
linux-guest:
	OUT=$(BUILD)/deps/linux tools/fetch-linux.sh

clean:
	rm -rf $(BUILD)

-include $(HV_OBJS:.o=.d)
