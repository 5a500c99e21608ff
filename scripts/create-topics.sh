#!/usr/bin/env bash
# Creates the Argus topics listed in config/topics.tsv, idempotently: a missing topic is created,
# an existing one gets its partition count raised to the table's (never lowered) and its configs
# set. Running it twice changes nothing the second time. Self-contained (no other script needed)
# so the Kubernetes topic job can ship it next to the table.
#
# Uses `rpk` when present (Redpanda pods have it), otherwise the project's admin tool argus-topics
# (librdkafka Admin API). Usage: scripts/create-topics.sh [--file TOPICS_TSV]
#
# Environment:
#   KAFKA_BOOTSTRAP_SERVERS (or REDPANDA_BROKERS)  brokers; default localhost:19092 (rpk: its own
#                                                   configuration when neither is set)
#   REPLICATION_FACTOR                              default 1
#   KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD
#                                                   (or REDPANDA_SECURITY_PROTOCOL, REDPANDA_SASL_*)
#   TOPICS_FILE        the table (default: config/topics.tsv of this checkout, or topics.tsv next
#                      to this script)
#   ARGUS_TOPICS_BIN   the argus-topics binary (default: build/bin/argus-topics, then PATH)
#   TOPICS_TOOL        rpk | argus-topics, to force one
set -euo pipefail

prog=create-topics
say() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

here=$(cd "$(dirname "$0")" && pwd)
topics_file=${TOPICS_FILE:-}
while [ $# -gt 0 ]; do
    case "$1" in
        --file) topics_file=${2:?--file needs a path}; shift 2 ;;
        -h | --help) sed -n '2,23s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
if [ -z "$topics_file" ]; then
    for f in "$(dirname "$here")/config/topics.tsv" "$here/topics.tsv"; do
        if [ -f "$f" ]; then topics_file=$f; break; fi
    done
fi
{ [ -n "$topics_file" ] && [ -r "$topics_file" ]; } || die "topic table not found (set TOPICS_FILE or --file)"

brokers_set=${KAFKA_BOOTSTRAP_SERVERS:-${REDPANDA_BROKERS:-}}
brokers=${brokers_set:-localhost:19092}
rf=${REPLICATION_FACTOR:-1}
protocol=${KAFKA_SECURITY_PROTOCOL:-${REDPANDA_SECURITY_PROTOCOL:-PLAINTEXT}}
mechanism=${KAFKA_SASL_MECHANISM:-${REDPANDA_SASL_MECHANISM:-SCRAM-SHA-512}}
sasl_user=${KAFKA_SASL_USERNAME:-${REDPANDA_SASL_USERNAME:-}}
sasl_pass=${KAFKA_SASL_PASSWORD:-${REDPANDA_SASL_PASSWORD:-}}
case "$rf" in '' | *[!0-9]* | 0) die "REPLICATION_FACTOR='$rf' is not a positive integer" ;; esac

# Reads and checks the table into parallel arrays; a bad line stops everything before any change.
names=() partitions=() retentions=() max_bytes=()
load_table() {
    local lineno=0 line name parts retention maxb rest
    while IFS= read -r line || [ -n "$line" ]; do
        lineno=$((lineno + 1))
        case "$line" in '' | '#'*) continue ;; esac
        IFS=$'\t' read -r name parts retention maxb rest <<<"$line"
        local where="$topics_file:$lineno"
        [[ "$name" =~ ^[A-Za-z0-9._-]{1,249}$ ]] || die "$where: bad topic name '$name' (tab-separated columns?)"
        [[ "$parts" =~ ^[1-9][0-9]*$ ]] || die "$where: partitions '$parts' is not a positive integer"
        [[ "$retention" =~ ^(-1|[0-9]+)$ ]] || die "$where: retention.ms '$retention' is not an integer (-1 = forever)"
        [[ "$maxb" =~ ^[1-9][0-9]*$ ]] || die "$where: max.message.bytes '$maxb' is not a positive integer"
        names+=("$name") partitions+=("$parts") retentions+=("$retention") max_bytes+=("$maxb")
    done <"$topics_file"
    [ "${#names[@]}" -gt 0 ] || die "$topics_file lists no topics"
}

# ---------------------------------------------------------------- rpk (Redpanda)

# Credentials go through rpk's environment variables, so the password is not in the process list.
rpk_environment() {
    [ -z "$brokers_set" ] || export RPK_BROKERS="$brokers_set"
    case "$protocol" in
        SASL_*)
            [ -n "$sasl_user" ] || die "KAFKA_SECURITY_PROTOCOL=$protocol needs KAFKA_SASL_USERNAME"
            export RPK_USER="$sasl_user" RPK_PASS="$sasl_pass" RPK_SASL_MECHANISM="$mechanism" ;;
    esac
    case "$protocol" in *SSL) export RPK_TLS_ENABLED=true ;; esac
}

