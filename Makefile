# One build for libargus, the tools, the workers and the tests.
#
#   make                 libargus.a, tools and workers into build/
#   make test            unit tests, integration tests against real servers, deployment checks
#   make test-unit       unit tests only (no servers needed)
#   make san             the same build with ASan+UBSan into build/san/
#   make test-san        the whole suite under ASan+UBSan
#   make bench           benchmarks (figures against a baseline in the same run)
#   make fuzz            libFuzzer targets (clang)
#   make install         PREFIX=/usr/local DESTDIR=
#
# Every dependency comes through pkg-config. Sources are discovered by directory:
#   common/src/<layer>/*.c  -> libargus.a (layers base, kafka, stores, runtime: scripts/check-layers)
#   tools/<name>.c          -> bin/<name>
#   workers/<w>/*.c         -> bin/argus-<w>-worker (a worker may add rules in workers/<w>/worker.mk)
#   test/unit/test_*.c      -> test/unit/test_*          (cmocka, no servers)
#   test/integration/*.c    -> test/integration/test_*   (cmocka, real servers from scripts/devstack)
#
# The wall: every object under workers/ (and the test worker) is compiled with WORKER_WALL first on
# its include path, where librdkafka's header is one that stops the build; libargus's private
# headers compile only with ARGUS_LIBARGUS_INTERNAL, which only common/src gets. test/wall/run
# proves both (part of make test).

VERSION    := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
PREFIX     ?= /usr/local
DESTDIR    ?=
SAN        ?=
BUILD      ?= build$(if $(SAN),/san,)
CC         ?= cc

PKGS       := rdkafka hiredis libcjson libpq libcurl libmicrohttpd libidn2
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))
TEST_LIBS  := $(shell pkg-config --libs cmocka)

OPT        ?= -O2
CFLAGS     ?= $(OPT) -g
WARN       := -std=c11 -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
              -Wno-missing-field-initializers
SAN_ON     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
SANFLAGS   := $(if $(SAN),$(SAN_ON),)
WORKER_WALL := -Icommon/wall
ALL_CPPFLAGS = -D_GNU_SOURCE -DARGUS_VERSION='"$(VERSION)"' $(OBJ_WALL) $(OBJ_INTERNAL) -Icommon/include $(PKG_CFLAGS) \
               $(CPPFLAGS)
COMPILE_FLAGS = $(WARN) $(CFLAGS) $(SANFLAGS)
ALL_CFLAGS   = $(COMPILE_FLAGS) -MMD -MP
ALL_LDFLAGS  = $(SANFLAGS) $(LDFLAGS)
LIBS         = $(PKG_LIBS) -lpthread -lm

LIB_SRC    := $(sort $(wildcard common/src/*/*.c))
LIB_OBJ    := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
LIBARGUS   := $(BUILD)/libargus.a

TOOL_SRC   := $(sort $(wildcard tools/*.c))
TOOLS      := $(TOOL_SRC:tools/%.c=$(BUILD)/bin/%)

WORKER_DIRS := $(sort $(patsubst %/,%,$(dir $(wildcard workers/*/*.c))))
WORKER_NAMES := $(notdir $(WORKER_DIRS))
WORKERS    := $(WORKER_NAMES:%=$(BUILD)/bin/argus-%-worker)

