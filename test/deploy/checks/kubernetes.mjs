// Checks of kubernetes/: it renders, it validates, its plain files stand alone, its selectors select,
// its workloads are probed, bounded and locked down, its memory settings fit, its secrets are empty.
import fs from 'node:fs';
import path from 'node:path';
import {
    NAMESPACE, RENDERINGS, workloads, podSpec, podLabels, containersOf, selectorMatches, quantity, redisBytes,
    containerEnv, expand,
} from '../lib/repo.mjs';
import { validateObject } from '../lib/schema.mjs';
import { redpandaFacts, SECRET_NAME } from '../lib/facts.mjs';

const RENDER_NAMES = Object.keys(RENDERINGS);
const CLUSTER_SCOPED = new Set(['Namespace']);

// Runs fn(objs, name) for every rendering; a rendering that fails to build is one failure.
function eachRendering(repo, fn) {
    const out = [];
    for (const name of RENDER_NAMES) {
        let objs;
        try { objs = repo.render(name); } catch (e) { out.push(e.message); continue; }
        out.push(...fn(objs, name).map((p) => `[${name}] ${p}`));
    }
    return out;
}

export const render = {
    id: 'k8s-render',
    title: 'kustomize builds the base and both overlays',
    run: (repo) => eachRendering(repo, (objs) => (objs.length ? [] : ['renders no objects'])),
};

export const schema = {
    id: 'k8s-schema',
    title: 'every manifest (base files and rendered overlays) validates against the Kubernetes schemas',
    async run(repo) {
        const out = [];
        const seen = new Set();
        const check = async (o, where) => {
            const key = JSON.stringify(o);
            if (seen.has(key)) return;
            seen.add(key);
            for (const p of await validateObject(o, repo.deps)) out.push(`${where}: ${p}`);
        };
        for (const f of [...repo.baseFiles(), 'kubernetes/secrets.yaml']) {
            try { for (const o of repo.yamlDocs(f)) await check(o, f); } catch (e) { out.push(e.message); }
        }
        for (const name of RENDER_NAMES) {
            try { for (const o of repo.render(name)) await check(o, name); } catch (e) { out.push(e.message); }
        }
        return out;
    },
};

export const plainFiles = {
    id: 'k8s-plain-files',
    title: 'the base is plain files: complete, namespaced, all listed, reachable under the README names',
    run(repo) {
        const out = [];
        const listed = new Set(repo.baseFiles());
        for (const f of listed) {
            let docs;
            try { docs = repo.yamlDocs(f); } catch (e) { out.push(e.message); continue; }
            for (const o of docs) {
                if (!o.apiVersion || !o.kind || !o.metadata || !o.metadata.name) out.push(`${f}: an object without apiVersion/kind/name`);
                else if (!CLUSTER_SCOPED.has(o.kind) && o.metadata.namespace !== NAMESPACE) out.push(`${f}: ${o.kind}/${o.metadata.name} is not in namespace ${NAMESPACE} (kubectl apply -f would put it elsewhere)`);
            }
        }
        // Every manifest under base/ is in the kustomization, and reachable as kubernetes/<name>.
        const baseDir = repo.abs('kubernetes/base');
        const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
        for (const abs of fs.existsSync(baseDir) ? walk(baseDir) : []) {
            const rel = path.relative(repo.root, abs);
            if (!rel.endsWith('.yaml') || rel.endsWith('kustomization.yaml')) continue;
            if (!listed.has(rel)) out.push(`${rel}: not listed in kubernetes/base/kustomization.yaml`);
            const readme = path.join('kubernetes', path.relative(baseDir, abs));
            if (!repo.exists(readme) || fs.realpathSync(repo.abs(readme)) !== fs.realpathSync(abs)) out.push(`${readme}: missing (the README applies kubernetes/<file>.yaml; link it to ${rel})`);
        }
        for (const f of ['kubernetes/secrets.yaml', 'kubernetes/redpanda-values.yaml']) if (!repo.exists(f)) out.push(`${f}: missing`);
        return out;
    },
};