create_with_rpk() {
    local listing i name want have_parts out created=0 present=0 failed=0
    local -A current=()
    rpk_environment
    listing=$(rpk topic list 2>&1) || { printf '%s\n' "$listing" >&2; die "rpk topic list failed"; }
    # Output: a header line, then NAME PARTITIONS REPLICAS.
    while read -r name have_parts _; do
        [ -n "$name" ] && current[$name]=$have_parts
    done < <(printf '%s\n' "$listing" | tail -n +2)

    for i in "${!names[@]}"; do
        name=${names[$i]} want=${partitions[$i]}
        local configs=(retention.ms="${retentions[$i]}" max.message.bytes="${max_bytes[$i]}")
        if [ -z "${current[$name]:-}" ]; then
            if out=$(rpk topic create "$name" -p "$want" -r "$rf" -c "${configs[0]}" -c "${configs[1]}" 2>&1); then
                say "created $name ($want partitions)"
                created=$((created + 1))
                continue
            fi
            if ! grep -q TOPIC_ALREADY_EXISTS <<<"$out"; then
                printf '%s\n' "$out" >&2
                say "FAILED to create $name"
                failed=$((failed + 1))
                continue
            fi
            current[$name]=$want # created concurrently by someone else: reconcile below
        fi
        have_parts=${current[$name]}
        if [[ "$have_parts" =~ ^[0-9]+$ ]] && [ "$have_parts" -lt "$want" ]; then
            if ! out=$(rpk topic add-partitions "$name" -n "$((want - have_parts))" 2>&1); then
                printf '%s\n' "$out" >&2
                say "FAILED to raise $name from $have_parts to $want partitions"
                failed=$((failed + 1))
                continue
            fi
            say "raised $name from $have_parts to $want partitions"
        elif [[ "$have_parts" =~ ^[0-9]+$ ]] && [ "$have_parts" -gt "$want" ]; then
            say "note: $name has $have_parts partitions, more than the table's $want (never lowered)"
        fi
        if ! out=$(rpk topic alter-config "$name" --set "${configs[0]}" --set "${configs[1]}" 2>&1); then
            printf '%s\n' "$out" >&2
            say "FAILED to set the configs of $name"
            failed=$((failed + 1))
            continue
        fi
        present=$((present + 1))
    done
    say "${#names[@]} topics: $created created, $present already present (configs checked), $failed failed"
    [ "$failed" -eq 0 ]
}

# ---------------------------------------------------------------- argus-topics (librdkafka Admin API)

find_argus_topics() {
    if [ -n "${ARGUS_TOPICS_BIN:-}" ]; then
        [ -x "$ARGUS_TOPICS_BIN" ] || die "ARGUS_TOPICS_BIN=$ARGUS_TOPICS_BIN is not executable"
        printf '%s\n' "$ARGUS_TOPICS_BIN"
    elif [ -x "$(dirname "$here")/build/bin/argus-topics" ]; then
        printf '%s\n' "$(dirname "$here")/build/bin/argus-topics"
    elif have argus-topics; then
        command -v argus-topics
    else
        return 1
    fi
}

create_with_argus_topics() {
    local bin
    bin=$(find_argus_topics) ||
        die "neither rpk nor argus-topics found: build it (make) or set ARGUS_TOPICS_BIN"
    # argus-topics reads the same KAFKA_* environment as every Argus binary.
    export KAFKA_BOOTSTRAP_SERVERS="$brokers"
    "$bin" create --file "$topics_file" --replication-factor "$rf" ||
        die "argus-topics create failed (brokers $brokers)"
}

load_table
tool=${TOPICS_TOOL:-}
if [ -z "$tool" ]; then
    if [ -z "${ARGUS_TOPICS_BIN:-}" ] && have rpk; then tool=rpk; else tool=argus-topics; fi
fi
if [ -n "$brokers_set" ]; then
    shown=$brokers_set
elif [ "$tool" = rpk ]; then
    shown="from rpk's own configuration"
else
    shown=$brokers
fi
say "${#names[@]} topics from $topics_file via $tool (brokers $shown, replication factor $rf)"
case "$tool" in
    rpk) have rpk || die "TOPICS_TOOL=rpk but rpk is not on PATH"; create_with_rpk ;;
    argus-topics) create_with_argus_topics ;;
    *) die "TOPICS_TOOL='$tool': expected rpk or argus-topics" ;;
esac
