/* The one header a worker includes: everything a handler may use and nothing of librdkafka.
 *
 *   the worker table and its runtime   argus/runtime/worker_spec.h  (struct argus_item, argus_emit, ...)
 *   the canonical event                argus/base/event.h
 *   outcomes                           argus/base/outcome.h          (argus_retry, argus_reject)
 *   logs, metrics, time, text          argus/base/log.h, metrics.h, timeutil.h, buf.h, utf8.h
 *   store handles                      argus/stores/graph.h, graph_writer.h, cypher.h, kv.h, pg.h, http.h
 *   URLs from events and tenants       argus/stores/url_guard.h      (argus_runtime_url_guard)
 *
 * The wall: code under workers/ is compiled with common/wall first on its include path, where
 * <librdkafka/rdkafka.h> is a header that stops the build; the loop's bookkeeping of a record is in
 * a private struct of common/src/runtime/; scripts/check-layers refuses a worker that includes the
 * kafka or runtime layers directly. test/wall/run proves all three on every `make test`. */
#ifndef ARGUS_WORKER_H
#define ARGUS_WORKER_H

#include "argus/base/buf.h"
#include "argus/base/config.h"
#include "argus/base/event.h"
#include "argus/base/log.h"
#include "argus/base/metrics.h"
#include "argus/base/outcome.h"
#include "argus/base/timeutil.h"
#include "argus/base/utf8.h"
#include "argus/runtime/worker_spec.h"
#include "argus/stores/cypher.h"
#include "argus/stores/graph.h"
#include "argus/stores/graph_writer.h"
#include "argus/stores/http.h"
#include "argus/stores/kv.h"
#include "argus/stores/pg.h"
#include "argus/stores/url_guard.h"

#endif
