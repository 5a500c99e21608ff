# Process control for the local stack: pid files under $ARGUS_STATE_DIR/run, liveness checks
# that survive PID reuse and stale files, TCP port checks, launching a server in its own session
# and stopping it by PID with escalation. Sourced by scripts/devstack; needs lib/common.sh.

pid_file() { printf '%s/run/%s.pid\n' "$ARGUS_STATE_DIR" "$1"; }
log_file() { printf '%s/logs/%s.log\n' "$ARGUS_STATE_DIR" "$1"; }

# A process is alive when it exists and is not a zombie (an exited child nobody reaped yet).
pid_alive() { # PID
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
}

# True when PID's command line contains MATCH: a recycled PID of some other program is not ours.
pid_matches() { # PID MATCH
    local cmd
    cmd=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
    [[ "$cmd" == *"$2"* ]]
}

# Prints the PID of NAME when its pid file names a live process matching MATCH; otherwise removes
# the stale pid file and fails.
running_pid() { # NAME MATCH
    local f pid
    f=$(pid_file "$1")
    [ -f "$f" ] || return 1
    pid=$(head -n 1 "$f" 2>/dev/null || true)
    if [[ "$pid" =~ ^[0-9]+$ ]] && pid_alive "$pid" && pid_matches "$pid" "$2"; then
        printf '%s\n' "$pid"
        return 0
    fi
    rm -f "$f"
    return 1
}

# Something accepts TCP connections on HOST:PORT.
port_open() { # HOST PORT
    # shellcheck disable=SC2016 # expanded by the inner bash
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# "java pid 1234" for whoever listens on PORT, when ss can tell.
port_owner() { # PORT
    have ss || return 0
    ss -Hltnp "sport = :$1" 2>/dev/null |
        sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1 pid \2/p' | head -n 1
}

require_free_port() { # SERVICE HOST PORT OVERRIDE_VARIABLE
    port_open "$2" "$3" || return 0
    local owner
    owner=$(port_owner "$3")
    die "$1: port $3 on $2 is already in use${owner:+ (by $owner)}; stop that process or choose another port with $4"
}

# Starts CMD... detached in its own session (so a terminal's Ctrl-C or the caller's exit does not
# reach it), appending its output to the log, and records its PID.
launch() { # NAME CMD...
    local name=$1 log pid
    shift
    log=$(log_file "$name")
    mkdir -p "$ARGUS_STATE_DIR/run" "$ARGUS_STATE_DIR/logs"
    printf '\n==== %s: starting %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$name" >>"$log"
    setsid "$@" </dev/null >>"$log" 2>&1 &
    pid=$!
    printf '%s\n' "$pid" >"$(pid_file "$name")"
}

# Sends SIGNAL, waits up to TIMEOUT seconds for the exit, then SIGKILL.
stop_pid() { # NAME PID SIGNAL TIMEOUT_S
    local name=$1 pid=$2 sig=$3 deadline
    kill "-$sig" "$pid" 2>/dev/null || return 0
    deadline=$(($(date +%s) + $4))
    while pid_alive "$pid"; do
        if [ "$(date +%s)" -ge "$deadline" ]; then
            warn "$name (pid $pid) did not exit within $4 s of SIG$sig; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            deadline=$(($(date +%s) + 10))
            while pid_alive "$pid" && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.1; done
            pid_alive "$pid" && die "$name (pid $pid) survived SIGKILL"
            return 0
        fi
        sleep 0.1
    done
}

# The log written since the last start (launch marks each start with a ==== line).
log_since_start() { # NAME
    awk '/^==== .*: starting / { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' "$(log_file "$1")" 2>/dev/null
}

# The last lines of a log, indented, for error messages.
log_tail() { # NAME [LINES]
    local log
    log=$(log_file "$1")
    [ -f "$log" ] || return 0
    printf '  --- last lines of %s:\n' "$log" >&2
    tail -n "${2:-20}" "$log" | sed 's/^/  | /' >&2
}