export const selectors = {
    id: 'k8s-selectors',
    title: 'selectors match pod labels (workloads, Services, PDBs, policies, ScaledObjects, monitors)',
    run: (repo) => eachRendering(repo, (objs) => {
        const out = [];
        const rp = redpandaFacts(repo.redpandaValues('base'));
        const wl = workloads(objs);
        const podsOf = (sel) => wl.filter((w) => selectorMatches(sel, podLabels(w)));
        for (const w of wl) {
            if (w.kind === 'Job') continue;
            if (!selectorMatches(w.spec.selector, podLabels(w))) out.push(`${w.kind}/${w.metadata.name}: selector does not match its pod template labels`);
            if (w.kind === 'StatefulSet') {
                const svc = objs.find((o) => o.kind === 'Service' && o.metadata.name === w.spec.serviceName);
                if (!svc) out.push(`StatefulSet/${w.metadata.name}: serviceName ${w.spec.serviceName} is not a Service`);
                else if (svc.spec.clusterIP !== 'None') out.push(`StatefulSet/${w.metadata.name}: Service ${svc.metadata.name} is not headless`);
            }
        }
        for (const s of objs.filter((o) => o.kind === 'Service')) {
            const pods = podsOf({ matchLabels: s.spec.selector || {} });
            if (!s.spec.selector || !pods.length) { out.push(`Service/${s.metadata.name}: selects no pods`); continue; }
            for (const p of s.spec.ports || []) {
                if (typeof p.targetPort === 'string' && !pods.every((w) => containersOf(w).some((c) => (c.ports || []).some((cp) => cp.name === p.targetPort)))) out.push(`Service/${s.metadata.name}: targetPort ${p.targetPort} is not a named port of its pods`);
            }
        }
        for (const p of objs.filter((o) => o.kind === 'PodDisruptionBudget')) if (!podsOf(p.spec.selector).length) out.push(`PodDisruptionBudget/${p.metadata.name}: selects no pods`);
        for (const m of objs.filter((o) => o.kind === 'PodMonitor')) {
            const pods = podsOf(m.spec.selector);
            if (!pods.length) { out.push(`PodMonitor/${m.metadata.name}: selects no pods`); continue; }
            for (const ep of m.spec.podMetricsEndpoints || []) if (!pods.every((w) => containersOf(w).some((c) => (c.ports || []).some((cp) => cp.name === ep.port)))) out.push(`PodMonitor/${m.metadata.name}: port ${ep.port} is not a named port of its pods`);
        }
        for (const s of objs.filter((o) => o.kind === 'ScaledObject')) {
            const t = s.spec.scaleTargetRef;
            if (!objs.some((o) => o.kind === (t.kind || 'Deployment') && o.metadata.name === t.name)) out.push(`ScaledObject/${s.metadata.name}: scaleTargetRef ${t.kind || 'Deployment'}/${t.name} does not exist`);
            for (const [i, tr] of (s.spec.triggers || []).entries()) {
                const ref = tr.authenticationRef && tr.authenticationRef.name;
                if (ref && !objs.some((o) => o.kind === 'TriggerAuthentication' && o.metadata.name === ref)) out.push(`ScaledObject/${s.metadata.name}: trigger ${i} uses TriggerAuthentication ${ref}, which does not exist`);
            }
        }
        if (objs.some((o) => o.kind === 'HorizontalPodAutoscaler')) out.push('a HorizontalPodAutoscaler next to KEDA: both would fight over replicas');
        // Policy selectors must select something (a typo would silently protect nothing).
        const rpPods = [rp.brokerLabels];
        for (const np of objs.filter((o) => o.kind === 'NetworkPolicy')) {
            const sel = np.spec.podSelector || {};
            if (!Object.keys(sel).length) continue;
            // Opt-in policies (argus.dev/uses-*) may have no client yet: a later worker brings one.
            const keys = [...Object.keys(sel.matchLabels || {}), ...(sel.matchExpressions || []).map((e) => e.key)];
            if (keys.every((k) => k.startsWith('argus.dev/uses-'))) continue;
            const hits = podsOf(sel).length + rpPods.filter((l) => selectorMatches(sel, l)).length;
            if (!hits) out.push(`NetworkPolicy/${np.metadata.name}: podSelector selects no pods`);
        }
        return out;
    }),
};

