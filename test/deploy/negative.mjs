// Proves each check can fail: copies the checkout into a temporary directory, breaks one thing, and
// expects the named check to report it (with the given text). The unbroken copy must pass every
// check first, so a failure below is the mutation's doing and not the copy's.
// Usage: node test/deploy/negative.mjs   (test/deploy/run calls it)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runChecks } from './checks.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const COPY = ['Makefile', 'VERSION', 'common', 'config', 'docker', 'docs', 'kubernetes', 'migrations', 'scripts', 'tools', 'workers'];

function copyTree() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-deploy-neg-'));
    for (const f of COPY) if (fs.existsSync(path.join(ROOT, f))) fs.cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true, verbatimSymlinks: true });
    return dir;
}

// Edits one file of the copy: replace `from` (must occur) with `to`.
function edit(dir, rel, from, to) {
    const p = path.join(dir, rel);
    const s = fs.readFileSync(p, 'utf8');
    if (!s.includes(from)) throw new Error(`mutation does not apply: ${rel} has no ${JSON.stringify(from)}`);
    fs.writeFileSync(p, s.replace(from, to));
}
// Removes the text of one file of the copy from `start` (must occur) up to `end`.
function cut(dir, rel, start, end) {
    const p = path.join(dir, rel);
    const s = fs.readFileSync(p, 'utf8');
    const i = s.indexOf(start);
    const j = s.indexOf(end, i);
    if (i < 0 || j < 0) throw new Error(`mutation does not apply: ${rel}`);
    fs.writeFileSync(p, s.slice(0, i) + s.slice(j));
}
const append = (dir, rel, text) => fs.appendFileSync(path.join(dir, rel), text);
const K = 'kubernetes/base/';
const W = `${K}workers/cognee-worker.yaml`;
const C = 'docker/docker-compose.data-layer.yml';
const D = 'docker/Dockerfile.cognee-worker';

