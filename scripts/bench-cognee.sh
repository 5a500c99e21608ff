#!/usr/bin/env bash
# Cognee ingest benchmark: a ~2,000-file repository (Python and JavaScript sources found on this
# machine, see workers/cognee/cli/bench-corpus.sh) committed to a local git repository, ingested by
# reference through Kafka by argus-cognee-worker into FalkorDB: time from the event to
# codebase.analyzed, the worker's own analysis+write time, peak RSS; baseline: argus-codegraph
# analysing the same files without Kafka or the graph (same run).
# Usage: scripts/bench-cognee.sh BUILD_DIR   (the stack's environment must be exported)
set -euo pipefail
build=${1:-build}
work=$build/bench-cognee
corpus=$work/corpus
rm -rf "$work"
mkdir -p "$work"
workers/cognee/cli/bench-corpus.sh "$corpus" "${BENCH_FILES:-2000}" > "$work/corpus.txt"
(cd "$corpus" && git init -q -b main . && git add -A &&
    git -c user.name=bench -c user.email=bench@example.invalid commit -qm corpus)
sha=$(git -C "$corpus" rev-parse HEAD)
echo "corpus: $(cat "$work/corpus.txt"), commit ${sha:0:12}"

# Baseline: analysis alone (parse, walk, resolve) on the same files.
/usr/bin/time -f 'maxrss_kb=%M' "$build/bin/argus-codegraph" --stats --threads 2 "$corpus" > "$work/codegraph.txt" 2> "$work/codegraph.time"

suffix="bench.$$.$(date +%s)"
printf 'bench.ingest.%s\t1\t604800000\t11534336\tbench\nbench.analyzed.%s\t1\t604800000\t1048588\tbench\n' \
    "$suffix" "$suffix" > "$work/topics.tsv"
"$build/bin/argus-topics" create --file "$work/topics.tsv" > /dev/null

KAFKA_INPUT_TOPICS="bench.ingest.$suffix" COGNEE_ANALYZED_TOPIC="bench.analyzed.$suffix" \
    KAFKA_CONSUMER_GROUP="bench-$suffix" COGNEE_ALLOW_FILE_URLS=1 COGNEE_REPO_CACHE_DIR="$work/repos" \
    HEALTH_PORT=0 LOG_LEVEL=info \
    setsid /usr/bin/time -f 'maxrss_kb=%M' ${BENCH_WRAP:-} "$build/bin/argus-cognee-worker" > "$work/worker.log" 2> "$work/worker.time" &
worker=$!
# The worker runs in its own process group: whatever happens below, it is stopped.
trap 'kill -TERM -- "-$worker" 2>/dev/null || true' EXIT
sleep 2
event=$(printf '{"event_id":"bench-%s","event_type":"codebase.ingested","timestamp":"2026-01-25T12:00:00+00:00","org_id":"bench","project_id":"%s","data":{"repository_id":"bench/corpus","repository_url":"file://%s","branch":"main","commit_sha":"%s"}}' \
    "$suffix" "$suffix" "$(realpath "$corpus")" "$sha")
start=$(date +%s.%N)
printf '%s\n' "$event" | kcat -b "$KAFKA_BOOTSTRAP_SERVERS" -P -t "bench.ingest.$suffix" -k bench
analyzed=$(timeout 120 kcat -b "$KAFKA_BOOTSTRAP_SERVERS" -C -t "bench.analyzed.$suffix" -o beginning -c 1 -q -X fetch.wait.max.ms=10)
end=$(date +%s.%N)
# TERM to the worker only, so /usr/bin/time outlives it and reports its peak RSS.
pkill -TERM -P "$worker" 2>/dev/null || true
wait "$worker" || true
trap - EXIT

e2e=$(echo "$end - $start" | bc -l)
inner=$(printf '%s' "$analyzed" | sed -n 's/.*"analysis_duration_ms":\([0-9.]*\).*/\1/p')
files=$(printf '%s' "$analyzed" | sed -n 's/.*"file_count":\([0-9]*\).*/\1/p')
nodes=$(printf '%s' "$analyzed" | sed -n 's/.*"nodes_created":\([0-9]*\).*/\1/p')
rels=$(printf '%s' "$analyzed" | sed -n 's/.*"relationships_created":\([0-9]*\).*/\1/p')
rss=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' "$work/worker.time" | tail -1)
base_rss=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' "$work/codegraph.time" | tail -1)
grep '"event":"codebase.ingested"' "$work/worker.log" | sed 's/.*"msg":"\(.*\)"}/worker: \1/' || true
printf 'analysis only (baseline) : %s, peak RSS %s KiB\n' "$(head -1 "$work/codegraph.txt")" "$base_rss"
printf 'ingest end to end        : %.2f s from event to codebase.analyzed (worker: %s ms fetch+analysis+graph), %s files, %s nodes, %s relationships, peak RSS %s KiB\n' \
    "$e2e" "$inner" "$files" "$nodes" "$rels" "$rss"
