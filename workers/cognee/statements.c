/* The Cypher of the cognee worker's coalesced writes: every statement takes `$rows` and MERGEs on
 * ids, so a redelivered event changes nothing. Nodes first, then the relationships that MATCH them,
 * then the per-test statistics recomputed from the RAN history. */
#include "cognee.h"

const struct argus_graph_statement cognee_statements[ST_COUNT] = {
    [ST_TEST] = {"UNWIND $rows AS r MERGE (t:Test {id: r.id}) SET t += r.props"},
    [ST_RUN] = {"UNWIND $rows AS r MERGE (n:Run {id: r.id}) SET n += r.props"},
    [ST_FAILURE] = {"UNWIND $rows AS r MERGE (f:Failure {id: r.id}) SET f += r.props"},
    [ST_SELECTOR] = {"UNWIND $rows AS r MERGE (s:Selector {id: r.id}) SET s.kind = r.kind, s.value = r.value"},
    [ST_PATTERN] = {"UNWIND $rows AS r MERGE (p:HealingPattern {id: r.id}) SET p += r.props"},
    [ST_RAN] = {"UNWIND $rows AS r MATCH (t:Test {id: r.test}) MATCH (n:Run {id: r.run}) "
                "MERGE (t)-[e:RAN]->(n) SET e.status = r.status, e.raw_status = r.raw_status, "
                "e.duration_ms = r.duration_ms, e.at = r.at"},
    [ST_FAILED_WITH] = {"UNWIND $rows AS r MATCH (t:Test {id: r.test}) MATCH (f:Failure {id: r.failure}) "
                        "MERGE (t)-[:FAILED_WITH]->(f)"},
    /* Each new failure links to the five most recent earlier ones with its fingerprint. */
    [ST_SIMILAR_TO] = {"UNWIND $rows AS r MATCH (f:Failure {id: r.failure}) "
                       "MATCH (g:Failure {fingerprint: r.fingerprint}) WHERE g.id <> f.id AND g.at <= f.at "
                       "WITH f, g ORDER BY g.at DESC WITH f, collect(g)[0..5] AS gs "
                       "UNWIND gs AS g MERGE (f)-[:SIMILAR_TO]->(g)"},
    [ST_TEST_SELECTOR] = {"UNWIND $rows AS r MATCH (t:Test {id: r.test}) MATCH (s:Selector {id: r.selector}) "
                          "MERGE (t)-[:USES_SELECTOR]->(s)"},
    [ST_HEALED_TO] = {"UNWIND $rows AS r MATCH (a:Selector {id: r.from}) MATCH (b:Selector {id: r.to}) "
                      "MERGE (a)-[e:HEALED_TO]->(b) SET e.confidence = r.confidence, e.strategy = r.strategy, "
                      "e.pattern = r.pattern, e.at = r.at"},
    [ST_PATTERN_SELECTOR] = {"UNWIND $rows AS r MATCH (p:HealingPattern {id: r.pattern}) "
                             "MATCH (s:Selector {id: r.selector}) MERGE (p)-[:USES_SELECTOR]->(s)"},
    /* Flakiness from the history, in event time order: idempotent and independent of arrival order. */
    [ST_TEST_STATS] = {"UNWIND $rows AS r WITH DISTINCT r.id AS id MATCH (t:Test {id: id})-[e:RAN]->(:Run) "
                       "WITH t, e ORDER BY e.at WITH t, collect(e.status) AS s "
                       "WITH t, s, [x IN s WHERE x = 'passed' OR x = 'failed'] AS pf "
                       "SET t.runs = size(s), t.passes = size([x IN s WHERE x = 'passed']), "
                       "t.fails = size([x IN s WHERE x = 'failed']), "
                       "t.flips = size([i IN range(1, size(pf) - 1) WHERE pf[i] <> pf[i - 1]]), "
                       "t.last_status = s[size(s) - 1]"},
};

const struct argus_graph_index cognee_indexes[] = {
    {"Test", "id"},       {"Run", "id"},       {"Failure", "id"},   {"Failure", "fingerprint"},
    {"Selector", "id"},   {"Selector", "value"}, {"HealingPattern", "id"}, {"Repository", "id"},
    {"Commit", "id"},     {"File", "id"},      {"File", "path"},    {"Module", "id"},
    {"Class", "id"},      {"Function", "id"}, {"Endpoint", "id"},
    {"TestSuite", "id"},  {"TestCase", "id"},  {NULL, NULL},
};
