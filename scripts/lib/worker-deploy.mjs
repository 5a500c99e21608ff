// A worker's deployment, derived from its description (`argus-<w>-worker --describe`): the image, the
// compose service, the Kubernetes objects, its secret keys and the docs rows. Used by scripts/new-worker
// once; test/deploy/checks/describe.mjs keeps the files and the description in agreement afterwards.
// Every function is pure: description (and current file text) in, text out.

const NAMESPACE = 'argus-data';
const KAFKA_BOOTSTRAP = 'redpanda.argus-data.svc.cluster.local:9092';
const DEFAULT_MAX_BYTES = 1048588;
// The shared libraries every libargus binary links, as Debian runtime packages (test/deploy's
// docker-runtime-libs check derives the exact list from the link line and says what is missing).
const RUNTIME_PACKAGES = 'ca-certificates libcjson1 libcurl4 libhiredis0.14 libidn2-0 libmicrohttpd12 libpq5 librdkafka1';
const STORE_NAMES = { kafka: 'Kafka', falkordb: 'FalkorDB', valkey: 'Valkey', database: 'PostgreSQL', https: 'HTTPS' };

export const secretKey = (name) => name.toLowerCase().replace(/_/g, '-');
const uses = (d, what) => d.uses.includes(what);
const workerEnv = (d) => d.env.filter((v) => v.owner === 'worker');
const yamlString = (s) => JSON.stringify(String(s)); // a JSON string is a valid YAML double-quoted scalar

export function usesText(d) {
    return d.uses.map((u) => (u === 'https' && d.external_apis ? `HTTPS (${d.external_apis})` : STORE_NAMES[u] || u)).join(', ');
}

// The environment a worker gets in Kubernetes: ConfigMap data (plain values) and env entries (secrets).
export function kubernetesEnv(d, topics) {
    const maxBytes = Math.max(DEFAULT_MAX_BYTES, ...d.topics.map((t) => (topics.get(t) || {}).maxBytes || 0));
    const data = [
        ['KAFKA_BOOTSTRAP_SERVERS', KAFKA_BOOTSTRAP],
        ['KAFKA_CONSUMER_GROUP', d.group],
        ['KAFKA_INPUT_TOPICS', d.topics.join(',')],
        ['KAFKA_AUTO_OFFSET_RESET', 'earliest'],
        ['KAFKA_SECURITY_PROTOCOL', 'SASL_SSL'],
        ['KAFKA_SASL_MECHANISM', 'SCRAM-SHA-512'],
        ['KAFKA_SSL_CA_LOCATION', '/etc/argus/kafka-ca/ca.crt'],
        ['KAFKA_DLQ_TOPIC', 'argus.dlq'],
    ];
    if (maxBytes > DEFAULT_MAX_BYTES) data.push(['KAFKA_MAX_MESSAGE_BYTES', String(maxBytes)]);
    if (uses(d, 'falkordb')) data.push(['FALKORDB_HOST', 'falkordb.argus-data.svc.cluster.local'], ['FALKORDB_PORT', '6379']);
    if (uses(d, 'valkey')) data.push(['VALKEY_HOST', 'valkey.argus-data.svc.cluster.local'], ['VALKEY_PORT', '6379']);
    data.push(
        ['STORE_TIMEOUT_MS', '5000'], ['WORKER_BATCH_SIZE', '500'], ['WORKER_MAX_ATTEMPTS', '10'],
        ['WORKER_MAX_RETRY_AGE_S', '900'], ['WORKER_SHUTDOWN_TIMEOUT_MS', '20000'], ['WORKER_STALL_TIMEOUT_S', '120'],
        ['HEALTH_PORT', '8080'], ['LOG_LEVEL', 'info'],
        // The outbound guard (docs/operations.md): plain http stays off in Kubernetes; an internal host a
        // tenant needs (GitHub Enterprise, GitLab, Jira) is opened by name or CIDR in the allowlist.
        ['OUTBOUND_ALLOW_HTTP', 'false'], ['OUTBOUND_ALLOWLIST', ''], ['OUTBOUND_DENYLIST', ''],
    );
    for (const v of workerEnv(d)) if (!v.secret) data.push([v.name, v.default === null ? '' : v.default]);
    const secrets = [
        ['KAFKA_SASL_USERNAME', 'argus-kafka-credentials', 'username', false],
        ['KAFKA_SASL_PASSWORD', 'argus-kafka-credentials', 'password', false],
    ];
    if (uses(d, 'falkordb')) secrets.push(['FALKORDB_PASSWORD', 'falkordb-auth', 'password', false]);
    if (uses(d, 'valkey')) secrets.push(['VALKEY_PASSWORD', 'valkey-auth', 'password', false]);
    if (uses(d, 'database')) secrets.push(['DATABASE_URL', 'argus-data-secrets', 'database-url', false]);
    for (const v of workerEnv(d)) if (v.secret) secrets.push([v.name, 'argus-data-secrets', secretKey(v.name), true]);
    return { data, secrets };
}

