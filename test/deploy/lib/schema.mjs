// Schema validation of Kubernetes objects without a cluster: the kubernetes-models validators (types,
// required fields, enums) plus an unknown-field check they do not do, built from the property lists
// of the package's TypeScript declarations. CRDs the packages do not know (KEDA, the Prometheus
// operator) get rules of their own below.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let interfaces = null; // alias name (IIoK8s...) -> {prop: typeText}
let kinds = null;      // "apiVersion/kind" -> alias name of its interface

function stripComments(s) { return s.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, ''); }

// Reads `export interface IX { "a"?: T; ... }` and `export type { IX as IIoK8s... }` from one .d.ts.
function readDeclarations(text) {
    text = stripComments(text);
    const bodies = new Map();
    const re = /export interface (\w+)(?: extends [\w, ]+)? \{/g;
    let m;
    while ((m = re.exec(text))) {
        let depth = 1, i = re.lastIndex;
        while (depth && i < text.length) { if (text[i] === '{') depth++; else if (text[i] === '}') depth--; i++; }
        bodies.set(m[1], parseProps(text.slice(re.lastIndex, i - 1)));
    }
    const aliases = [];
    for (const a of text.matchAll(/export type \{([^}]*)\}/g)) {
        for (const part of a[1].split(',')) {
            const [from, to] = part.split(' as ').map((x) => x && x.trim());
            if (from && to && bodies.has(from)) aliases.push([to, bodies.get(from)]);
        }
    }
    return { bodies, aliases };
}

function parseProps(body) {
    const props = {};
    let i = 0;
    while (i < body.length) {
        const m = body.slice(i).match(/^\s*"([^"]+)"\??:\s*/);
        if (!m) { const nl = body.indexOf('\n', i); if (nl < 0) break; i = nl + 1; continue; }
        i += m[0].length;
        let depth = 0, j = i;
        for (; j < body.length; j++) {
            const c = body[j];
            if (c === '{' || c === '<' || c === '(') depth++;
            else if (c === '}' || c === '>' || c === ')') depth--;
            else if (c === ';' && depth === 0) break;
        }
        props[m[1]] = body.slice(i, j).trim();
        i = j + 1;
    }
    return props;
}

function walkDts(dir, out) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) { if (e.name !== '_schemas') walkDts(p, out); }
        else if (e.name.endsWith('.d.ts')) out.push(p);
    }
}

function loadInterfaces(modelsRoot) {
    if (interfaces) return;
    interfaces = new Map();
    kinds = new Map();
    const files = [];
    const root = fileURLToPath(modelsRoot);
    walkDts(path.join(root, 'kubernetes-models'), files);
    walkDts(path.join(root, '@kubernetes-models', 'apimachinery'), files);
    for (const f of files) {
        const { bodies, aliases } = readDeclarations(fs.readFileSync(f, 'utf8'));
        for (const [alias, props] of aliases) interfaces.set(alias, props);
        for (const props of bodies.values()) {
            const av = props.apiVersion && props.apiVersion.match(/^"(.+)"$/);
            const k = props.kind && props.kind.match(/^"(.+)"$/);
            const alias = aliases.find(([, p]) => p === props);
            if (av && k && alias) kinds.set(`${av[1]}/${k[1]}`, alias[0]);
        }
    }
}

// The type of one element/value of a declared property type, or null when it is a scalar.
function innerType(t) {
    t = t.trim();
    let m = t.match(/^Array<(.+)>$/s);
    if (m) return { array: innerType(m[1]) };
    m = t.match(/^\{\s*\[key: string\]:\s*(.+?);?\s*\}$/s);
    if (m) return { map: innerType(m[1]) };
    if (/^I[A-Za-z0-9]+$/.test(t) && interfaces.has(t)) return { ref: t };
    return null;
}

function unknownFields(value, type, where, out) {
    if (!type || value === null || value === undefined) return;
    if (type.array) { if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, type.array, `${where}[${i}]`, out)); return; }
    if (type.map) { if (typeof value === 'object') for (const [k, v] of Object.entries(value)) unknownFields(v, type.map, `${where}.${k}`, out); return; }
    if (type.ref && typeof value === 'object' && !Array.isArray(value)) {
        const props = interfaces.get(type.ref);
        for (const [k, v] of Object.entries(value)) {
            if (!(k in props)) out.push(`${where}.${k}: unknown field`);
            else unknownFields(v, innerType(props[k]), `${where}.${k}`, out);
        }
    }
}

// Validates one object; returns a list of problems ("" prefix-free strings).
export async function validateObject(obj, deps) {
    const id = `${obj.kind}/${obj.metadata && obj.metadata.name}`;
    const crd = CRD_RULES[`${obj.apiVersion}/${obj.kind}`];
    if (crd) return crd(obj).map((p) => `${id}: ${p}`);
    let mod;
    try {
        mod = await deps.loadModels(obj.apiVersion);
    } catch {
        return [`${id}: unknown apiVersion ${obj.apiVersion}`];
    }
    const Model = mod[obj.kind];
    if (!Model) return [`${id}: unknown kind ${obj.kind} in ${obj.apiVersion}`];
    const problems = [];
    try {
        new Model(obj).validate();
    } catch (e) {
        problems.push(`${id}: ${e.message}`);
    }
    loadInterfaces(deps.modelsRoot);
    const alias = kinds.get(`${obj.apiVersion}/${obj.kind}`);
    if (!alias) problems.push(`${id}: no declaration found for the unknown-field check`);
    else {
        const out = [];
        unknownFields(obj, { ref: alias }, '', out);
        problems.push(...out.map((p) => `${id}: ${p.slice(1)}`));
    }
    return problems;
}

