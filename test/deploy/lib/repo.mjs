// A read-only view of one checkout for the deployment checks: YAML documents, rendered
// kustomizations, the topic table, the worker list, the resolved compose file and parsed Dockerfiles.
// Every loader is memoised; a loader that cannot do its job throws an Error whose message is the
// failure to report (a check turns it into one failure line).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

export const NAMESPACE = 'argus-data';
// Compose profiles checked even before their worker exists (the README's workers), plus each worker's.
const PLANNED_PROFILES = ['', 'cognee', 'healing', 'notification', 'integration', 'workers'];
// The binaries of this checkout (a negative test's copy of the tree has no build of its own).
export const BIN = process.env.ARGUS_BUILD ? `${process.env.ARGUS_BUILD}/bin` : new URL('../../../build/bin', import.meta.url).pathname;
export const COMPOSE_FILE = 'docker/docker-compose.data-layer.yml';
export const RENDERINGS = { base: 'kubernetes', dev: 'kubernetes/overlays/dev', prod: 'kubernetes/overlays/prod' };
// Helm values that go with each rendering (Redpanda is installed by its chart, not by kustomize).
export const REDPANDA_VALUES = {
    base: ['kubernetes/redpanda-values.yaml'],
    dev: ['kubernetes/redpanda-values.yaml', 'kubernetes/overlays/dev/redpanda-values.yaml'],
    prod: ['kubernetes/redpanda-values.yaml'],
};

export function run(cmd, args, opts = {}) {
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
    if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
    return r;
}

export class Repo {
    constructor(root, deps, cache) {
        this.root = path.resolve(root);
        this.deps = deps;
        this.cache = cache;
        this.memo = new Map();
    }

    once(key, fn) {
        if (!this.memo.has(key)) {
            try {
                this.memo.set(key, { value: fn() });
            } catch (e) {
                this.memo.set(key, { error: e });
            }
        }
        const m = this.memo.get(key);
        if (m.error) throw m.error;
        return m.value;
    }

    abs(rel) { return path.join(this.root, rel); }
    exists(rel) { return fs.existsSync(this.abs(rel)); }
    read(rel) {
        if (!this.exists(rel)) throw new Error(`${rel}: missing`);
        return fs.readFileSync(this.abs(rel), 'utf8');
    }
    version() { return this.read('VERSION').trim(); }

    parseYaml(text, where) {
        const docs = this.deps.YAML.parseAllDocuments(text, { merge: true, uniqueKeys: true });
        const out = [];
        for (const d of docs) {
            if (d.errors.length) throw new Error(`${where}: YAML: ${d.errors[0].message}`);
            const v = d.toJS({ maxAliasCount: 1000 });
            if (v !== null && v !== undefined) out.push(v);
        }
        return out;
    }

    // Every document of a YAML file, as plain objects.
    yamlDocs(rel) { return this.once(`yaml:${rel}`, () => this.parseYaml(this.read(rel), rel)); }
    yamlDoc(rel) { return this.yamlDocs(rel)[0] || {}; }

    // `kustomize build` of a directory: the objects a `kubectl apply -k` would send.
    render(name) {
        return this.once(`render:${name}`, () => {
            const dir = RENDERINGS[name];
            const r = run(path.join(this.cache, 'bin', 'kustomize'), ['build', this.abs(dir)]);
            if (r.status !== 0) throw new Error(`kustomize build ${dir}: ${r.stderr.trim().split('\n').pop()}`);
            return this.parseYaml(r.stdout, `kustomize build ${dir}`);
        });
    }

    // The resources list of the base kustomization: the plain files of the README's apply order.
    baseFiles() {
        return this.once('baseFiles', () => (this.yamlDoc('kubernetes/base/kustomization.yaml').resources || [])
            .map((r) => path.posix.join('kubernetes/base', r)));
    }

