# The local PostgreSQL 15 (stands in for Supabase): a cluster initialised once in the state
# directory, listening on $ARGUS_BIND_HOST and on a socket next to its data. Run as yourself; as
# root it runs as the `postgres` user (initdb and postgres refuse root), with the data owned by
# that user. Creates the data layer's role and database. Implements the service interface of
# scripts/devstack.

# The directory holding data/ and the socket. Normally $ARGUS_STATE_DIR/postgres. When the postgres
# user cannot reach the state directory (a parent like /root is private) or the socket path would
# be too long for a Unix socket, the cluster lives in /var/tmp and the state directory keeps a
# symlink to it, so `clean` still finds it.
postgres_root() {
    local link=$ARGUS_STATE_DIR/postgres
    if [ -L "$link" ] || [ -d "$link" ]; then
        realpath -m "$link"
    elif postgres_reachable "$ARGUS_STATE_DIR" && [ "${#link}" -lt 90 ]; then
        printf '%s\n' "$link"
    else
        printf '/var/tmp/argus-postgres-%s-%s\n' "$(id -u)" "$(printf '%s' "$ARGUS_STATE_DIR" | cksum | cut -d' ' -f1)"
    fi
}

postgres_reachable() { # DIR: the server's user can enter DIR
    is_root || return 0
    setpriv --reuid=postgres --regid=postgres --init-groups -- test -x "$1" 2>/dev/null
}

# Runs a server program as the cluster's owner (setpriv execs: the PID stays the server's).
postgres_as_owner() {
    if is_root; then
        setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
    else
        "$@"
    fi
}

postgres_port() { printf '%s\n' "$ARGUS_PG_PORT"; }
postgres_ports() { postgres_port; }
postgres_port_variable() { printf 'ARGUS_PG_PORT\n'; }
postgres_match() { printf '%s/data\n' "$(postgres_root)"; }
postgres_stop_signal() { printf 'INT\n'; }  # "fast" shutdown: disconnects clients, then a clean stop
postgres_stop_timeout() { printf '30\n'; }

postgres_prepare() {
    local root bindir link=$ARGUS_STATE_DIR/postgres
    bindir=$(pg_bindir) || die "postgres: no PostgreSQL server binaries (run scripts/setup --deps)"
    root=$(postgres_root)
    if is_root && ! getent passwd postgres >/dev/null; then
        die "postgres: running as root needs the 'postgres' user (created by the postgresql package)"
    fi
    mkdir -p "$root"
    [ "$root" = "$link" ] || [ -L "$link" ] || ln -s "$root" "$link"
    if is_root; then
        chown postgres: "$root"
        chmod 700 "$root"
    fi
    postgres_reachable "$root" || die "postgres: the postgres user cannot enter $root"
    [ -f "$root/data/PG_VERSION" ] && return 0
    say "postgres: initialising a cluster in $root/data"
    postgres_as_owner "$bindir/initdb" -D "$root/data" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 --no-sync >>"$(log_file postgres)" 2>&1 ||
        { log_tail postgres; die "postgres: initdb failed"; }
}

postgres_launch() {
    local root bindir fast=()
    root=$(postgres_root)
    bindir=$(pg_bindir)
    # Test stacks trade durability for speed: nothing there must outlive a machine crash.
    [ "$ARGUS_PG_FAST" = 1 ] && fast=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off)
    local as_owner=()
    is_root && as_owner=(setpriv --reuid=postgres --regid=postgres --init-groups --)
    launch postgres "${as_owner[@]}" "$bindir/postgres" -D "$root/data" -p "$ARGUS_PG_PORT" -k "$root" \
        -c listen_addresses="$ARGUS_BIND_HOST" -c logging_collector=off "${fast[@]}"
}

postgres_probe() {
    port_open "$ARGUS_BIND_HOST" "$ARGUS_PG_PORT" || return 1
    "$(pg_bindir)/pg_isready" -q -h "$(postgres_root)" -p "$ARGUS_PG_PORT" -U postgres
}

# The data layer's role and database, created once; the password is (re)set on every start so
# that ARGUS_PG_PASSWORD always holds. Values go through psql variables, quoted by format(); the
# password comes from the environment (\getenv), never from the command line.
postgres_ready() {
    ARGUS_PG_PASSWORD=$ARGUS_PG_PASSWORD "$(pg_bindir)/psql" -X -q -v ON_ERROR_STOP=1 \
        -h "$(postgres_root)" -p "$ARGUS_PG_PORT" -U postgres -d postgres \
        -v user="$ARGUS_PG_USER" -v db="$ARGUS_PG_DATABASE" >/dev/null <<'SQL' ||
\getenv password ARGUS_PG_PASSWORD
SELECT format('CREATE ROLE %I LOGIN', :'user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'user', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
        die "postgres: creating role '$ARGUS_PG_USER' and database '$ARGUS_PG_DATABASE' failed"
}