function dockerfile(d) {
    const w = d.worker;
    const bins = [`build/bin/${d.binary}`, 'build/bin/argus-migrate', 'build/bin/argus-dlq'];
    return `# syntax=docker/dockerfile:1
# Image of ${d.binary} (${d.summary.replace(/\.$/, '')}).
#   docker build -f docker/Dockerfile.${w}-worker -t ${d.binary} .     (from the repository root)
# Build stage: the project's own build, the commands CI runs (scripts/setup --build-deps, then make);
# test/deploy/run checks that it stays so. Runtime stage: the binary, argus-migrate and argus-dlq (so
# \`kubectl exec\` can work on the DLQ with the worker's own credentials), the migrations and the shared
# libraries they link (test/deploy/run derives them from the link line: a library the worker adds
# needs its runtime package here), nothing else.

ARG DEBIAN_IMAGE=debian:bookworm-slim

FROM \${DEBIAN_IMAGE} AS build
WORKDIR /src
# The setup script alone first, so the dependency layer survives source changes.
COPY scripts/ scripts/
RUN scripts/setup --build-deps
COPY . .
RUN make -j"$(nproc)" ${bins.join(' ')}
RUN strip --strip-debug ${bins.join(' ')}

FROM \${DEBIAN_IMAGE}
RUN apt-get update \\
 && apt-get install -y --no-install-recommends \\
      ${RUNTIME_PACKAGES} \\
 && rm -rf /var/lib/apt/lists/* \\
 && groupadd --gid 10001 argus \\
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin argus
COPY --from=build ${bins.map((b) => `/src/${b}`).join(' ')} /usr/local/bin/
COPY --from=build /src/migrations/ /usr/local/share/argus/migrations/
ENV HEALTH_PORT=8080 \\
    MIGRATIONS_DIR=/usr/local/share/argus/migrations
WORKDIR /usr/local/share/argus
USER 10001:10001
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=4 \\
    CMD ["${d.binary}", "--health-probe"]
ENTRYPOINT ["${d.binary}"]
`;
}

const DOCKERIGNORE = `# Build context filter for this Dockerfile (BuildKit reads <Dockerfile>.dockerignore beside it).
.git
build
.argus
**/node_modules
**/*.o
**/*.d
`;

function labels(d, indent) {
    return [`app.kubernetes.io/name: ${d.worker}-worker`, 'app.kubernetes.io/part-of: argus']
        .map((l) => `${' '.repeat(indent)}${l}`).join('\n');
}

// apiVersion, kind and metadata of one of the worker's objects.
function header(d, apiVersion, kind, name = `${d.worker}-worker`) {
    return `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: ${name}
  namespace: ${NAMESPACE}
  labels:
${labels(d, 4)}`;
}

function secretEnv(secrets) {
    return secrets.map(([name, secret, key, optional]) => `            - name: ${name}
              valueFrom:
                secretKeyRef:
                  name: ${secret}
                  key: ${key}${optional ? '\n                  optional: true' : ''}`).join('\n');
}

function triggers(d) {
    return d.topics.map((t) => `    - type: kafka
      metadata:
        bootstrapServers: ${KAFKA_BOOTSTRAP}
        consumerGroup: ${d.group}
        topic: ${t}
        lagThreshold: "100"
        activationLagThreshold: "1"
        offsetResetPolicy: earliest
        sasl: scram_sha512
        tls: enable
      authenticationRef:
        name: keda-kafka-auth`).join('\n');
}

