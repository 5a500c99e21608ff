# workers/healing/worker.mk: build rules of the selector healing engine (workers/healing/engine: no
# libargus, no stores; libgumbo for HTML, libxml2 for XPath) and its CLI, included by the top Makefile.
# No .c file lives directly in workers/healing/: that directory is the future worker's.
#
#   build/bin/argus-heal          the CLI (workers/healing/cli/heal.c)
#   make heal-fuzz                libFuzzer targets test/fuzz/fuzz_heal_*.c (clang), part of make fuzz
#   make heal-bench               accuracy and speed on the corpus (part of make bench)
#   make heal-browser-check       the corpus and our evaluators against Chromium (part of make test)

HEAL_PKGS     := gumbo libxml-2.0
HEAL_CPPFLAGS := -Iworkers/healing/engine $(shell pkg-config --cflags $(HEAL_PKGS))
HEAL_LIBS     := $(shell pkg-config --libs $(HEAL_PKGS))

HEAL_ENGINE_SRC := $(sort $(wildcard workers/healing/engine/*.c))
HEAL_ENGINE_OBJ := $(HEAL_ENGINE_SRC:%.c=$(BUILD)/obj/%.o)
HEAL_ENGINE_LIB := $(BUILD)/libargus-heal.a

$(HEAL_ENGINE_OBJ): ALL_CPPFLAGS += $(HEAL_CPPFLAGS)
$(HEAL_ENGINE_LIB): $(HEAL_ENGINE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

# The CLI uses only the engine (its JSON output is written by hand, no libargus).
$(BUILD)/bin/argus-heal: $(BUILD)/obj/workers/healing/cli/heal.o $(HEAL_ENGINE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(HEAL_ENGINE_LIB) $(HEAL_LIBS) -lm
$(BUILD)/obj/workers/healing/cli/heal.o: ALL_CPPFLAGS += $(HEAL_CPPFLAGS)
all: $(BUILD)/bin/argus-heal

# Unit tests test/unit/test_heal_*.c link the engine.
HEAL_UNIT_NAMES := $(notdir $(basename $(wildcard test/unit/test_heal_*.c)))
$(foreach t,$(HEAL_UNIT_NAMES),$(eval UNIT_$(t)_OBJ := $$(HEAL_ENGINE_LIB)))
$(foreach t,$(HEAL_UNIT_NAMES),$(eval UNIT_$(t)_LIBS := $$(HEAL_LIBS)))
$(HEAL_UNIT_NAMES:%=$(BUILD)/obj/test/unit/%.o): ALL_CPPFLAGS += $(HEAL_CPPFLAGS)

.PHONY: install-heal
install: install-heal
install-heal: $(BUILD)/bin/argus-heal
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $< $(DESTDIR)$(PREFIX)/bin/

# The accuracy benchmark and the corpus judge it shares with test_heal_corpus (bench/heal_corpus.c).
HEAL_CORPUS_OBJ := $(BUILD)/obj/bench/heal_corpus.o
$(HEAL_CORPUS_OBJ): ALL_CPPFLAGS += $(HEAL_CPPFLAGS)
$(BUILD)/obj/bench/bench_heal.o: ALL_CPPFLAGS += $(HEAL_CPPFLAGS) -Ibench
BENCH_bench_heal_OBJ  := $(HEAL_CORPUS_OBJ) $(HEAL_ENGINE_LIB)
BENCH_bench_heal_LIBS := $(HEAL_LIBS)
$(BUILD)/bench/bench_heal: $(HEAL_CORPUS_OBJ) $(HEAL_ENGINE_LIB)
UNIT_test_heal_corpus_OBJ := $(HEAL_CORPUS_OBJ) $(HEAL_ENGINE_LIB)
$(BUILD)/test/unit/test_heal_corpus: $(HEAL_CORPUS_OBJ) $(HEAL_ENGINE_LIB)
$(BUILD)/obj/test/unit/test_heal_corpus.o: ALL_CPPFLAGS += -Ibench

.PHONY: heal-bench
heal-bench: $(BUILD)/bench/bench_heal
	$(BUILD)/bench/bench_heal test/fixtures/healing

# Chromium as the judge (test/browser): the corpus is what it claims, and our CSS, XPath and
# Playwright evaluation agrees with the browser's on every corpus page. A prerequisite of make test.
.PHONY: heal-browser-check
heal-browser-check: $(BUILD)/bin/argus-heal
	@test/browser/run $(BUILD)
test: heal-browser-check

# libFuzzer targets test/fuzz/fuzz_heal_*.c: the engine compiled once with clang, ASan, UBSan and
# fuzzer instrumentation into build/fuzz/heal (libgumbo and libxml2 stay the system's), each target
# linked against those objects; listed in WORKER_FUZZ_TARGETS so make fuzz-build builds them.
HEAL_FUZZ_NAMES := $(notdir $(basename $(wildcard test/fuzz/fuzz_heal_*.c)))
WORKER_FUZZ_TARGETS += $(HEAL_FUZZ_NAMES)
HEAL_FUZZ_FLAGS := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined
HEAL_FUZZ_OBJ   := $(HEAL_ENGINE_SRC:workers/healing/engine/%.c=build/fuzz/heal/%.o)
.PHONY: heal-fuzz
heal-fuzz: $(HEAL_FUZZ_NAMES:%=build/fuzz/%)
build/fuzz/heal/%.o: workers/healing/engine/%.c $(wildcard workers/healing/engine/*.h)
	@mkdir -p $(dir $@)
	clang $(WARN) $(HEAL_FUZZ_FLAGS) -fsanitize=fuzzer-no-link -D_GNU_SOURCE $(HEAL_CPPFLAGS) -c $< -o $@
build/fuzz/fuzz_heal_%: test/fuzz/fuzz_heal_%.c test/fuzz/fuzz_heal_selector.h $(HEAL_FUZZ_OBJ)
	@mkdir -p $(dir $@)
	clang $(WARN) $(HEAL_FUZZ_FLAGS) -fsanitize=fuzzer -D_GNU_SOURCE $(HEAL_CPPFLAGS) -Itest/fuzz \
	    -o $@ $< $(HEAL_FUZZ_OBJ) $(HEAL_LIBS) -lpthread -lm