const PROBED = ['Deployment', 'StatefulSet'];
export const workloadRules = {
    id: 'k8s-workloads',
    title: 'workloads: probes, requests and limits, locked-down security context, drain fits the grace period',
    run: (repo) => eachRendering(repo, (objs) => {
        const out = [];
        const configMaps = objs.filter((o) => o.kind === 'ConfigMap');
        const lr = objs.find((o) => o.kind === 'LimitRange');
        const bounds = lr && lr.spec.limits.find((l) => l.type === 'Container');
        for (const w of workloads(objs)) {
            const id = `${w.kind}/${w.metadata.name}`;
            const spec = podSpec(w);
            const annotations = w.spec.template.metadata.annotations || {};
            const writable = annotations['argus.dev/writable-root-filesystem'] || '';
            const psc = spec.securityContext || {};
            if (psc.runAsNonRoot !== true) out.push(`${id}: pod securityContext.runAsNonRoot is not true`);
            if (!psc.seccompProfile || psc.seccompProfile.type !== 'RuntimeDefault') out.push(`${id}: pod seccompProfile is not RuntimeDefault`);
            if (spec.automountServiceAccountToken !== false) out.push(`${id}: automountServiceAccountToken is not false (nothing here talks to the API server)`);
            for (const c of containersOf(w)) {
                const cid = `${id} container ${c.name}`;
                if (PROBED.includes(w.kind) && (!c.livenessProbe || !c.readinessProbe)) out.push(`${cid}: needs a livenessProbe and a readinessProbe`);
                const r = c.resources || {};
                for (const k of ['cpu', 'memory']) {
                    const req = quantity((r.requests || {})[k]);
                    const lim = quantity((r.limits || {})[k]);
                    if (req === undefined || lim === undefined) { out.push(`${cid}: resources.requests.${k} and limits.${k} are both required`); continue; }
                    if (req > lim) out.push(`${cid}: requests.${k} exceeds limits.${k}`);
                    if (bounds && bounds.max && lim > quantity(bounds.max[k])) out.push(`${cid}: limits.${k} ${r.limits[k]} is above the LimitRange max ${bounds.max[k]}`);
                    if (bounds && bounds.min && req < quantity(bounds.min[k])) out.push(`${cid}: requests.${k} ${r.requests[k]} is below the LimitRange min ${bounds.min[k]}`);
                }
                const sc = c.securityContext || {};
                if (sc.allowPrivilegeEscalation !== false) out.push(`${cid}: allowPrivilegeEscalation is not false`);
                if (sc.privileged) out.push(`${cid}: privileged`);
                if (!(sc.capabilities && (sc.capabilities.drop || []).includes('ALL')) || (sc.capabilities.add || []).length) out.push(`${cid}: capabilities must drop ALL and add none`);
                if (sc.readOnlyRootFilesystem !== true) {
                    const excused = writable.startsWith(`${c.name}:`) && w.metadata.labels['app.kubernetes.io/component'] !== 'worker';
                    if (!excused) out.push(`${cid}: readOnlyRootFilesystem is not true`);
                }
                if (sc.runAsUser === 0 || psc.runAsUser === 0) out.push(`${cid}: runs as root`);
                // Directories the program writes (…_DIR settings) must be on a writable volume.
                const env = containerEnv(c, configMaps);
                for (const [k, v] of Object.entries(env)) {
                    if (!/_DIR$/.test(k) || typeof v !== 'string' || !v.startsWith('/') || k === 'MIGRATIONS_DIR') continue;
                    const m = (c.volumeMounts || []).find((vm) => !vm.readOnly && (v === vm.mountPath || v.startsWith(`${vm.mountPath}/`)));
                    if (!m) out.push(`${cid}: ${k}=${v} is not under a writable volume (the root filesystem is read-only)`);
                }
            }
            if (w.metadata.labels['app.kubernetes.io/component'] === 'worker') {
                const c = spec.containers[0];
                const env = containerEnv(c, configMaps);
                const drainMs = Number(env.WORKER_SHUTDOWN_TIMEOUT_MS || 20000);
                const grace = spec.terminationGracePeriodSeconds === undefined ? 30 : spec.terminationGracePeriodSeconds;
                if (grace * 1000 < drainMs + 5000) out.push(`${id}: terminationGracePeriodSeconds ${grace} leaves less than 5 s past WORKER_SHUTDOWN_TIMEOUT_MS ${drainMs}`);
                if (grace > 120) out.push(`${id}: terminationGracePeriodSeconds ${grace} makes rollouts and drains needlessly slow`);
                const port = Number(env.HEALTH_PORT || 8080);
                const named = (c.ports || []).find((p) => p.containerPort === port);
                if (!named) out.push(`${id}: no containerPort for HEALTH_PORT ${port}`);
                const probePath = (p) => p && p.httpGet && p.httpGet.path;
                const probePort = (p) => p && p.httpGet && (p.httpGet.port === port || (named && p.httpGet.port === named.name));
                if (probePath(c.livenessProbe) !== '/health' || !probePort(c.livenessProbe)) out.push(`${id}: livenessProbe must GET /health on HEALTH_PORT`);
                if (probePath(c.readinessProbe) !== '/ready' || !probePort(c.readinessProbe)) out.push(`${id}: readinessProbe must GET /ready on HEALTH_PORT`);
            }
        }
        return out;
    }),
};

