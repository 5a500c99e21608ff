#!/usr/bin/env bash
# Consumer loop throughput on a 200k-record topic against `kcat -C` on the same topic, same run.
# Usage: scripts/bench-consumer.sh BUILD_DIR   (KAFKA_BOOTSTRAP_SERVERS must point at a broker)
# Prints medians of RUNS runs and the ratio; peak RSS of the worker from /usr/bin/time.
set -euo pipefail
build=${1:-build}
brokers=${KAFKA_BOOTSTRAP_SERVERS:-localhost:19092}
messages=${BENCH_MESSAGES:-200000}
runs=${BENCH_RUNS:-3}
topic="bench.consumer.$$.$(date +%s)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '%s 6 - -\n' "$topic" > "$tmp/topics.tsv"
"$build/bin/argus-topics" create --file "$tmp/topics.tsv" >/dev/null

# ~300-byte gateway events, keyed like the backend (org ids).
awk -v n="$messages" 'BEGIN {
  for (i = 0; i < n; i++)
    printf "org-%d\t{\"event_id\":\"bench-%08d\",\"event_type\":\"test.record\",\"timestamp\":\"2026-01-25T12:34:56.123456+00:00\",\"org_id\":\"org-%d\",\"project_id\":\"proj-1\",\"user_id\":null,\"data\":{\"seq\":%d,\"test_id\":\"t-%d\",\"status\":\"passed\",\"duration_ms\":%d},\"correlation_id\":null,\"causation_id\":null,\"source\":\"bench\",\"version\":\"1.0\"}\n", i % 50, i, i % 50, i, i % 977, i % 5000
}' > "$tmp/events"
kcat -b "$brokers" -P -t "$topic" -K '\t' -X topic.partitioner=murmur2_random -X linger.ms=20 -l "$tmp/events"
bytes=$(wc -c < "$tmp/events")
echo "topic $topic: $messages records, $((bytes / messages)) bytes each on average, 6 partitions"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

kcat_times=()
for r in $(seq "$runs"); do
  start=$(date +%s.%N)
  got=$(kcat -b "$brokers" -C -t "$topic" -o beginning -e -q -X fetch.wait.max.ms=5 | wc -l)
  end=$(date +%s.%N)
  [ "$got" -eq "$messages" ] || { echo "kcat read $got of $messages" >&2; exit 1; }
  kcat_times+=("$(echo "$end - $start" | bc -l)")
done

worker_times=()
rss=()
for r in $(seq "$runs"); do
  out=$( { KAFKA_BOOTSTRAP_SERVERS="$brokers" KAFKA_INPUT_TOPICS="$topic" KAFKA_CONSUMER_GROUP="bench-$$-$r" \
           BENCH_MESSAGES="$messages" HEALTH_PORT=0 LOG_LEVEL=warn WORKER_BATCH_SIZE=1000 \
           /usr/bin/time -f 'maxrss_kb=%M' "$build/bench/bench_consumer" >/dev/null; } 2>&1 )
  secs=$(echo "$out" | sed -n 's/.* in \([0-9.]*\) s = .*/\1/p')
  [ -n "$secs" ] || { echo "$out" >&2; exit 1; }
  worker_times+=("$secs")
  rss+=("$(echo "$out" | sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p')")
done

k=$(printf '%s\n' "${kcat_times[@]}" | median)
w=$(printf '%s\n' "${worker_times[@]}" | median)
m=$(printf '%s\n' "${rss[@]}" | median)
printf 'kcat -C (baseline)      : %s s median of %s (%s)\n' "$k" "$runs" "${kcat_times[*]}"
printf 'argus consumer loop     : %s s median of %s (%s), peak RSS %s KiB\n' "$w" "$runs" "${worker_times[*]}" "$m"
printf 'throughput              : kcat %.0f msg/s, argus %.0f msg/s, argus/kcat = %.2f\n' \
  "$(echo "$messages / $k" | bc -l)" "$(echo "$messages / $w" | bc -l)" "$(echo "$k / $w" | bc -l)"
echo "(argus: first record to last finished, envelope parsed, offsets stored and committed; kcat: whole process, raw bytes)"