const CASES = [
    // compose
    ['an unknown compose key', 'compose-config', 'cognee', (d) => edit(d, C, '    image: argus-cognee-worker:dev', '    image: argus-cognee-worker:dev\n    bogus_key: 1')],
    ['a worker left out of the "workers" profile', 'workers-present', 'profile workers', (d) => edit(d, C, 'profiles: [cognee, workers]', 'profiles: [cognee]')],
    ['a worker published on the Console\'s 8080', 'compose-services', '8080', (d) => edit(d, C, '"127.0.0.1:8091:8080"', '"127.0.0.1:8080:8080"')],
    ['a port published on all interfaces', 'compose-services', 'all interfaces', (d) => edit(d, C, '"127.0.0.1:6379:6379"', '"6379:6379"')],
    ['a service without a health check', 'compose-services', 'no health check', (d) => cut(d, C, '    healthcheck:\n      test: ["CMD-SHELL", "pg_isready', '    restart: unless-stopped\n\n  # One-shot: the README')],
    ['a profile depending on a disabled service', 'compose-services', 'does not start', (d) => edit(d, C, '  topics:\n', '  topics:\n    profiles: [healing]\n')],
    ['FalkorDB maxmemory above its mem_limit', 'compose-memory', 'falkordb', (d) => edit(d, C, '--maxmemory 1536mb', '--maxmemory 2gb')],
    ['a worker not waiting for the store it uses', 'workers-config', 'falkordb', (d) => edit(d, C, '      falkordb: {condition: service_healthy}\n    healthcheck:\n      test: ["CMD", "argus-cognee-worker"', '    healthcheck:\n      test: ["CMD", "argus-cognee-worker"')],
    // kubernetes: schemas and structure
    ['a typo\'d field', 'k8s-schema', 'unknown field', (d) => edit(d, W, '          readinessProbe:', '          readinessprobe:')],
    ['a wrongly typed field', 'k8s-schema', 'must be integer', (d) => edit(d, W, 'containerPort: 8080', 'containerPort: "http"')],
    ['a bad KEDA trigger field', 'k8s-schema', 'unknown field', (d) => edit(d, W, 'offsetResetPolicy: earliest', 'offsetResetPolicy: earliest\n        lagTreshold: "5"')],
    ['an object outside argus-data', 'k8s-plain-files', 'namespace', (d) => edit(d, `${K}services.yaml`, 'name: valkey\n  namespace: argus-data', 'name: valkey\n  namespace: default')],
    ['a manifest not listed in the kustomization', 'k8s-plain-files', 'not listed', (d) => fs.writeFileSync(path.join(d, K, 'extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: argus-data\n')],
    ['an overlay that does not build', 'k8s-render', 'kustomize build', (d) => append(d, 'kubernetes/overlays/dev/kustomization.yaml', '  - path: missing.yaml\n')],
    // selectors
    ['a Deployment selector that misses its pods', 'k8s-selectors', 'selector does not match', (d) => edit(d, W, '  selector:\n    matchLabels:\n      app.kubernetes.io/name: cognee-worker', '  selector:\n    matchLabels:\n      app.kubernetes.io/name: cognee')],
    ['a Service that selects nothing', 'k8s-selectors', 'selects no pods', (d) => edit(d, `${K}services.yaml`, '  selector:\n    app.kubernetes.io/name: valkey', '  selector:\n    app.kubernetes.io/name: valkei')],
    ['a ScaledObject aimed at a missing Deployment', 'k8s-selectors', 'scaleTargetRef', (d) => edit(d, W, '    kind: Deployment\n    name: cognee-worker', '    kind: Deployment\n    name: cognee')],
    ['a PodMonitor on a port name that does not exist', 'k8s-selectors', 'port metrics', (d) => edit(d, W, '    - port: http\n      path: /metrics', '    - port: metrics\n      path: /metrics')],
    // workloads
    ['a worker without a readiness probe', 'k8s-workloads', 'readinessProbe', (d) => cut(d, W, '          readinessProbe:', '          resources:')],
    ['a writable root filesystem', 'k8s-workloads', 'readOnlyRootFilesystem', (d) => edit(d, W, 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false')],
    ['capabilities not dropped', 'k8s-workloads', 'capabilities', (d) => edit(d, W, '              drop: ["ALL"]', '              drop: ["NET_RAW"]')],
    ['no memory limit', 'k8s-workloads', 'limits.memory', (d) => edit(d, W, '              cpu: "1"\n              memory: 1Gi', '              cpu: "1"')],
    ['a grace period shorter than the drain', 'k8s-workloads', 'terminationGracePeriodSeconds', (d) => edit(d, W, 'terminationGracePeriodSeconds: 35', 'terminationGracePeriodSeconds: 20')],
    ['a repository cache on the read-only root', 'k8s-workloads', 'COGNEE_REPO_CACHE_DIR', (d) => edit(d, W, 'COGNEE_REPO_CACHE_DIR: /var/cache/argus/repos', 'COGNEE_REPO_CACHE_DIR: /srv/repos')],
    // memory
    ['FalkorDB maxmemory above 80% of its limit', 'k8s-memory', 'maxmemory', (d) => edit(d, `${K}falkordb.yaml`, 'value: 3gb', 'value: 3800mb')],
    ['a dev overlay that shrinks the limit but not maxmemory', 'k8s-memory', '[dev]', (d) => edit(d, 'kubernetes/overlays/dev/sizes.yaml', 'value: 1536mb', 'value: 3gb')],
    ['a quota too small for full scale', 'k8s-memory', 'ResourceQuota', (d) => edit(d, `${K}namespace.yaml`, 'limits.memory: 48Gi', 'limits.memory: 16Gi')],
    // secrets
    ['a real value in the secret template', 'k8s-secrets', 'PLACEHOLDER', (d) => edit(d, 'kubernetes/secrets.yaml', 'password: "${FALKORDB_PASSWORD}"', 'password: "c2VjcmV0LXBhc3N3b3JkLTEyMzQ1"')],
    ['a literal password in a Deployment', 'k8s-secrets', 'literal value', (d) => edit(d, W, '            - name: FALKORDB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: falkordb-auth\n                  key: password', '            - name: FALKORDB_PASSWORD\n              value: hunter2')],
    ['a secret key nobody defined', 'k8s-secrets', 'does not define', (d) => edit(d, W, 'key: git-token', 'key: github-token')],
    ['a Secret rendered by kustomize', 'k8s-secrets', 'rendered by kustomize', (d) => {
        fs.copyFileSync(path.join(d, 'kubernetes/secrets.yaml'), path.join(d, K, 'secrets.yaml'));
        edit(d, `${K}kustomization.yaml`, 'resources:\n', 'resources:\n  - secrets.yaml\n');
    }],
    // workers
    ['maxReplicaCount above the partitions', 'workers-scaling', 'maxReplicaCount', (d) => edit(d, W, 'maxReplicaCount: 12', 'maxReplicaCount: 20')],
    ['a PDB that blocks drains', 'workers-scaling', 'blocks node drains', (d) => edit(d, W, '  maxUnavailable: 1\n', '  minAvailable: 1\n')],
    ['an input topic without a lag trigger', 'workers-scaling', 'no lag trigger', (d) => edit(d, W, 'argus.test.failed,argus.healing.completed', 'argus.test.failed,argus.healing.completed,argus.healing.requested')],
    ['a worker on PLAINTEXT against SASL+TLS brokers', 'workers-scaling', 'SASL', (d) => edit(d, W, 'KAFKA_SECURITY_PROTOCOL: SASL_SSL', 'KAFKA_SECURITY_PROTOCOL: PLAINTEXT')],
    ['a new worker directory with no deployment', 'workers-present', 'orphan', (d) => { fs.mkdirSync(path.join(d, 'workers/orphan')); fs.writeFileSync(path.join(d, 'workers/orphan/main.c'), 'int main(void){return 0;}\n'); }],
    ['compose and Kubernetes consuming different topics', 'workers-config', 'KAFKA_INPUT_TOPICS', (d) => edit(d, C, 'KAFKA_INPUT_TOPICS: argus.codebase.ingested,', 'KAFKA_INPUT_TOPICS: ')],
    ['a ConfigMap value the worker refuses', 'workers-env-accepted', 'WORKER_BATCH_SIZE', (d) => edit(d, W, 'WORKER_BATCH_SIZE: "500"', 'WORKER_BATCH_SIZE: "0"')],
    ['a compose value the worker refuses', 'workers-env-accepted', 'KAFKA_SECURITY_PROTOCOL', (d) => edit(d, C, 'KAFKA_SECURITY_PROTOCOL: PLAINTEXT', 'KAFKA_SECURITY_PROTOCOL: TLS')],
    ['an image tag that does not follow VERSION', 'workers-config', 'VERSION', (d) => edit(d, W, 'argus-cognee-worker:0.1.0', 'argus-cognee-worker:latest')],
    // the deployment against the worker's own description (--describe)
    ['a ConfigMap consuming other topics than the worker\'s table', 'workers-described', '--describe says', (d) => edit(d, W, 'argus.test.failed,argus.healing.completed\n', 'argus.test.failed\n')],
    ['a ConfigMap key the worker does not know', 'workers-described', 'EMBEDINGS_MODEL is not a setting', (d) => edit(d, W, '  EMBEDDINGS_MODEL: ""', '  EMBEDDINGS_MODEL: ""\n  EMBEDINGS_MODEL: "x"')],
    ['a worker\'s secret as a plain value', 'workers-described', 'GIT_TOKEN is a secret, given as a plain value', (d) => edit(d, W, '            - name: GIT_TOKEN\n              valueFrom:\n                secretKeyRef:\n                  name: argus-data-secrets\n                  key: git-token\n                  optional: true', '            - name: GIT_TOKEN\n              value: hunter2')],
    ['a worker\'s secret left out of its Deployment', 'workers-described', 'GIT_TOKEN, a secret of the worker, is not given', (d) => cut(d, W, '            - name: GIT_TOKEN\n', '          ports:')],
    ['a store configured that the worker does not declare', 'workers-described', 'valkey', (d) => edit(d, W, '  FALKORDB_PORT: "6379"\n', '  FALKORDB_PORT: "6379"\n  VALKEY_HOST: valkey.argus-data.svc.cluster.local\n')],
    ['a docs row naming another group', 'workers-described', 'docs/operations.md row does not name group', (d) => edit(d, 'docs/operations.md', '| `argus-cognee-workers` |', '| `argus-cognee-worker` |')],
    // network
    ['a store the worker does not use, without its label', 'k8s-network', 'uses-valkey', (d) => edit(d, W, '  FALKORDB_PORT: "6379"\n', '  FALKORDB_PORT: "6379"\n  VALKEY_HOST: valkey.argus-data.svc.cluster.local\n  VALKEY_PORT: "6379"\n')],
    ['an allow-all egress policy', 'k8s-network', 'without peers', (d) => append(d, `${K}network-policies.yaml`, '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-all\n  namespace: argus-data\nspec:\n  podSelector: {}\n  policyTypes: ["Egress"]\n  egress:\n    - {}\n')],
    ['namespace-wide internal allow on every port', 'k8s-network', 'not one of its endpoints', (d) => append(d, `${K}network-policies.yaml`, '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-internal\n  namespace: argus-data\nspec:\n  podSelector: {}\n  policyTypes: ["Egress"]\n  egress:\n    - to:\n        - podSelector: {}\n      ports:\n        - {protocol: TCP, port: 6379}\n')],
    ['a worker whose store admits nobody', 'k8s-network', 'cannot reach', (d) => edit(d, `${K}network-policies.yaml`, '              argus.dev/uses-falkordb: "true"\n      ports:\n        - {protocol: TCP, port: 6379}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: falkordb-clients-egress', '              argus.dev/uses-falkordbx: "true"\n      ports:\n        - {protocol: TCP, port: 6379}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: falkordb-clients-egress')],
    ['no default deny', 'k8s-network', 'default-deny', (d) => edit(d, `${K}network-policies.yaml`, 'policyTypes: ["Ingress", "Egress"]\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-dns-egress', 'policyTypes: ["Ingress"]\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-dns-egress')],
    ['an internet egress block that reaches the metadata range', 'k8s-network', '169.254.0.0/16 (link-local', (d) => edit(d, `${K}network-policies.yaml`, '"127.0.0.0/8", "169.254.0.0/16", ', '"127.0.0.0/8", ')],
    ['an internet egress block that reaches the cluster ranges', 'k8s-network', 'reaches 10.0.0.0/8', (d) => edit(d, `${K}network-policies.yaml`, '["0.0.0.0/8", "10.0.0.0/8", ', '["0.0.0.0/8", ')],
    ['plain http for tenant URLs in Kubernetes', 'k8s-outbound-guard', 'OUTBOUND_ALLOW_HTTP is "true"', (d) => edit(d, W, 'OUTBOUND_ALLOW_HTTP: "false"', 'OUTBOUND_ALLOW_HTTP: "true"')],
    ['the guard setting left out of a ConfigMap', 'k8s-outbound-guard', 'OUTBOUND_ALLOW_HTTP is not set', (d) => edit(d, W, '  OUTBOUND_ALLOW_HTTP: "false"\n', '')],
    ['an allowlist that opens the metadata service', 'k8s-outbound-guard', 'opens the metadata service', (d) => edit(d, W, 'OUTBOUND_ALLOWLIST: ""', 'OUTBOUND_ALLOWLIST: "gitlab.corp, 169.254.0.0/16"')],
    // topics
    ['a topic table changed without regenerating the ConfigMap', 'topics-table', 'gen-topics-configmap', (d) => edit(d, 'config/topics.tsv', 'argus.dlq\t3', 'argus.dlq\t6')],
    ['more partitions than the ScaledObject allows for', 'workers-scaling', 'maxReplicaCount', (d) => edit(d, 'config/topics.tsv', 'argus.test.created\t12', 'argus.test.created\t24')],
    ['replication factor 3 on the one dev broker', 'topics-table', 'exceeds', (d) => edit(d, 'kubernetes/overlays/dev/sizes.yaml', '            - name: REPLICATION_FACTOR\n              value: "1"', '            - name: REPLICATION_FACTOR\n              value: "3"')],
    // Dockerfiles
    ['a make step with its own flags', 'docker-build-steps', 'overrides', (d) => edit(d, D, 'RUN make -j"$(nproc)" build/bin/argus-cognee-worker', 'RUN make -j"$(nproc)" CFLAGS=-O0 build/bin/argus-cognee-worker')],
    ['a make target the Makefile does not have', 'docker-build-steps', 'unknown to the Makefile', (d) => edit(d, D, 'build/bin/argus-dlq\nRUN strip', 'build/bin/argus-dlq build/bin/argus-nothing\nRUN strip')],
    ['a build that compiles by hand', 'docker-build-steps', 'neither setup', (d) => edit(d, D, 'COPY . .\n', 'COPY . .\nRUN cc -o x workers/cognee/main.c\n')],
    ['a runtime missing a linked library', 'docker-runtime-libs', 'libpq5', (d) => edit(d, D, ' libpq5 ', ' ')],
    ['a root runtime user', 'docker-build-steps', 'USER', (d) => edit(d, D, 'USER 10001:10001', 'USER root')],
    ['a health check that needs curl', 'docker-build-steps', 'HEALTHCHECK', (d) => edit(d, D, 'CMD ["argus-cognee-worker", "--health-probe"]', 'CMD curl -f http://127.0.0.1:8080/health')],
    ['a VOLUME nobody mounts', 'docker-volumes', 'VOLUME', (d) => edit(d, D, 'VOLUME ["/var/cache/argus"]', 'VOLUME ["/var/cache/argus", "/var/lib/argus"]')],
    // docs
    ['an operations guide without the cost tiers', 'docs-operations', '$629', (d) => edit(d, 'docs/operations.md', '$629', '$600')],
];

let passed = 0;
let failed = 0;
const result = (ok, text) => { if (ok) passed++; else failed++; console.log(`${ok ? 'ok' : 'not ok'} - ${text}`); };

const baseline = copyTree();
try {
    const res = await runChecks(baseline);
    const bad = res.filter((r) => r.failures.length);
    result(!bad.length, `the unbroken copy passes every check${bad.length ? `: ${bad.map((r) => `${r.id}: ${r.failures[0]}`).join('; ')}` : ''}`);
} finally {
    fs.rmSync(baseline, { recursive: true, force: true });
}
for (const [what, id, expect, mutate] of CASES) {
    const dir = copyTree();
    try {
        mutate(dir);
        const [r] = await runChecks(dir, [id]);
        const hit = r.failures.some((f) => f.includes(expect));
        result(hit, `${id} catches ${what}${hit ? '' : ` (got: ${r.failures.length ? r.failures.slice(0, 2).join(' | ') : 'no failure'})`}`);
    } catch (e) {
        result(false, `${id} catches ${what}: ${e.message}`);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
console.log(`negative: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