UNIT_SRC   := $(sort $(wildcard test/unit/test_*.c))
UNIT_TESTS := $(UNIT_SRC:%.c=$(BUILD)/%)
IT_SRC     := $(sort $(wildcard test/integration/test_*.c))
IT_TESTS   := $(IT_SRC:%.c=$(BUILD)/%)
IT_HELPERS := $(filter-out $(IT_SRC),$(sort $(wildcard test/integration/*.c)))
IT_HELPER_OBJ := $(IT_HELPERS:%.c=$(BUILD)/obj/%.o)
BENCH_SRC  := $(sort $(wildcard bench/bench_*.c))
BENCHES    := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
TEST_WORKER := $(BUILD)/bin/argus-test-worker
TEST_WORKER_SRC := $(sort $(wildcard test/worker/*.c))

.PHONY: all lib tools workers tests benches test test-wall test-deploy fuzz-build test-unit test-integration san test-san \
        bench fuzz install clean
all: lib tools workers

lib: $(LIBARGUS)
tools: $(TOOLS)
workers: $(WORKERS)
tests: $(UNIT_TESTS) $(IT_TESTS) $(TEST_WORKER)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/obj/common/src/%.o: OBJ_INTERNAL := -DARGUS_LIBARGUS_INTERNAL
$(BUILD)/obj/workers/%.o $(BUILD)/obj/test/worker/%.o: OBJ_WALL := $(WORKER_WALL)

$(LIBARGUS): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/bin/%: $(BUILD)/obj/tools/%.o $(LIBARGUS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBARGUS) $(LIBS)

# Workers: workers/<w>/*.c, plus the .c files of the parts (subfolders) its worker.mk lists in
# WORKER_<w>_PARTS, linked with libargus into bin/argus-<w>-worker. The shared Makefile never names a
# worker: workers/<w>/worker.mk (optional; scripts/new-worker writes one) may set
#   WORKER_<w>_PARTS       subfolders whose sources belong to the binary
#   WORKER_<w>_CPPFLAGS    WORKER_<w>_LIBS    WORKER_<w>_EXTRA_OBJ (and the rules that make them)
#   WORKER_<w>_UNIT_TESTS  test/unit/<t>.c linked with the worker's objects but main.o and compiled with
#                          its headers (default: test_<w>.c and test_<w>_*.c)
#   WORKER_<w>_FUZZ        test/fuzz/<t>.c built by make fuzz-build with the worker's sources but main.c
#                          (default: fuzz_<w>_*.c)
#   WORKER_FUZZ_TARGETS += names of fuzzers it builds with rules of its own (into build/fuzz/)
#   and rules for anything else it builds (tools of its own, docs).
-include $(wildcard workers/*/worker.mk)

define worker_rule
$(1)_SRC := $$(sort $$(wildcard workers/$(1)/*.c $$(WORKER_$(1)_PARTS:%=workers/$(1)/%/*.c)))
$(1)_OBJ := $$($(1)_SRC:%.c=$$(BUILD)/obj/%.o)
$$($(1)_OBJ): ALL_CPPFLAGS += $$(WORKER_$(1)_CPPFLAGS)
$$(BUILD)/bin/argus-$(1)-worker: $$($(1)_OBJ) $$(WORKER_$(1)_EXTRA_OBJ) $$(LIBARGUS)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$($(1)_OBJ) $$(WORKER_$(1)_EXTRA_OBJ) $$(LIBARGUS) $$(WORKER_$(1)_LIBS) $$(LIBS)
WORKER_$(1)_UNIT_TESTS ?= $$(notdir $$(basename $$(wildcard test/unit/test_$(1).c test/unit/test_$(1)_*.c)))
WORKER_$(1)_FUZZ ?= $$(notdir $$(basename $$(wildcard test/fuzz/fuzz_$(1)_*.c)))
$$(foreach t,$$(WORKER_$(1)_UNIT_TESTS),$$(eval $$(call worker_unit_test,$(1),$$(t))))
$$(foreach t,$$(WORKER_$(1)_FUZZ),$$(eval $$(call worker_fuzz_target,$(1),$$(t))))
endef

# A unit test of worker $(1): test/unit/$(2).c with the worker's objects (not its main) and headers.
define worker_unit_test
UNIT_$(2)_OBJ := $$(filter-out %/main.o,$$($(1)_OBJ)) $$(WORKER_$(1)_EXTRA_OBJ)
UNIT_$(2)_LIBS := $$(WORKER_$(1)_LIBS)
$$(BUILD)/obj/test/unit/$(2).o: ALL_CPPFLAGS += -Iworkers/$(1) $$(WORKER_$(1)_CPPFLAGS)
endef

# A fuzz target of worker $(1): test/fuzz/$(2).c and the worker's sources (not its main) against the
# instrumented libargus that fuzz-build makes first.
define worker_fuzz_target
WORKER_FUZZ_TARGETS += $(2)
build/fuzz/$(2): test/fuzz/$(2).c $$(filter-out %/main.c,$$($(1)_SRC)) build/fuzz/lib/libargus.a
	@mkdir -p $$(dir $$@)
	clang $$(WARN) $$(FUZZ_FLAGS) -D_GNU_SOURCE -DARGUS_VERSION='"$$(VERSION)"' $$(WORKER_WALL) -Icommon/include \
	    -Iworkers/$(1) $$(PKG_CFLAGS) $$(WORKER_$(1)_CPPFLAGS) -o $$@ $$(filter %.c,$$^) build/fuzz/lib/libargus.a \
	    $$(WORKER_$(1)_LIBS) $$(PKG_LIBS) -lpthread -lm
endef
$(foreach w,$(WORKER_NAMES),$(eval $(call worker_rule,$(w))))

# Unit tests: one binary per file; a test may link objects named in UNIT_<name>_OBJ (a worker's, see
# above), which the binary then depends on; integration tests likewise with IT_<name>_OBJ.
# Keep every object: the chained pattern rules would otherwise delete them as intermediates.
.SECONDARY:
.SECONDEXPANSION:
$(BUILD)/test/unit/%: $(BUILD)/obj/test/unit/%.o $$(UNIT_$$*_OBJ) $(LIBARGUS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(UNIT_$*_OBJ) $(LIBARGUS) $(UNIT_$*_LIBS) $(TEST_LIBS) $(LIBS)

$(BUILD)/test/integration/%: $(BUILD)/obj/test/integration/%.o $(IT_HELPER_OBJ) $$(IT_$$*_OBJ) $(LIBARGUS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(IT_HELPER_OBJ) $(IT_$*_OBJ) $(LIBARGUS) $(IT_$*_LIBS) $(TEST_LIBS) $(LIBS)

$(TEST_WORKER): $(TEST_WORKER_SRC:%.c=$(BUILD)/obj/%.o) $(LIBARGUS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(LIBARGUS) $(LIBS)

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(LIBARGUS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(BENCH_$*_OBJ) $(LIBARGUS) $(BENCH_$*_LIBS) $(LIBS)

benches: $(BENCHES)

test-unit: $(UNIT_TESTS)
	@scripts/run-tests unit $(BUILD)

test-integration: all tests
	@scripts/run-tests integration $(BUILD)

test: all tests
	@$(MAKE) --no-print-directory test-wall
	@scripts/run-tests all $(BUILD)
	@test/deploy/run

# The layers and the wall around librdkafka (test/wall/run): bad handlers compiled as worker code
# must fail, for the reason each names.
test-wall: OBJ_WALL := $(WORKER_WALL)
test-wall:
	@test/wall/run $(CC) $(ALL_CPPFLAGS) $(COMPILE_FLAGS)

# Offline checks of docker/ and kubernetes/ (compose, schemas, policies, images' build steps).
test-deploy:
	@test/deploy/run

san:
	$(MAKE) SAN=1 all tests

test-san:
	$(MAKE) SAN=1 all tests
	@scripts/run-tests all build/san

bench: all tests benches
	@scripts/bench $(BUILD)

# libFuzzer targets (clang): test/fuzz/fuzz_*.c against a libargus built with coverage
# instrumentation and ASan+UBSan into build/fuzz/lib; the workers' own (WORKER_FUZZ_TARGETS, from
# their worker.mk) after it.
FUZZ_TARGETS := $(filter-out $(WORKER_FUZZ_TARGETS),$(notdir $(basename $(wildcard test/fuzz/fuzz_*.c))))
.PHONY: fuzz-lib
fuzz-lib:
	$(MAKE) CC=clang BUILD=build/fuzz/lib SAN=1 CFLAGS="-O1 -g -fsanitize=fuzzer-no-link" lib
# (Only in the outer make: inside fuzz-lib's own make that file is LIBARGUS, built from its objects.)
ifneq ($(BUILD),build/fuzz/lib)
build/fuzz/lib/libargus.a: fuzz-lib
endif

fuzz-build: fuzz-lib
	@mkdir -p build/fuzz
	for t in $(FUZZ_TARGETS); do \
	  clang $(WARN) $(FUZZ_FLAGS) -D_GNU_SOURCE -Icommon/include $(PKG_CFLAGS) test/fuzz/$$t.c \
	    build/fuzz/lib/libargus.a $(PKG_LIBS) -lpthread -lm -o build/fuzz/$$t || exit 1; \
	done
	$(MAKE) $(WORKER_FUZZ_TARGETS:%=build/fuzz/%)

fuzz: fuzz-build
	@scripts/fuzz

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/argus \
	           $(DESTDIR)$(PREFIX)/share/argus/migrations $(DESTDIR)$(PREFIX)/share/argus/config
	install -m 0755 $(TOOLS) $(WORKERS) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 $(LIBARGUS) $(DESTDIR)$(PREFIX)/lib/
	install -m 0644 common/include/argus/*.h $(DESTDIR)$(PREFIX)/include/argus/
	for d in $(notdir $(patsubst %/,%,$(wildcard common/include/argus/*/))); do \
	  install -d $(DESTDIR)$(PREFIX)/include/argus/$$d && \
	  install -m 0644 common/include/argus/$$d/*.h $(DESTDIR)$(PREFIX)/include/argus/$$d/ || exit 1; \
	done
	install -m 0644 migrations/*.sql $(DESTDIR)$(PREFIX)/share/argus/migrations/
	install -m 0644 config/* $(DESTDIR)$(PREFIX)/share/argus/config/

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
