# The local Kafka broker (stands in for Redpanda: same Kafka API): Apache Kafka from the setup
# cache, one KRaft node that is broker and controller, PLAINTEXT on $ARGUS_BIND_HOST, controller
# listener on the next port, and SASL_PLAINTEXT (SCRAM-SHA-256, SCRAM-SHA-512, PLAIN; user
# $ARGUS_KAFKA_SASL_USER) on the one after, as the production Redpanda asks clients to authenticate.
# Formatted once with a cluster id kept in the state directory; the SCRAM credentials are written at
# format time.
# Implements the service interface of scripts/devstack: kafka_{port,match,prepare,launch,probe,ready,stop_signal}.

kafka_dir() { printf '%s/kafka\n' "$ARGUS_STATE_DIR"; }
kafka_port() { printf '%s\n' "$ARGUS_KAFKA_PORT"; }
kafka_ports() { printf '%s %s %s\n' "$ARGUS_KAFKA_PORT" "$ARGUS_KAFKA_CONTROLLER_PORT" "$ARGUS_KAFKA_SASL_PORT"; }
kafka_port_variable() { printf 'ARGUS_KAFKA_PORT (controller: port + 1, SASL: port + 2)\n'; }
kafka_match() { printf '%s\n' "$(kafka_dir)/server.properties"; }
kafka_stop_signal() { printf 'TERM\n'; }
kafka_stop_timeout() { printf '40\n'; }

kafka_java() { # CLASS ARGS...: runs a Kafka main class with the cached jars
    java -cp "$ARGUS_KAFKA_HOME/lib/*" "$@"
}

kafka_write_config() {
    local dir
    dir=$(kafka_dir)
    # Owner-only: it holds the PLAIN password of the SASL listener.
    (umask 077 && cat >"$dir/server.properties") <<EOF
# Written by scripts/devstack on every start; edit scripts/lib/svc-kafka.sh instead.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$ARGUS_BIND_HOST:$ARGUS_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$ARGUS_BIND_HOST:$ARGUS_KAFKA_PORT,CONTROLLER://$ARGUS_BIND_HOST:$ARGUS_KAFKA_CONTROLLER_PORT,SASL_PLAINTEXT://$ARGUS_BIND_HOST:$ARGUS_KAFKA_SASL_PORT
advertised.listeners=PLAINTEXT://$ARGUS_BIND_HOST:$ARGUS_KAFKA_PORT,SASL_PLAINTEXT://$ARGUS_BIND_HOST:$ARGUS_KAFKA_SASL_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512,PLAIN
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$ARGUS_KAFKA_SASL_USER="$ARGUS_KAFKA_SASL_PASSWORD";
log.dirs=$dir/data
# One node: every internal topic has one replica.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
default.replication.factor=1
min.insync.replicas=1
num.partitions=1
# A consumer joining an empty group starts at once (tests start many groups).
group.initial.rebalance.delay.ms=0
# Topics come from config/topics.tsv; producing to a missing topic is an error, as on Redpanda.
auto.create.topics.enable=$ARGUS_KAFKA_AUTO_CREATE_TOPICS
EOF
    cat >"$dir/log4j2.properties" <<'EOF'
# Quiet broker: warnings and errors only, to stdout (scripts/devstack sends it to the log file).
status = error
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
# One line when the broker is up, so the log shows each start.
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = INFO
EOF
}

kafka_prepare() {
    local dir cluster_id
    dir=$(kafka_dir)
    mkdir -p "$dir/data"
    kafka_write_config
    if [ -f "$dir/data/meta.properties" ]; then
        # Kafka cannot read the metadata of a newer Kafka (and the pinned version may change).
        local made
        made=$(cat "$dir/kafka.version" 2>/dev/null || echo "an unknown version")
        [ "$made" = "$ARGUS_KAFKA_VERSION" ] ||
            die "kafka: $dir was formatted by Kafka $made, this is $ARGUS_KAFKA_VERSION: 'scripts/devstack clean' starts over (it deletes the local data)"
        return 0
    fi
    if [ ! -s "$dir/cluster.id" ]; then
        # A Kafka cluster id is 16 random bytes in URL-safe base64 without padding.
        head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$dir/cluster.id"
    fi
    cluster_id=$(cat "$dir/cluster.id")
    kafka_java -Dlog4j2.configurationFile="$dir/log4j2.properties" kafka.tools.StorageTool format \
        --cluster-id="$cluster_id" -c "$dir/server.properties" \
        --add-scram "SCRAM-SHA-256=[name=$ARGUS_KAFKA_SASL_USER,password=$ARGUS_KAFKA_SASL_PASSWORD]" \
        --add-scram "SCRAM-SHA-512=[name=$ARGUS_KAFKA_SASL_USER,password=$ARGUS_KAFKA_SASL_PASSWORD]" \
        >>"$(log_file kafka)" 2>&1 ||
        { log_tail kafka; die "kafka: formatting $dir/data failed"; }
    printf '%s\n' "$ARGUS_KAFKA_VERSION" >"$dir/kafka.version"
}

kafka_launch() {
    local dir
    dir=$(kafka_dir)
    launch kafka java -Xms256m -Xmx"$ARGUS_KAFKA_HEAP" -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
        -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:-UsePerfData \
        -Djava.awt.headless=true -Dlog4j2.configurationFile="$dir/log4j2.properties" \
        -Dkafka.logs.dir="$dir/logs" -cp "$ARGUS_KAFKA_HOME/lib/*" kafka.Kafka "$dir/server.properties"
}

# Answers a metadata request and lists itself as a live broker (a fenced broker lists none).
kafka_probe() {
    port_open "$ARGUS_BIND_HOST" "$ARGUS_KAFKA_PORT" || return 1
    kcat -L -b "$ARGUS_BIND_HOST:$ARGUS_KAFKA_PORT" -m 3 2>/dev/null | grep -Eq '^ +broker [0-9]+ at '
}

kafka_ready() { return 0; }
