# netinit: top-level build.  `make help` lists the targets.
#
# Sources are listed by each folder's build.mk (one owner per folder); every
# tests/unit/test_*.c is a cmocka unit test and every fuzz/fuzz_*.c a
# libFuzzer target, found by wildcard.

BUILD      ?= build
CC         ?= gcc
CLANG      ?= clang
KCONFIG_CONFIG ?= .config
export KCONFIG_CONFIG
KVER       ?= $(shell ls -1 /lib/modules 2>/dev/null | sort -V | tail -n 1)
FUZZ_SECONDS ?= 20

# The static libkmod/libmount are built once and shared by every BUILD dir.
DEPS_DIR    ?= build
DEPS_PREFIX := $(DEPS_DIR)/deps/prefix
DEPS_STAMP  := $(DEPS_DIR)/deps/.built
CONFIG_H    := $(BUILD)/include/netinit_config.h

CPPFLAGS += -D_GNU_SOURCE -I$(BUILD)/include -Iinit -Inet -Ifetch -Imount -Ihooks -I$(DEPS_PREFIX)/include
CFLAGS   ?= -Os -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Wshadow -Wformat=2 -Wno-unused-parameter \
            -Wmissing-prototypes -Wstrict-prototypes -fno-common \
            -ffunction-sections -fdata-sections
# Order matters for static linking: libmount needs libblkid, libkmod its decompressors.
LIBS_INIT := -L$(DEPS_PREFIX)/lib -lkmod -lmount -lblkid -lsodium -lzstd -llzma -lz
LDFLAGS_INIT := -static -Wl,--gc-sections

INIT_SRCS :=
HOST_TOOLS :=
CHECK_TIERS :=

include init/build.mk
include mount/build.mk
include net/build.mk
include fetch/build.mk
include hooks/build.mk
include server/build.mk
include install.mk

INIT_MAIN := init/main.c
LIB_SRCS  := $(filter-out $(INIT_MAIN),$(INIT_SRCS))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRCS := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRCS:fuzz/%.c=$(BUILD)/fuzz/%)

.DEFAULT_GOAL := all

.PHONY: all init initramfs check check-full unit fuzz fuzz-smoke vm-test demo bench install-deps deps \
        defconfig menuconfig nconfig oldconfig allnoconfig allyesconfig clean distclean help

all: $(BUILD)/init $(HOST_TOOLS)

help:
	@echo "make               build build/init (static) and the host tools"
	@echo "make initramfs     build/initramfs.img for KVER=$(KVER)"
	@echo "make check         install test dependencies, build, run every test tier"
	@echo "make check-full    make check plus the VM tests over CI's time budget (doc/testing.md)"
	@echo "make demo          PXE-boot two diskless Debian nodes in QEMU (NFS + HTTP), DEMO=quick: one busybox node"
	@echo "make bench         side-by-side benchmark against dracut and initramfs-tools"
	@echo "make fuzz          run every fuzzer longer (FUZZ_SECONDS=$(FUZZ_SECONDS))"
	@echo "make menuconfig | defconfig | allnoconfig | allyesconfig"

# ---- configuration (kconfig-frontends) ----
KCONF_DIR = @mkdir -p $(dir $(KCONFIG_CONFIG))
# A .config from before a new Kconfig symbol gets that symbol's default
# (as the kernel's olddefconfig), not a silent "n".
$(KCONFIG_CONFIG): Kconfig
	$(KCONF_DIR)
	if [ -f $@ ]; then kconfig-conf --olddefconfig Kconfig >/dev/null; touch $@; \
	else kconfig-conf --alldefconfig Kconfig >/dev/null; fi
defconfig:
	$(KCONF_DIR)
	kconfig-conf --alldefconfig Kconfig
allnoconfig:
	$(KCONF_DIR)
	kconfig-conf --allnoconfig Kconfig
allyesconfig:
	$(KCONF_DIR)
	kconfig-conf --allyesconfig Kconfig
oldconfig:
	kconfig-conf --oldconfig Kconfig
menuconfig:
	kconfig-mconf Kconfig
nconfig:
	kconfig-nconf Kconfig

$(CONFIG_H): $(KCONFIG_CONFIG) Kconfig deps/genconfig.sh
	@mkdir -p $(dir $@)
	sh deps/genconfig.sh Kconfig $(KCONFIG_CONFIG) $@

# ---- dependencies ----
install-deps:
	bash .ci/install-deps

$(DEPS_STAMP): deps/build-static-deps.sh
	bash deps/build-static-deps.sh $(DEPS_DIR)
	@touch $@
deps: $(DEPS_STAMP)

# ---- init ----
$(BUILD)/obj/%.o: %.c $(CONFIG_H) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libnetinit.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/init: $(BUILD)/obj/init/main.o $(BUILD)/libnetinit.a
	$(CC) $(LDFLAGS_INIT) -o $@ $^ $(LIBS_INIT)
	@strip -o $@.stripped $@ && echo "init: $$(stat -c %s $@.stripped) bytes stripped, $$(file -b $@ | cut -d, -f1-2,4)"
init: $(BUILD)/init

# ---- initramfs ----
initramfs: $(BUILD)/init
	KVER=$(KVER) bash mkinitramfs/netinit-mkinitramfs --init $(BUILD)/init.stripped \
		--kver $(KVER) --output $(BUILD)/initramfs.img $(MKINITRAMFS_FLAGS)

# ---- tests ----
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libnetinit.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -o $@ $< $(BUILD)/libnetinit.a $(LIBS_INIT) -lcmocka

unit: $(UNIT_BINS)
	bash tests/run-unit.sh $(UNIT_BINS)

# libFuzzer targets: the library sources again, instrumented, in their own tree.
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
$(BUILD)/fuzzobj/%.o: %.c $(CONFIG_H) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CLANG) $(CPPFLAGS) $(FUZZ_CFLAGS) -c -o $@ $<
$(BUILD)/fuzz/libnetinit-fuzz.a: $(LIB_SRCS:%.c=$(BUILD)/fuzzobj/%.o)
	@mkdir -p $(dir $@); rm -f $@; ar rcs $@ $^
$(BUILD)/fuzz/%: fuzz/%.c $(BUILD)/fuzz/libnetinit-fuzz.a
	$(CLANG) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/fuzz/libnetinit-fuzz.a $(LIBS_INIT)
fuzz-smoke: $(FUZZ_BINS)
	bash tests/run-fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BINS)
fuzz: $(FUZZ_BINS)
	bash tests/run-fuzz.sh $(if $(filter 20,$(FUZZ_SECONDS)),600,$(FUZZ_SECONDS)) $(FUZZ_BINS)

vm-test: initramfs
	bash test-vm/run-tests.sh

# `make check`: the one test command (README.md, .ci/run).
check:
	bash tests/check.sh

# `make check` plus the VM tests marked "# check: full" (over CI's budget).
check-full:
	CHECK_FULL=1 bash tests/check.sh

# demo and bench do their own set-up too: packages first, then the build.
demo:
	bash .ci/install-deps
	$(MAKE) all initramfs
	bash test-vm/demo.sh

bench:
	bash .ci/install-deps
	$(MAKE) all initramfs
	bash bench/run.sh

clean:
	rm -rf $(BUILD)/obj $(BUILD)/fuzzobj $(BUILD)/fuzz $(BUILD)/tests $(BUILD)/init* $(BUILD)/lib*.a $(BUILD)/include $(BUILD)/vm
distclean:
	rm -rf $(BUILD) $(KCONFIG_CONFIG) $(KCONFIG_CONFIG).old

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
