# Settings of the local stack (state directory, ports, passwords) and the connection environment a
# worker needs. Every setting has the README's local value as default and can be overridden from
# the environment; `up`/`start` remember the effective values in $ARGUS_STATE_DIR/stack.env, so
# later commands on the same state directory (a test stopping and starting one service) use the
# same ports and passwords without repeating them. An explicit environment value always wins.

# shellcheck disable=SC2034 # used by scripts/devstack
STACK_SERVICES=(kafka falkordb valkey postgres)

# Variable, default. The passwords use the names the workers read.
STACK_SETTINGS=(
    ARGUS_BIND_HOST 127.0.0.1
    ARGUS_KAFKA_PORT 19092
    ARGUS_KAFKA_HEAP 768m
    ARGUS_KAFKA_AUTO_CREATE_TOPICS false
    ARGUS_KAFKA_SASL_USER argus-service
    ARGUS_KAFKA_SASL_PASSWORD argus_dev_kafka_password
    ARGUS_FALKORDB_PORT 6379
    FALKORDB_PASSWORD argus_dev_password
    ARGUS_VALKEY_PORT 6380
    VALKEY_PASSWORD argus_cache_password
    ARGUS_VALKEY_MAXMEMORY 256mb
    ARGUS_PG_PORT 5432
    ARGUS_PG_USER argus
    ARGUS_PG_PASSWORD argus_db_password
    ARGUS_PG_DATABASE argus
    ARGUS_PG_FAST 0
)

stack_load_settings() {
    ARGUS_STATE_DIR=$(realpath -m "${ARGUS_STATE_DIR:-$ARGUS_ROOT/.argus}")
    ARGUS_BUILD=$(realpath -m "${ARGUS_BUILD:-$ARGUS_ROOT/build}")
    local saved=$ARGUS_STATE_DIR/stack.env i var
    # shellcheck disable=SC1090
    [ -f "$saved" ] && . "$saved"
    for ((i = 0; i < ${#STACK_SETTINGS[@]}; i += 2)); do
        var=${STACK_SETTINGS[i]}
        [ -n "${!var:-}" ] || printf -v "$var" '%s' "${STACK_SETTINGS[i + 1]}"
    done
    ARGUS_KAFKA_CONTROLLER_PORT=${ARGUS_KAFKA_CONTROLLER_PORT:-$((ARGUS_KAFKA_PORT + 1))}
    ARGUS_KAFKA_SASL_PORT=${ARGUS_KAFKA_SASL_PORT:-$((ARGUS_KAFKA_PORT + 2))}
    stack_check_settings
}

stack_check_settings() {
    local var
    for var in ARGUS_KAFKA_PORT ARGUS_KAFKA_CONTROLLER_PORT ARGUS_KAFKA_SASL_PORT ARGUS_FALKORDB_PORT \
        ARGUS_VALKEY_PORT ARGUS_PG_PORT; do
        { [[ "${!var}" =~ ^[1-9][0-9]{0,4}$ ]] && [ "${!var}" -le 65535 ]; } ||
            die "$var=${!var} is not a port number"
    done
    # Passwords end up in server config files and in DATABASE_URL: keep them to URL-safe characters.
    for var in FALKORDB_PASSWORD VALKEY_PASSWORD ARGUS_PG_PASSWORD ARGUS_PG_USER ARGUS_PG_DATABASE \
        ARGUS_KAFKA_SASL_USER ARGUS_KAFKA_SASL_PASSWORD; do
        [[ "${!var}" =~ ^[A-Za-z0-9._~+=-]+$ ]] ||
            die "$var: only letters, digits and . _ ~ + = - are allowed in the local stack"
    done
}

# Writes the effective settings so that later commands find them (mode 600: it holds passwords).
stack_save_settings() {
    local i var saved=$ARGUS_STATE_DIR/stack.env
    mkdir -p "$ARGUS_STATE_DIR"
    (
        umask 077
        {
            printf '# Settings of the local stack in this directory, written by scripts/devstack.\n'
            printf '# The environment overrides them.\n'
            for ((i = 0; i < ${#STACK_SETTINGS[@]}; i += 2)); do
                var=${STACK_SETTINGS[i]}
                # shellcheck disable=SC2016 # the ${...} is for the reader of the file
                printf '[ -n "${%s:-}" ] || %s=%q\n' "$var" "$var" "${!var}"
            done
        } >"$saved.tmp"
    )
    mv "$saved.tmp" "$saved"
}

stack_database_url() {
    printf 'postgresql://%s:%s@localhost:%s/%s\n' \
        "$ARGUS_PG_USER" "$ARGUS_PG_PASSWORD" "$ARGUS_PG_PORT" "$ARGUS_PG_DATABASE"
}

# NAME=VALUE lines: what a worker (or a test) needs to reach this stack.
stack_env_pairs() {
    local h=$ARGUS_BIND_HOST
    printf '%s\n' \
        "KAFKA_BOOTSTRAP_SERVERS=$h:$ARGUS_KAFKA_PORT" \
        "KAFKA_SECURITY_PROTOCOL=PLAINTEXT" \
        "FALKORDB_HOST=$h" "FALKORDB_PORT=$ARGUS_FALKORDB_PORT" "FALKORDB_PASSWORD=$FALKORDB_PASSWORD" \
        "VALKEY_HOST=$h" "VALKEY_PORT=$ARGUS_VALKEY_PORT" "VALKEY_PASSWORD=$VALKEY_PASSWORD" \
        "DATABASE_URL=$(stack_database_url)" \
        "ARGUS_KAFKA_SASL_BOOTSTRAP=$h:$ARGUS_KAFKA_SASL_PORT" \
        "ARGUS_KAFKA_SASL_USER=$ARGUS_KAFKA_SASL_USER" "ARGUS_KAFKA_SASL_PASSWORD=$ARGUS_KAFKA_SASL_PASSWORD" \
        "ARGUS_STATE_DIR=$ARGUS_STATE_DIR"
}

stack_print_exports() {
    local pair
    while IFS= read -r pair; do
        printf 'export %s=%q\n' "${pair%%=*}" "${pair#*=}"
    done < <(stack_env_pairs)
}
