// Every worker that exists (workers/<w>/ with C sources) has its whole deployment: image, compose
// service under its profile, ConfigMap, Deployment, ScaledObject sized by its topics, a PDB that
// cannot block a drain, a monitor; and the compose service and the Kubernetes ConfigMap agree.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { RENDERINGS, BIN, workerOf } from '../lib/repo.mjs';
import { workerFacts, endpointsOf, usesOf, redpandaFacts } from '../lib/facts.mjs';

const SASL = { 'SCRAM-SHA-512': 'scram_sha512', 'SCRAM-SHA-256': 'scram_sha256', PLAIN: 'plaintext' };
const IMAGE_REPO = 'ghcr.io/heyargus';

export const present = {
    id: 'workers-present',
    title: 'every worker directory has its image, compose profile, Deployment and ScaledObject',
    run(repo) {
        const out = [];
        const ws = repo.workers();
        const files = repo.baseFiles();
        let compose = null;
        try { compose = repo.compose('workers'); } catch (e) { out.push(e.message); }
        for (const w of ws) {
            if (!repo.exists(`docker/Dockerfile.${w}-worker`)) out.push(`${w}: docker/Dockerfile.${w}-worker missing`);
            if (!files.includes(`kubernetes/base/workers/${w}-worker.yaml`)) out.push(`${w}: kubernetes/base/workers/${w}-worker.yaml is not in kubernetes/base/kustomization.yaml`);
            if (compose) {
                const svc = compose.services[`${w}-worker`];
                if (!svc) out.push(`${w}: no compose service ${w}-worker`);
                else {
                    for (const p of [w, 'workers']) if (!(svc.profiles || []).includes(p)) out.push(`${w}: compose service ${w}-worker is not in profile ${p}`);
                    if (!svc.build || svc.build.dockerfile !== `docker/Dockerfile.${w}-worker`) out.push(`${w}: compose service does not build docker/Dockerfile.${w}-worker`);
                }
            }
            for (const name of Object.keys(RENDERINGS)) {
                let objs;
                try { objs = repo.render(name); } catch (e) { out.push(e.message); continue; }
                const f = workerOf(objs, w);
                for (const [k, what] of [['configMap', `ConfigMap ${w}-worker-config`], ['deployment', `Deployment ${w}-worker`], ['scaledObject', 'ScaledObject'], ['podMonitor', `PodMonitor ${w}-worker`]]) if (!f[k]) out.push(`[${name}] ${w}: no ${what}`);
            }
        }
        // Per-worker files without a worker: stale, or a worker not merged yet.
        for (const f of files) {
            const m = f.match(/^kubernetes\/base\/workers\/(.+)-worker\.yaml$/);
            if (m && !ws.includes(m[1])) out.push(`${f}: there is no workers/${m[1]}/ for it`);
        }
        return out;
    },
};