function kubernetesFile(d, { topics, version }) {
    const w = d.worker;
    const { data, secrets } = kubernetesEnv(d, topics);
    const maxReplicas = Math.max(...d.topics.map((t) => topics.get(t).partitions));
    const useLabels = d.uses.map((u) => `        argus.dev/uses-${u}: "true"`).join('\n');
    const apis = d.external_apis ? `\n      annotations:\n        argus.dev/external-apis: ${yamlString(d.external_apis)}` : '';
    return `# ${d.binary}: ${d.summary}
# Consumer group ${d.group}; input topics below; produces ${[...d.outputs, 'argus.dlq'].join(', ')}.
# Uses: ${usesText(d)}.
# Written by scripts/new-worker from \`${d.binary} --describe\`; test/deploy/run checks the group, the
# topics, the stores (ConfigMap endpoints, argus.dev/uses-* labels) and the secrets against it.
${header(d, 'v1', 'ConfigMap', `${w}-worker-config`)}
data:
${data.map(([k, v]) => `  ${k}: ${yamlString(v)}`).join('\n')}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${w}-worker
  namespace: ${NAMESPACE}
  labels:
${labels(d, 4)}
    app.kubernetes.io/component: worker
spec:
  # No \`replicas\`: KEDA owns the count (ScaledObject below), and a re-apply must not reset it.
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  selector:
    matchLabels:
${labels(d, 6)}
  template:
    metadata:
      labels:
${labels(d, 8)}
        app.kubernetes.io/component: worker
${useLabels}${apis}
    spec:
      automountServiceAccountToken: false
      enableServiceLinks: false
      # WORKER_SHUTDOWN_TIMEOUT_MS (20 s) to drain and commit, plus margin before SIGKILL.
      terminationGracePeriodSeconds: 35
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        fsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
${labels(d, 14)}
      containers:
        - name: worker
          image: ghcr.io/heyargus/${d.binary}:${version}
          imagePullPolicy: IfNotPresent
          envFrom:
            - configMapRef:
                name: ${w}-worker-config
          env:
${secretEnv(secrets)}
          ports:
            - name: http
              containerPort: 8080
          startupProbe:                   # up to 60 s to join the group and reach the stores
            httpGet:
              path: /health
              port: http
            periodSeconds: 2
            failureThreshold: 30
          livenessProbe:                  # 503 once the loop stalls while there is lag
            httpGet:
              path: /health
              port: http
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:                 # partitions assigned and dependencies healthy
            httpGet:
              path: /ready
              port: http
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 2
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: 500m
              memory: 512Mi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            capabilities:
              drop: ["ALL"]
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            - name: kafka-ca
              mountPath: /etc/argus/kafka-ca
              readOnly: true
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
        - name: kafka-ca
          secret:
            secretName: redpanda-default-cert
            items:
              - {key: ca.crt, path: ca.crt}
---
# Scale on consumer-group lag: one trigger per input topic. Past the partition count extra consumers
# would sit idle, so maxReplicaCount = the most partitions among the input topics (${maxReplicas}).
${header(d, 'keda.sh/v1alpha1', 'ScaledObject')}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${w}-worker
  minReplicaCount: 1
  maxReplicaCount: ${maxReplicas}
  pollingInterval: 15
  cooldownPeriod: 300
  fallback:
    failureThreshold: 3
    replicas: 2
  advanced:
    horizontalPodAutoscalerConfig:
      behavior:
        scaleDown:
          stabilizationWindowSeconds: 300
          policies:
            - type: Pods
              value: 1
              periodSeconds: 60
  triggers:
${triggers(d)}
---
# Lets a node drain evict one pod at a time; never blocks (no minAvailable on a 1-replica minimum).
${header(d, 'policy/v1', 'PodDisruptionBudget')}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
${labels(d, 6)}
---
${header(d, 'monitoring.coreos.com/v1', 'PodMonitor')}
spec:
  selector:
    matchLabels:
${labels(d, 6)}
  podMetricsEndpoints:
    - port: http
      path: /metrics
      interval: 30s
`;
}

