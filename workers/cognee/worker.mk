# workers/cognee/worker.mk: build rules of the cognee worker's code-analysis core, included by the
# top Makefile. The tree-sitter grammars (generated C parsers pinned in grammars/package.json) are
# fetched once into build/grammars by grammars/fetch.sh (npm pack, no install scripts, checksums in
# grammars/SHA256SUMS), never committed, and compiled with their own relaxed flags: they are generated
# code, so no -Werror and no project warnings. The runtime is Debian's libtree-sitter (ABI 13-14).
#
#   make build/bin/argus-codegraph     development CLI: prints the model of a directory as JSON lines
#   make fuzz-build                    also builds the fuzz targets listed below (clang)

COGNEE_GRAMMAR_DIR   := build/grammars
COGNEE_GRAMMAR_STAMP := $(COGNEE_GRAMMAR_DIR)/.fetched
COGNEE_GRAMMARS      := javascript python typescript tsx
COGNEE_GRAMMAR_SRCDIR_javascript := $(COGNEE_GRAMMAR_DIR)/tree-sitter-javascript/src
COGNEE_GRAMMAR_SRCDIR_python     := $(COGNEE_GRAMMAR_DIR)/tree-sitter-python/src
COGNEE_GRAMMAR_SRCDIR_typescript := $(COGNEE_GRAMMAR_DIR)/tree-sitter-typescript/typescript/src
COGNEE_GRAMMAR_SRCDIR_tsx        := $(COGNEE_GRAMMAR_DIR)/tree-sitter-typescript/tsx/src
COGNEE_GRAMMAR_CFLAGS := -std=gnu11 -O2 -g0 -w $(SANFLAGS)
COGNEE_GRAMMAR_OBJ := $(foreach g,$(COGNEE_GRAMMARS),$(BUILD)/obj/grammars/$(g)_parser.o $(BUILD)/obj/grammars/$(g)_scanner.o)

COGNEE_PKGS     := tree-sitter libcrypto
COGNEE_CPPFLAGS := $(shell pkg-config --cflags $(COGNEE_PKGS))
COGNEE_LIBS     := $(shell pkg-config --libs $(COGNEE_PKGS))

# The analysis core: workers/cognee/code_*.c (no libargus, no stores).
COGNEE_CORE_SRC := $(sort $(wildcard workers/cognee/code_*.c))
COGNEE_CORE_OBJ := $(COGNEE_CORE_SRC:%.c=$(BUILD)/obj/%.o)

WORKER_cognee_CPPFLAGS := $(COGNEE_CPPFLAGS)
WORKER_cognee_LIBS     := $(COGNEE_LIBS)
WORKER_cognee_EXTRA_OBJ := $(COGNEE_GRAMMAR_OBJ)

$(COGNEE_GRAMMAR_STAMP): workers/cognee/grammars/package.json workers/cognee/grammars/SHA256SUMS \
                         workers/cognee/grammars/fetch.sh
	workers/cognee/grammars/fetch.sh $(COGNEE_GRAMMAR_DIR)
	touch $@

define cognee_grammar_rule
$$(BUILD)/obj/grammars/$(1)_%.o: $$(COGNEE_GRAMMAR_STAMP)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(COGNEE_GRAMMAR_CFLAGS) -I$$(COGNEE_GRAMMAR_SRCDIR_$(1)) -c $$(COGNEE_GRAMMAR_SRCDIR_$(1))/$$*.c -o $$@
endef
$(foreach g,$(COGNEE_GRAMMARS),$(eval $(call cognee_grammar_rule,$(g))))