    // Redpanda Helm values of a rendering, the later files overriding the earlier (deep merge).
    redpandaValues(name) {
        return this.once(`rpvalues:${name}`, () => REDPANDA_VALUES[name].map((f) => this.yamlDoc(f)).reduce(deepMerge, {}));
    }

    // config/topics.tsv: name -> {partitions, retentionMs, maxMessageBytes}
    topics() {
        return this.once('topics', () => {
            const map = new Map();
            this.read('config/topics.tsv').split('\n').forEach((line, i) => {
                if (!line.trim() || line.startsWith('#')) return;
                const [name, partitions, retentionMs, maxMessageBytes] = line.split('\t');
                if (!/^\d+$/.test(partitions || '')) throw new Error(`config/topics.tsv:${i + 1}: partitions is not a number`);
                map.set(name, { partitions: Number(partitions), retentionMs, maxMessageBytes });
            });
            return map;
        });
    }

    // The workers that exist: the Makefile's rule (a directory of workers/ with a .c file) -> binary.
    workers() {
        return this.once('workers', () => {
            const dir = this.abs('workers');
            if (!fs.existsSync(dir)) return [];
            return fs.readdirSync(dir, { withFileTypes: true })
                .filter((e) => e.isDirectory() && fs.readdirSync(path.join(dir, e.name)).some((f) => f.endsWith('.c')))
                .map((e) => e.name).sort();
        });
    }

    // Every compose profile to check: the planned ones and one per worker.
    profiles() { return [...new Set([...PLANNED_PROFILES, ...this.workers()])]; }

    // What a worker binary says of itself (`argus-<w>-worker --describe`), parsed.
    describe(w) {
        return this.once(`describe:${w}`, () => {
            const bin = path.join(BIN, `argus-${w}-worker`);
            if (!fs.existsSync(bin)) throw new Error(`${bin} is not built (run make first)`);
            const r = run(bin, ['--describe']);
            if (r.status !== 0) throw new Error(`argus-${w}-worker --describe: exit ${r.status}: ${r.stderr.trim()}`);
            try { return JSON.parse(r.stdout); } catch (e) { throw new Error(`argus-${w}-worker --describe: not JSON: ${e.message}`); }
        });
    }

    // The compose file as docker-compose resolves it (anchors, merges, defaults), for one profile.
    compose(profile = '') {
        return this.once(`compose:${profile}`, () => {
            const args = ['-f', this.abs(COMPOSE_FILE), ...(profile ? ['--profile', profile] : []), 'config'];
            const r = run('docker-compose', args, { cwd: this.root, env: { ...process.env, COMPOSE_PROJECT_NAME: 'argus-check' } });
            if (r.status !== 0) throw new Error(`docker-compose ${profile ? `--profile ${profile} ` : ''}config: ${r.stderr.trim()}`);
            return this.parseYaml(r.stdout, 'docker-compose config')[0];
        });
    }