export const scaling = {
    id: 'workers-scaling',
    title: 'ScaledObjects: a lag trigger per input topic, maxReplicaCount = most partitions; PDBs never block drains',
    run(repo) {
        const out = [];
        let topics;
        try { topics = repo.topics(); } catch (e) { return [e.message]; }
        for (const name of Object.keys(RENDERINGS)) {
            let objs;
            try { objs = repo.render(name); } catch (e) { out.push(e.message); continue; }
            const rp = redpandaFacts(repo.redpandaValues(name));
            for (const so of objs.filter((o) => o.kind === 'ScaledObject')) {
                const id = `[${name}] ScaledObject/${so.metadata.name}`;
                const dep = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === so.spec.scaleTargetRef.name);
                if (!dep) continue; // k8s-selectors reports it
                const f = workerFacts(objs, dep.metadata.name.replace(/-worker$/, ''));
                const env = f.env || {};
                const inputs = String(env.KAFKA_INPUT_TOPICS || '').split(',').map((t) => t.trim()).filter(Boolean);
                if (!inputs.length) out.push(`${id}: the worker's ConfigMap names no KAFKA_INPUT_TOPICS`);
                const triggers = so.spec.triggers || [];
                const trTopics = triggers.map((t) => t.metadata.topic);
                for (const t of inputs) {
                    if (!topics.has(t)) out.push(`${id}: input topic ${t} is not in config/topics.tsv`);
                    if (!trTopics.includes(t)) out.push(`${id}: no lag trigger for input topic ${t}`);
                }
                for (const t of trTopics) if (!inputs.includes(t)) out.push(`${id}: trigger on ${t}, which the worker does not consume`);
                const want = Math.max(0, ...inputs.filter((t) => topics.has(t)).map((t) => topics.get(t).partitions));
                if (so.spec.maxReplicaCount !== want) out.push(`${id}: maxReplicaCount ${so.spec.maxReplicaCount}, but its input topics have at most ${want} partitions`);
                const min = so.spec.minReplicaCount === undefined ? 0 : so.spec.minReplicaCount;
                if (min < 1) out.push(`${id}: minReplicaCount ${min}: a group that never committed cannot scale up from 0`);
                for (const [i, t] of triggers.entries()) {
                    const m = t.metadata;
                    const tid = `${id} trigger ${i} (${m.topic})`;
                    if (m.consumerGroup !== env.KAFKA_CONSUMER_GROUP) out.push(`${tid}: consumerGroup ${m.consumerGroup} != KAFKA_CONSUMER_GROUP ${env.KAFKA_CONSUMER_GROUP}`);
                    if (m.bootstrapServers !== env.KAFKA_BOOTSTRAP_SERVERS) out.push(`${tid}: bootstrapServers differ from the worker's KAFKA_BOOTSTRAP_SERVERS`);
                    if ((m.offsetResetPolicy || 'latest') !== (env.KAFKA_AUTO_OFFSET_RESET || 'earliest')) out.push(`${tid}: offsetResetPolicy differs from KAFKA_AUTO_OFFSET_RESET`);
                    const proto = env.KAFKA_SECURITY_PROTOCOL || 'PLAINTEXT';
                    const wantSasl = proto.startsWith('SASL') ? SASL[env.KAFKA_SASL_MECHANISM || 'SCRAM-SHA-512'] : undefined;
                    if ((m.sasl || undefined) !== wantSasl && !(m.sasl === 'none' && !wantSasl)) out.push(`${tid}: sasl ${m.sasl} does not match ${proto}/${env.KAFKA_SASL_MECHANISM}`);
                    if ((m.tls === 'enable') !== /SSL$/.test(proto)) out.push(`${tid}: tls ${m.tls} does not match ${proto}`);
                    if (wantSasl && !(t.authenticationRef && t.authenticationRef.name)) out.push(`${tid}: SASL without an authenticationRef`);
                }
                // The worker's Kafka security must match the brokers'.
                const proto = env.KAFKA_SECURITY_PROTOCOL || 'PLAINTEXT';
                if (rp.saslMechanism && (!proto.startsWith('SASL') || env.KAFKA_SASL_MECHANISM !== rp.saslMechanism)) out.push(`${id}: brokers require SASL ${rp.saslMechanism}, the worker uses ${proto}/${env.KAFKA_SASL_MECHANISM}`);
                if (rp.tls !== /SSL$/.test(proto)) out.push(`${id}: brokers ${rp.tls ? 'use' : 'do not use'} TLS, the worker uses ${proto}`);
                if (rp.tls && !env.KAFKA_SSL_CA_LOCATION) out.push(`${id}: TLS without KAFKA_SSL_CA_LOCATION (the cluster CA is not in the system store)`);
                const pdb = objs.find((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === dep.metadata.name);
                if (pdb) {
                    if (pdb.spec.minAvailable !== undefined) {
                        const v = pdb.spec.minAvailable;
                        if (typeof v === 'string' || v >= min) out.push(`[${name}] PodDisruptionBudget/${pdb.metadata.name}: minAvailable ${v} with a minimum of ${min} replicas blocks node drains`);
                    }
                    const mu = pdb.spec.maxUnavailable;
                    if (mu !== undefined && (mu === 0 || mu === '0%')) out.push(`[${name}] PodDisruptionBudget/${pdb.metadata.name}: maxUnavailable 0 blocks node drains`);
                }
            }
            for (const pdb of objs.filter((o) => o.kind === 'PodDisruptionBudget')) {
                const target = objs.find((o) => ['Deployment', 'StatefulSet'].includes(o.kind) && o.metadata.name === pdb.metadata.name);
                const so = objs.find((o) => o.kind === 'ScaledObject' && target && o.spec.scaleTargetRef.name === target.metadata.name);
                if (target && !so && pdb.spec.minAvailable !== undefined && pdb.spec.minAvailable >= (target.spec.replicas || 1)) out.push(`[${name}] PodDisruptionBudget/${pdb.metadata.name}: minAvailable ${pdb.spec.minAvailable} on ${target.spec.replicas || 1} replica(s) blocks node drains`);
            }
        }
        return out;
    },
};