// maxmemory of a redis-like container: from its args or REDIS_ARGS, with $(VAR) expanded.
function maxmemoryOf(c, configMaps) {
    const env = containerEnv(c, configMaps);
    const text = [...(c.args || []), typeof env.REDIS_ARGS === 'string' ? env.REDIS_ARGS : ''].map((a) => expand(String(a), env)).join(' ');
    const m = text.match(/--maxmemory\s+(\S+)/);
    return m ? m[1] : null;
}

export const memory = {
    id: 'k8s-memory',
    title: 'memory settings fit: maxmemory <= 80% of the limit; the quota admits everything at full scale',
    run: (repo) => eachRendering(repo, (objs, name) => {
        const out = [];
        const configMaps = objs.filter((o) => o.kind === 'ConfigMap');
        for (const ss of objs.filter((o) => o.kind === 'StatefulSet')) {
            for (const c of containersOf(ss)) {
                const mm = maxmemoryOf(c, configMaps);
                if (!mm) { if (/falkordb|valkey/.test(c.image)) out.push(`StatefulSet/${ss.metadata.name}: ${c.name} sets no maxmemory`); continue; }
                const lim = quantity(c.resources.limits.memory);
                let bytes;
                try { bytes = redisBytes(mm); } catch (e) { out.push(`StatefulSet/${ss.metadata.name}: ${e.message}`); continue; }
                if (bytes > 0.8 * lim) out.push(`StatefulSet/${ss.metadata.name}: maxmemory ${mm} is above 80% of the ${c.resources.limits.memory} memory limit (no room for the fork and overhead)`);
            }
        }
        // Sum of requests and limits at the largest scale, Redpanda's brokers included.
        const rp = redpandaFacts(repo.redpandaValues(name));
        const sum = { 'requests.cpu': 0, 'requests.memory': 0, 'limits.cpu': 0, 'limits.memory': 0, 'requests.storage': 0, persistentvolumeclaims: 0 };
        for (const w of workloads(objs)) {
            let n = w.spec.replicas === undefined ? 1 : w.spec.replicas;
            const so = objs.find((o) => o.kind === 'ScaledObject' && o.spec.scaleTargetRef.name === w.metadata.name);
            if (so) n = so.spec.maxReplicaCount;
            if (w.kind === 'Job') n = w.spec.parallelism || 1;
            for (const c of containersOf(w)) {
                for (const k of ['cpu', 'memory']) {
                    sum[`requests.${k}`] += n * (quantity(((c.resources || {}).requests || {})[k]) || 0);
                    sum[`limits.${k}`] += n * (quantity(((c.resources || {}).limits || {})[k]) || 0);
                }
            }
            for (const t of w.spec.volumeClaimTemplates || []) {
                sum['requests.storage'] += n * quantity(t.spec.resources.requests.storage);
                sum.persistentvolumeclaims += n;
            }
        }
        sum['requests.cpu'] += rp.brokers * rp.cores;
        sum['limits.cpu'] += rp.brokers * rp.cores;
        sum['requests.memory'] += rp.brokers * quantity(rp.memoryMin);
        sum['limits.memory'] += rp.brokers * quantity(rp.memoryMax);
        sum['requests.storage'] += rp.brokers * quantity(rp.storage || '20Gi');
        sum.persistentvolumeclaims += rp.brokers;
        const quota = objs.find((o) => o.kind === 'ResourceQuota');
        if (!quota) return [...out, 'no ResourceQuota'];
        for (const [k, v] of Object.entries(sum)) {
            const hard = quota.spec.hard[k];
            if (hard === undefined) { out.push(`ResourceQuota: no ${k}`); continue; }
            if (quantity(hard) < v) out.push(`ResourceQuota ${k} ${hard} is below the ${k.includes('memory') || k.includes('storage') ? `${(v / 1024 ** 3).toFixed(1)}Gi` : v.toFixed(2)} needed at full scale`);
        }
        return out;
    }),
};