    // A Dockerfile as stages of instructions ({op, args, text}); continuation lines joined.
    dockerfile(rel) {
        return this.once(`dockerfile:${rel}`, () => {
            const lines = this.read(rel).split('\n');
            const instrs = [];
            let buf = '';
            for (const raw of lines) {
                const line = raw.replace(/\s+$/, '');
                if (!buf && (/^\s*#/.test(line) || !line.trim())) continue;
                if (buf && /^\s*#/.test(line)) continue;
                if (line.endsWith('\\')) { buf += line.slice(0, -1) + ' '; continue; }
                buf += line;
                const m = buf.trim().match(/^(\w+)\s+([\s\S]*)$/);
                if (m) instrs.push({ op: m[1].toUpperCase(), args: m[2].replace(/\s+/g, ' ').trim() });
                buf = '';
            }
            const stages = [];
            for (const ins of instrs) {
                if (ins.op === 'FROM') {
                    const m = ins.args.match(/^(\S+)(?:\s+AS\s+(\S+))?$/i);
                    stages.push({ from: m ? m[1] : ins.args, name: m && m[2], instrs: [] });
                } else if (stages.length) {
                    stages[stages.length - 1].instrs.push(ins);
                }
            }
            return stages;
        });
    }
}

export function deepMerge(a, b) {
    if (!isObj(a) || !isObj(b)) return b === undefined ? a : b;
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = deepMerge(a[k], v);
    return out;
}
export const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// --- helpers shared by the checks ---

export const kindIs = (o, kind) => o && o.kind === kind;
export const nameOf = (o) => `${o.kind}/${o.metadata && o.metadata.name}`;
export const workloads = (objs) => objs.filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind));
export const podSpec = (w) => w.spec.template.spec;
export const podLabels = (w) => (w.spec.template.metadata && w.spec.template.metadata.labels) || {};
export const containersOf = (w) => [...(podSpec(w).initContainers || []), ...(podSpec(w).containers || [])];

// Kubernetes label selector semantics (matchLabels + matchExpressions).
export function selectorMatches(sel, labels) {
    if (!sel) return false;
    for (const [k, v] of Object.entries(sel.matchLabels || {})) if (labels[k] !== v) return false;
    for (const e of sel.matchExpressions || []) {
        const has = Object.prototype.hasOwnProperty.call(labels, e.key);
        if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]))) return false;
        if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key])) return false;
        if (e.operator === 'Exists' && !has) return false;
        if (e.operator === 'DoesNotExist' && has) return false;
    }
    return true;
}

// Kubernetes quantities -> numbers (cpu in cores, memory in bytes).
export function quantity(q) {
    if (q === undefined || q === null) return undefined;
    const m = String(q).match(/^([0-9.]+)(m|k|Ki|M|Mi|G|Gi|T|Ti|)$/);
    if (!m) throw new Error(`not a quantity: ${q}`);
    const mult = { '': 1, m: 1e-3, k: 1e3, Ki: 1024, M: 1e6, Mi: 1024 ** 2, G: 1e9, Gi: 1024 ** 3, T: 1e12, Ti: 1024 ** 4 }[m[2]];
    return Number(m[1]) * mult;
}
// Redis-style memory sizes (maxmemory 1536mb, 3gb) and compose sizes (2g, 384m) -> bytes.
export function redisBytes(s) {
    const m = String(s).trim().toLowerCase().match(/^([0-9.]+)\s*(b|k|kb|m|mb|g|gb)?$/);
    if (!m) throw new Error(`not a memory size: ${s}`);
    const unit = (m[2] || 'b')[0];
    return Number(m[1]) * { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit];
}

// The value of an environment variable of a container, with $(VAR) references expanded from
// earlier variables and ConfigMap keys (envFrom), the way the kubelet does.
export function containerEnv(container, configMaps) {
    const env = {};
    for (const ef of container.envFrom || []) {
        if (ef.configMapRef) {
            const cm = configMaps.find((c) => c.metadata.name === ef.configMapRef.name);
            Object.assign(env, (cm && cm.data) || {});
        }
    }
    for (const e of container.env || []) {
        if (e.value !== undefined) env[e.name] = expand(String(e.value), env);
        else if (e.valueFrom) env[e.name] = { from: e.valueFrom };
    }
    return env;
}
export const expand = (s, env) => s.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (all, v) => (typeof env[v] === 'string' ? env[v] : all));

export function workerOf(objs, w) {
    const find = (kind, name) => objs.find((o) => o.kind === kind && o.metadata.name === name);
    return {
        configMap: find('ConfigMap', `${w}-worker-config`),
        deployment: find('Deployment', `${w}-worker`),
        scaledObject: objs.find((o) => o.kind === 'ScaledObject' && o.spec.scaleTargetRef.name === `${w}-worker`),
        pdb: find('PodDisruptionBudget', `${w}-worker`),
        podMonitor: find('PodMonitor', `${w}-worker`),
    };
}