// --- CRDs: the fields these manifests use, with their types; anything else is reported ---

const str = (v) => typeof v === 'string';
const int = (v) => Number.isInteger(v);
function fields(obj, where, spec, out) {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) { out.push(`${where}: not an object`); return; }
    for (const [k, v] of Object.entries(obj)) {
        if (!(k in spec)) { out.push(`${where}.${k}: unknown field`); continue; }
        const rule = spec[k];
        if (typeof rule === 'function') { if (!rule(v)) out.push(`${where}.${k}: invalid value ${JSON.stringify(v)}`); }
        else if (Array.isArray(rule)) {
            if (!Array.isArray(v)) out.push(`${where}.${k}: not a list`);
            else v.forEach((e, i) => fields(e, `${where}.${k}[${i}]`, rule[0], out));
        } else fields(v, `${where}.${k}`, rule, out);
    }
}
const required = (obj, where, names, out) => names.forEach((n) => { if (obj === undefined || obj === null || obj[n] === undefined) out.push(`${where}.${n}: required`); });
const meta = { name: str, namespace: str, labels: (v) => typeof v === 'object', annotations: (v) => typeof v === 'object' };
const labelSelector = { matchLabels: (v) => typeof v === 'object' && Object.values(v).every(str), matchExpressions: (v) => Array.isArray(v) };

// keda.sh/v1alpha1 (KEDA 2.x) and monitoring.coreos.com/v1, the subset used here.
const KAFKA_META = {
    bootstrapServers: str, consumerGroup: str, topic: str, lagThreshold: (v) => str(v) && /^\d+$/.test(v),
    activationLagThreshold: (v) => str(v) && /^\d+$/.test(v), offsetResetPolicy: (v) => ['earliest', 'latest'].includes(v),
    allowIdleConsumers: (v) => ['true', 'false'].includes(v), excludePersistentLag: (v) => ['true', 'false'].includes(v),
    sasl: (v) => ['none', 'plaintext', 'scram_sha256', 'scram_sha512'].includes(v), tls: (v) => ['enable', 'disable'].includes(v),
};
const CRD_RULES = {
    'keda.sh/v1alpha1/ScaledObject': (o) => {
        const out = [];
        fields(o, '', { apiVersion: str, kind: str, metadata: meta, spec: {
            scaleTargetRef: { apiVersion: str, kind: str, name: str },
            minReplicaCount: int, maxReplicaCount: int, pollingInterval: int, cooldownPeriod: int, idleReplicaCount: int,
            fallback: { failureThreshold: int, replicas: int },
            advanced: { restoreToOriginalReplicaCount: (v) => typeof v === 'boolean', horizontalPodAutoscalerConfig: {
                name: str, behavior: (v) => typeof v === 'object' } },
            triggers: [{ type: (v) => v === 'kafka', name: str, metadata: KAFKA_META, authenticationRef: { name: str, kind: str } }],
        } }, out);
        required(o.metadata, 'metadata', ['name'], out);
        required(o.spec, 'spec', ['scaleTargetRef', 'triggers'], out);
        required(o.spec && o.spec.scaleTargetRef, 'spec.scaleTargetRef', ['name'], out);
        for (const [i, t] of ((o.spec && o.spec.triggers) || []).entries()) required(t.metadata, `spec.triggers[${i}].metadata`, ['bootstrapServers', 'consumerGroup'], out);
        return out.map((p) => p.replace(/^\./, ''));
    },
    'keda.sh/v1alpha1/TriggerAuthentication': (o) => {
        const out = [];
        fields(o, '', { apiVersion: str, kind: str, metadata: meta, spec: {
            secretTargetRef: [{ parameter: (v) => ['username', 'password', 'ca', 'cert', 'key', 'sasl', 'tls'].includes(v), name: str, key: str }],
        } }, out);
        required(o.spec, 'spec', ['secretTargetRef'], out);
        return out.map((p) => p.replace(/^\./, ''));
    },
    'monitoring.coreos.com/v1/PodMonitor': (o) => {
        const out = [];
        fields(o, '', { apiVersion: str, kind: str, metadata: meta, spec: {
            selector: labelSelector, namespaceSelector: (v) => typeof v === 'object', jobLabel: str,
            podMetricsEndpoints: [{ port: str, path: str, interval: (v) => /^\d+[smh]$/.test(v), scrapeTimeout: (v) => /^\d+[smh]$/.test(v), scheme: (v) => ['http', 'https'].includes(v) }],
        } }, out);
        required(o.spec, 'spec', ['selector', 'podMetricsEndpoints'], out);
        return out.map((p) => p.replace(/^\./, ''));
    },
};