const PLACEHOLDER = /^\$\{[A-Z][A-Z0-9_]*\}$/;
// Keys of chart-made secrets the manifests may reference.
const CHART_SECRETS = { 'redpanda-default-cert': ['ca.crt', 'tls.crt', 'tls.key'] };

export const secrets = {
    id: 'k8s-secrets',
    title: 'no secret values committed; every secret reference names a documented key',
    run(repo) {
        const out = [];
        const known = new Map();
        let docs = [];
        try { docs = repo.yamlDocs('kubernetes/secrets.yaml'); } catch (e) { return [e.message]; }
        const text = repo.read('kubernetes/secrets.yaml');
        for (const s of docs) {
            if (s.kind !== 'Secret') { out.push(`secrets.yaml: ${s.kind}/${s.metadata.name} is not a Secret`); continue; }
            if (s.data) out.push(`secrets.yaml: Secret/${s.metadata.name} has base64 data (use stringData with \${PLACEHOLDERS})`);
            known.set(s.metadata.name, Object.keys(s.stringData || {}));
            for (const [k, v] of Object.entries(s.stringData || {})) {
                if (k === 'username') continue;
                const rest = String(v).replace(/\$\{[A-Z][A-Z0-9_]*\}/g, '');
                if (!/\$\{[A-Z][A-Z0-9_]*\}/.test(String(v)) || (!PLACEHOLDER.test(String(v)) && /[A-Za-z0-9+/=]{12,}/.test(rest))) out.push(`secrets.yaml: ${s.metadata.name}.${k} is not a \${PLACEHOLDER}`);
                if (!new RegExp(`^#.*\\b${k.replace('.', '\\.')}\\b`, 'm').test(text) && !new RegExp(`^#.*\\b${s.metadata.name}\\b`, 'm').test(text)) out.push(`secrets.yaml: ${s.metadata.name}.${k} is not documented in a comment`);
            }
        }
        const keyKnown = (name, key) => (known.get(name) || CHART_SECRETS[name] || []).includes(key);
        out.push(...eachRendering(repo, (objs) => {
            const o2 = [];
            for (const o of objs) {
                if (o.kind === 'Secret') o2.push(`Secret/${o.metadata.name} is rendered by kustomize (secrets are applied from the template only)`);
                if (o.kind === 'ConfigMap' && o.metadata.name !== 'argus-topics') for (const k of Object.keys(o.data || {})) if (SECRET_NAME.test(k)) o2.push(`ConfigMap/${o.metadata.name}: ${k} is a secret and belongs in a Secret`);
                if (o.kind === 'TriggerAuthentication') for (const r of o.spec.secretTargetRef || []) if (!keyKnown(r.name, r.key)) o2.push(`TriggerAuthentication/${o.metadata.name}: ${r.name}.${r.key} is not a documented secret key`);
            }
            for (const w of workloads(objs)) {
                for (const c of containersOf(w)) {
                    for (const e of c.env || []) {
                        if (SECRET_NAME.test(e.name) && e.value !== undefined && !/^\$\(/.test(e.value)) o2.push(`${w.kind}/${w.metadata.name}: ${e.name} has a literal value (use secretKeyRef)`);
                        const ref = e.valueFrom && e.valueFrom.secretKeyRef;
                        if (ref && !keyKnown(ref.name, ref.key)) o2.push(`${w.kind}/${w.metadata.name}: ${e.name} reads ${ref.name}.${ref.key}, which secrets.yaml does not define`);
                    }
                    if ((c.envFrom || []).some((ef) => ef.secretRef)) o2.push(`${w.kind}/${w.metadata.name}: envFrom a whole Secret (read only the keys you need)`);
                }
                for (const v of podSpec(w).volumes || []) {
                    if (!v.secret) continue;
                    for (const it of v.secret.items || [{ key: '*' }]) if (it.key !== '*' && !keyKnown(v.secret.secretName, it.key)) o2.push(`${w.kind}/${w.metadata.name}: volume ${v.name} reads ${v.secret.secretName}.${it.key}, which is not defined`);
                    if (!v.secret.items && !known.has(v.secret.secretName) && !CHART_SECRETS[v.secret.secretName]) o2.push(`${w.kind}/${w.metadata.name}: volume ${v.name} mounts unknown Secret ${v.secret.secretName}`);
                }
            }
            return o2;
        }));
        return out;
    },
};

export const checks = [render, schema, plainFiles, selectors, workloadRules, memory, secrets];