# Unit tests test/unit/test_cognee_*.c link the core and the grammars (not the whole worker: the
# generic WORKER_cognee_UNIT_TESTS is off).
WORKER_cognee_UNIT_TESTS :=
COGNEE_UNIT_NAMES := $(notdir $(basename $(wildcard test/unit/test_cognee_*.c)))
$(foreach t,$(COGNEE_UNIT_NAMES),$(eval UNIT_$(t)_OBJ := $$(COGNEE_CORE_OBJ) $$(COGNEE_GRAMMAR_OBJ)))
$(foreach t,$(COGNEE_UNIT_NAMES),$(eval UNIT_$(t)_LIBS := $$(COGNEE_LIBS)))
$(COGNEE_UNIT_NAMES:%=$(BUILD)/test/unit/%): $(COGNEE_CORE_OBJ) $(COGNEE_GRAMMAR_OBJ)
$(COGNEE_UNIT_NAMES:%=$(BUILD)/obj/test/unit/%.o): ALL_CPPFLAGS += -Iworkers/cognee $(COGNEE_CPPFLAGS)

# Development CLI (not installed): workers/cognee/cli/codegraph.c.
$(BUILD)/bin/argus-codegraph: $(BUILD)/obj/workers/cognee/cli/codegraph.o $(COGNEE_CORE_OBJ) $(COGNEE_GRAMMAR_OBJ) $(LIBARGUS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(LIBARGUS) $(COGNEE_LIBS) $(LIBS)
$(BUILD)/obj/workers/cognee/cli/codegraph.o: ALL_CPPFLAGS += -Iworkers/cognee $(COGNEE_CPPFLAGS)
all: $(BUILD)/bin/argus-codegraph

# libFuzzer targets: the core and the grammars rebuilt with clang, ASan and fuzzer instrumentation
# (fuzz_code_analyze); the embeddings answer parser against the instrumented libargus that fuzz-build
# makes in build/fuzz/lib (fuzz_embed_answer).
COGNEE_FUZZ_DIR   := build/fuzz
COGNEE_FUZZ_FLAGS := $(FUZZ_FLAGS)
WORKER_FUZZ_TARGETS += fuzz_code_analyze fuzz_embed_answer
$(COGNEE_FUZZ_DIR)/fuzz_embed_answer: test/fuzz/fuzz_embed_answer.c workers/cognee/embeddings.c \
                                      $(wildcard workers/cognee/*.h) build/fuzz/lib/libargus.a
	@mkdir -p $(dir $@)
	clang $(WARN) $(COGNEE_FUZZ_FLAGS) -D_GNU_SOURCE -DARGUS_VERSION='"$(VERSION)"' $(WORKER_WALL) -Icommon/include -Iworkers/cognee \
	    $(PKG_CFLAGS) \
	    -o $@ test/fuzz/fuzz_embed_answer.c workers/cognee/embeddings.c build/fuzz/lib/libargus.a \
	    $(PKG_LIBS) -lpthread -lm
$(COGNEE_FUZZ_DIR)/grammars/%.o: $(COGNEE_GRAMMAR_STAMP)
	@mkdir -p $(dir $@)
	clang -std=gnu11 -w -g -O1 -fsanitize=fuzzer-no-link,address \
	    -I$(COGNEE_GRAMMAR_SRCDIR_$(firstword $(subst _, ,$*))) \
	    -c $(COGNEE_GRAMMAR_SRCDIR_$(firstword $(subst _, ,$*)))/$(lastword $(subst _, ,$*)).c -o $@
$(COGNEE_FUZZ_DIR)/fuzz_code_analyze: test/fuzz/fuzz_code_analyze.c $(COGNEE_CORE_SRC) $(wildcard workers/cognee/*.h) \
                                      $(foreach g,$(COGNEE_GRAMMARS),$(COGNEE_FUZZ_DIR)/grammars/$(g)_parser.o $(COGNEE_FUZZ_DIR)/grammars/$(g)_scanner.o)
	@mkdir -p $(dir $@)
	clang $(WARN) $(COGNEE_FUZZ_FLAGS) -D_GNU_SOURCE -Iworkers/cognee $(COGNEE_CPPFLAGS) \
	    -o $@ test/fuzz/fuzz_code_analyze.c $(COGNEE_CORE_SRC) $(filter %.o,$^) $(COGNEE_LIBS)

# argus-cognee-query (workers/cognee/cli/query.c): the read queries of the knowledge graph
# (query_table.c), the semantic layer (embeddings*.c) and the worker's settings table (cognee.c), not
# the analysis core.
COGNEE_QUERY_OBJ := $(addprefix $(BUILD)/obj/workers/cognee/,query_table.o query_format.o embeddings.o \
                      embeddings_graph.o embeddings_text.o embeddings_queue.o)
$(BUILD)/bin/argus-cognee-query: $(BUILD)/obj/workers/cognee/cli/query.o $(COGNEE_QUERY_OBJ) \
                                  $(BUILD)/obj/workers/cognee/cognee.o $(LIBARGUS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(LIBARGUS) $(LIBS)
$(BUILD)/obj/workers/cognee/cli/query.o: ALL_CPPFLAGS += -Iworkers/cognee
all: $(BUILD)/bin/argus-cognee-query

# Their unit tests need only those objects; the integration test of the semantic layer also links the
# analysis core and the graph write of an ingest (it embeds the fixture repository's code model after
# code_graph_write) and the backfill.
UNIT_test_cognee_query_OBJ      := $(COGNEE_QUERY_OBJ)
UNIT_test_cognee_embeddings_OBJ := $(COGNEE_QUERY_OBJ)
IT_test_cognee_semantic_OBJ     := $(COGNEE_QUERY_OBJ) $(BUILD)/obj/workers/cognee/ingest_write.o \
                                   $(BUILD)/obj/workers/cognee/embeddings_backfill.o \
                                   $(COGNEE_CORE_OBJ) $(COGNEE_GRAMMAR_OBJ)
IT_test_cognee_semantic_LIBS    := $(COGNEE_LIBS)
$(BUILD)/test/integration/test_cognee_semantic: $(IT_test_cognee_semantic_OBJ)
$(BUILD)/obj/test/integration/test_cognee_semantic.o $(BUILD)/obj/test/integration/test_cognee_query.o: \
    ALL_CPPFLAGS += -Iworkers/cognee $(COGNEE_CPPFLAGS)

# The outbound guard's integration test drives the repository fetch (repo_fetch.c) directly.
IT_test_url_guard_OBJ  := $(BUILD)/obj/workers/cognee/repo_fetch.o $(BUILD)/obj/workers/cognee/digest.o
IT_test_url_guard_LIBS := $(COGNEE_LIBS)
$(BUILD)/test/integration/test_url_guard: $(IT_test_url_guard_OBJ)
$(BUILD)/obj/test/integration/test_url_guard.o: ALL_CPPFLAGS += -Iworkers/cognee

.PHONY: install-cognee-query
install: install-cognee-query
install-cognee-query: $(BUILD)/bin/argus-cognee-query
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $< $(DESTDIR)$(PREFIX)/bin/

# docs/knowledge-graph.md carries the query reference generated from query_table.c: after changing a
# query, `make cognee-query-doc` rewrites that section (test_cognee_query fails until it is done).
.PHONY: cognee-query-doc
cognee-query-doc: $(BUILD)/bin/argus-cognee-query
	$(BUILD)/bin/argus-cognee-query --doc-markdown > $(BUILD)/knowledge-graph-queries.md
	awk -v gen=$(BUILD)/knowledge-graph-queries.md \
	    'index($$0, "<!-- BEGIN generated") == 1 { while ((getline l < gen) > 0) print l; skip = 1; next } \
	     index($$0, "<!-- END generated") == 1 { skip = 0; next } !skip' \
	    docs/knowledge-graph.md > $(BUILD)/knowledge-graph.md.new
	mv $(BUILD)/knowledge-graph.md.new docs/knowledge-graph.md