export const config = {
    id: 'workers-config',
    title: 'worker config: group, topics, DLQ, images at VERSION; compose and Kubernetes name the same endpoints',
    run(repo) {
        const out = [];
        let compose = null;
        try { compose = repo.compose('workers'); } catch (e) { out.push(e.message); }
        let topics = new Map();
        try { topics = repo.topics(); } catch (e) { out.push(e.message); }
        let objs;
        try { objs = repo.render('base'); } catch (e) { return [...out, e.message]; }
        for (const w of repo.workers()) {
            const f = workerFacts(objs, w);
            if (!f.deployment) continue; // workers-present reports it
            const env = f.env;
            if (env.KAFKA_CONSUMER_GROUP !== `argus-${w}-workers`) out.push(`${w}: KAFKA_CONSUMER_GROUP ${env.KAFKA_CONSUMER_GROUP} (expected argus-${w}-workers)`);
            if (!topics.has(env.KAFKA_DLQ_TOPIC || 'argus.dlq')) out.push(`${w}: DLQ topic ${env.KAFKA_DLQ_TOPIC} is not in config/topics.tsv`);
            const image = `${IMAGE_REPO}/argus-${w}-worker:${repo.version()}`;
            if (f.container.image !== image) out.push(`${w}: image ${f.container.image} (expected ${image}: the tag follows VERSION)`);
            if (!compose || !compose.services[`${w}-worker`]) continue;
            const cenv = compose.services[`${w}-worker`].environment || {};
            for (const k of ['KAFKA_CONSUMER_GROUP', 'KAFKA_INPUT_TOPICS', 'KAFKA_AUTO_OFFSET_RESET', 'KAFKA_DLQ_TOPIC']) {
                if ((cenv[k] || '') !== (env[k] || '')) out.push(`${w}: ${k} differs between compose (${cenv[k]}) and Kubernetes (${env[k]})`);
            }
            const ku = usesOf(endpointsOf(env));
            const cu = usesOf(endpointsOf(cenv));
            for (const k of Object.keys(ku)) if (ku[k] !== cu[k]) out.push(`${w}: Kubernetes ${ku[k] ? 'uses' : 'does not use'} ${k}, compose ${cu[k] ? 'does' : 'does not'}`);
            // compose: a worker waits for what it uses.
            const dep = compose.services[`${w}-worker`].depends_on || {};
            const need = { redpanda: 'service_healthy', topics: 'service_completed_successfully' };
            if (cu.falkordb) need.falkordb = 'service_healthy';
            if (cu.valkey) need.valkey = 'service_healthy';
            if (cu.database) need.migrate = 'service_completed_successfully';
            for (const [s, cond] of Object.entries(need)) if (!dep[s] || dep[s].condition !== cond) out.push(`${w}: compose service does not wait for ${s} (${cond})`);
        }
        return out;
    },
};

// Values standing in for secret references (their content is the Secret's business), in the format
// the variable needs.
const PLACEHOLDERS = { DATABASE_URL: 'postgresql://placeholder@placeholder:5432/placeholder' };

// What the worker itself says of an environment: `--check-config` exits 0, or 2 with one line naming
// the variable. Secret references get a placeholder value.
function checkConfig(w, env) {
    const bin = `${BIN}/argus-${w}-worker`;
    if (!fs.existsSync(bin)) return `${bin} is not built (run make first)`;
    const plain = { PATH: process.env.PATH };
    for (const [k, v] of Object.entries(env)) plain[k] = typeof v === 'object' && v !== null ? PLACEHOLDERS[k] || 'placeholder' : String(v ?? '');
    const r = spawnSync(bin, ['--check-config'], { env: plain, encoding: 'utf8' });
    return r.status === 0 ? null : `exit ${r.status}: ${(r.stderr || '').trim()}`;
}

export const accepted = {
    id: 'workers-env-accepted',
    title: 'each worker binary accepts the environment its ConfigMap (every rendering) and compose give it',
    run(repo) {
        const out = [];
        for (const w of repo.workers()) {
            for (const name of Object.keys(RENDERINGS)) {
                let objs;
                try { objs = repo.render(name); } catch (e) { out.push(e.message); continue; }
                const f = workerFacts(objs, w);
                if (!f.deployment) continue; // workers-present reports it
                const why = checkConfig(w, f.env);
                if (why) out.push(`[${name}] ${w}: ${why}`);
            }
            let compose = null;
            try { compose = repo.compose('workers'); } catch (e) { out.push(e.message); continue; }
            const svc = compose.services[`${w}-worker`];
            if (!svc) continue;
            const why = checkConfig(w, svc.environment || {});
            if (why) out.push(`[compose] ${w}: ${why}`);
        }
        return out;
    },
};

export const checks = [present, scaling, config, accepted];
