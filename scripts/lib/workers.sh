# The built workers (build/bin/argus-*-worker) as background processes of the local stack: each
# with the stack's connection environment, its own health port on loopback (8081, 8082, ... in
# name order; ARGUS_WORKER_HEALTH_PORT_BASE changes the first), a log and a pid file in the state
# directory. Sourced by scripts/devstack.

# Worker binaries in name order; the test worker belongs to the integration tests, not the stack.
worker_binaries() {
    local bin
    for bin in "$ARGUS_BUILD"/bin/argus-*-worker; do
        [ -x "$bin" ] || continue
        [ "$(basename "$bin")" = argus-test-worker ] && continue
        printf '%s\n' "$bin"
    done
}

worker_health_port() { # INDEX
    printf '%s\n' $((${ARGUS_WORKER_HEALTH_PORT_BASE:-8081} + $1))
}

workers_start() {
    local bins bin name i=0 port pid env_pairs deadline failed=0
    mapfile -t bins < <(worker_binaries)
    if [ "${#bins[@]}" -eq 0 ]; then
        say "workers: none built in $ARGUS_BUILD/bin (run make)"
        return 0
    fi
    mapfile -t env_pairs < <(stack_env_pairs)
    for bin in "${bins[@]}"; do
        name=$(basename "$bin")
        port=$(worker_health_port "$i")
        i=$((i + 1))
        if pid=$(running_pid "$name" "$name"); then
            say "workers: $name already running (pid $pid)"
            continue
        fi
        require_free_port "$name" 127.0.0.1 "$port" ARGUS_WORKER_HEALTH_PORT_BASE
        # The local stack allows plain http:// URLs from events (OUTBOUND_ALLOW_HTTP; internal
        # destinations stay refused); the environment can turn it off again.
        launch "$name" env OUTBOUND_ALLOW_HTTP="${OUTBOUND_ALLOW_HTTP:-true}" "${env_pairs[@]}" \
            HEALTH_HOST=127.0.0.1 HEALTH_PORT="$port" "$bin"
    done
    # Each one must come up and answer its liveness check; one that exits is reported with its log.
    i=0
    for bin in "${bins[@]}"; do
        name=$(basename "$bin")
        port=$(worker_health_port "$i")
        i=$((i + 1))
        pid=$(head -n 1 "$(pid_file "$name")")
        deadline=$(($(date +%s) + ${ARGUS_WORKER_START_TIMEOUT:-30}))
        until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/health" 2>/dev/null; do
            if ! pid_alive "$pid"; then
                say "workers: $name exited during start-up"
                log_tail "$name"
                failed=$((failed + 1))
                rm -f "$(pid_file "$name")"
                continue 2
            fi
            if [ "$(date +%s)" -ge "$deadline" ]; then
                say "workers: $name (pid $pid) runs but http://127.0.0.1:$port/health does not answer"
                log_tail "$name"
                failed=$((failed + 1))
                continue 2
            fi
            sleep 0.2
        done
        say "workers: $name up (pid $pid, health http://127.0.0.1:$port/health, log $(log_file "$name"))"
    done
    [ "$failed" -eq 0 ] || die "workers: $failed of ${#bins[@]} did not start"
}

# Pid files of workers, including ones whose binary has since been removed.
worker_names_running() {
    local f
    for f in "$ARGUS_STATE_DIR"/run/argus-*-worker.pid; do
        [ -f "$f" ] && basename "$f" .pid
    done
    return 0
}

workers_stop() {
    local name pid
    while IFS= read -r name; do
        if pid=$(running_pid "$name" "$name"); then
            say "workers: stopping $name (pid $pid)"
            # Workers drain and commit on SIGTERM within WORKER_SHUTDOWN_TIMEOUT_MS (20 s by default).
            stop_pid "$name" "$pid" TERM "${ARGUS_WORKER_STOP_TIMEOUT:-30}"
            rm -f "$(pid_file "$name")"
        fi
    done < <(worker_names_running)
}

workers_status() {
    local bins bin name i=0 pid
    mapfile -t bins < <(worker_binaries)
    [ "${#bins[@]}" -gt 0 ] || { printf 'no workers built in %s/bin\n' "$ARGUS_BUILD"; return 0; }
    printf '%-28s %-6s %-8s %s\n' WORKER STATE PID HEALTH
    for bin in "${bins[@]}"; do
        name=$(basename "$bin")
        local port
        port=$(worker_health_port "$i")
        i=$((i + 1))
        if pid=$(running_pid "$name" "$name"); then
            local health=no
            curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/health" 2>/dev/null && health=yes
            printf '%-28s %-6s %-8s %s\n' "$name" up "$pid" "$port ($health)"
        else
            printf '%-28s %-6s %-8s %s\n' "$name" down - "$port"
        fi
    done
}
