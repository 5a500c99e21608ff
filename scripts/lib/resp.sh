# What FalkorDB and Valkey have in common (both speak the Redis protocol): the client used to
# probe them and the base of their configuration files. valkey-cli is used for both because
# Debian's valkey-tools ships it and redis-cli may be absent; the protocol is the same.

# valkey-cli against PORT with PASSWORD, read from the environment so it never shows in `ps`.
resp_cli() { # PORT PASSWORD ARGS...
    local port=$1 password=$2
    shift 2
    REDISCLI_AUTH=$password valkey-cli --no-auth-warning -h "$ARGUS_BIND_HOST" -p "$port" "$@"
}

# The lines every instance gets; the password is in the file (mode 600), not on a command line.
resp_base_config() { # PORT PASSWORD DATA_DIR
    printf '# Written by scripts/devstack on every start.\n'
    printf 'bind %s\nport %s\nprotected-mode yes\n' "$ARGUS_BIND_HOST" "$1"
    printf 'requirepass "%s"\n' "$2"
    printf 'dir "%s"\ndaemonize no\nlogfile ""\nloglevel notice\n' "$3"
}

resp_write_config() { # FILE (config text on stdin)
    (umask 077 && cat >"$1.tmp") && mv "$1.tmp" "$1"
}
