# The local Valkey (cache): valkey-server from bookworm-backports. A cache: bounded memory with
# LRU eviction, no append-only file; an RDB snapshot is written on shutdown so that a stop/start
# (the outage tests) keeps dedupe records. Implements the service interface of scripts/devstack.

valkey_dir() { printf '%s/valkey\n' "$ARGUS_STATE_DIR"; }
valkey_port() { printf '%s\n' "$ARGUS_VALKEY_PORT"; }
valkey_ports() { valkey_port; }
valkey_port_variable() { printf 'ARGUS_VALKEY_PORT\n'; }
valkey_match() { printf 'valkey-server\n'; }
valkey_stop_signal() { printf 'TERM\n'; }
valkey_stop_timeout() { printf '20\n'; }

valkey_prepare() {
    local dir
    dir=$(valkey_dir)
    mkdir -p "$dir/data"
    {
        resp_base_config "$ARGUS_VALKEY_PORT" "$VALKEY_PASSWORD" "$dir/data"
        printf 'maxmemory %s\nmaxmemory-policy allkeys-lru\n' "$ARGUS_VALKEY_MAXMEMORY"
        printf 'appendonly no\nsave 3600 1\n'
    } | resp_write_config "$dir/valkey.conf"
}

valkey_launch() {
    launch valkey valkey-server "$(valkey_dir)/valkey.conf"
}

valkey_probe() {
    port_open "$ARGUS_BIND_HOST" "$ARGUS_VALKEY_PORT" || return 1
    [ "$(resp_cli "$ARGUS_VALKEY_PORT" "$VALKEY_PASSWORD" PING 2>/dev/null)" = PONG ]
}

valkey_ready() { return 0; }