export function deploymentFiles(d, opts) {
    return {
        [`docker/Dockerfile.${d.worker}-worker`]: dockerfile(d),
        [`docker/Dockerfile.${d.worker}-worker.dockerignore`]: DOCKERIGNORE,
        [`kubernetes/base/workers/${d.worker}-worker.yaml`]: kubernetesFile(d, opts),
    };
}

// The compose service, to go before the file's top-level `volumes:`.
export function composeService(d, port) {
    const anchors = ['*kafka-env'];
    if (uses(d, 'falkordb')) anchors.push('*falkordb-env');
    if (uses(d, 'valkey')) anchors.push('*valkey-env');
    if (uses(d, 'database')) anchors.push('*database-env');
    const env = [`      KAFKA_CONSUMER_GROUP: ${d.group}`, `      KAFKA_INPUT_TOPICS: ${d.topics.join(',')}`];
    for (const v of workerEnv(d)) env.push(v.secret ? `      ${v.name}: \${${v.name}:-}` : `      ${v.name}: ${yamlString(v.default === null ? '' : v.default)}`);
    const waits = ['      <<: *worker-depends'];
    if (uses(d, 'falkordb')) waits.push('      falkordb: {condition: service_healthy}');
    if (uses(d, 'valkey')) waits.push('      valkey: {condition: service_healthy}');
    if (uses(d, 'database')) waits.push('      migrate: {condition: service_completed_successfully}');
    return `  ${d.worker}-worker:
    <<: *worker
    profiles: [${d.worker}, workers]
    build:
      context: ..
      dockerfile: docker/Dockerfile.${d.worker}-worker
    image: ${d.binary}:dev
    environment:
      <<: [${anchors.join(', ')}]
${env.join('\n')}
    ports:
      - "127.0.0.1:${port}:8080"
    depends_on:
${waits.join('\n')}
    healthcheck:
      test: ["CMD", "${d.binary}", "--health-probe"]
      interval: 15s
      timeout: 5s
      retries: 4
      start_period: 20s
`;
}

export const kustomizationEntry = (d) => `  - workers/${d.worker}-worker.yaml`;

// kubernetes/secrets.yaml with a key (and its line of documentation) for each secret of the worker's
// own that argus-data-secrets does not have yet.
export function secretEntries(d, text) {
    let out = text;
    for (const v of workerEnv(d).filter((x) => x.secret)) {
        const key = secretKey(v.name);
        if (new RegExp(`^  ${key}:`, 'm').test(out)) continue;
        out = out.replace(/^# Later workers add their keys here/m, `#   ${key.padEnd(18)} ${v.name}: ${v.help} (the ${d.worker} worker).\n$&`);
        out = `${out.replace(/\n*$/, '\n')}  ${key}: "\${${v.name}}"\n`;
    }
    return out;
}

// docs/operations.md: the worker's row in the workers table and its health port in the compose table.
export function docsRows(d, port, text) {
    const lines = text.split('\n');
    const row = `| ${d.worker} | \`${d.worker}-worker\` | \`${d.group}\` | ${d.topics.map((t) => `\`${t}\``).join(', ')} | ${usesText(d)} |`;
    const portRow = `| ${d.worker} worker \`/health\`, \`/ready\`, \`/metrics\` | ${port} | none |`;
    const lastOf = (re) => lines.reduce((last, l, i) => (re.test(l) ? i : last), -1);
    const workerRows = lastOf(/^\| [a-z0-9]+ \| `[a-z0-9]+-worker` \|/);
    if (workerRows >= 0) lines.splice(workerRows + 1, 0, row);
    const portRows = lastOf(/^\| [a-z0-9]+ worker `\/health`/);
    if (portRows >= 0) lines.splice(portRows + 1, 0, portRow);
    return lines.join('\n');
}

// README.md: the worker's row in the "What is here" table, after the last workers/ row.
export function readmeRow(d, text) {
    const lines = text.split('\n');
    const last = lines.reduce((l, s, i) => (/^\| `workers\/[a-z0-9]+\/` \|/.test(s) ? i : l), -1);
    if (last >= 0) lines.splice(last + 1, 0, `| \`workers/${d.worker}/\` | \`${d.binary}\`: ${d.summary} |`);
    return lines.join('\n');
}
