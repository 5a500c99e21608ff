// A small NetworkPolicy evaluator: which flows the policies of a rendering allow to and from a pod,
// compared with the endpoints the pod is configured for. Models the pods of the rendering, the
// Redpanda brokers and chart pods of the Helm release, kube-dns, Prometheus in `monitoring`, and one
// "public internet" target. Enough to answer "does this worker reach exactly what it uses?".
import { NAMESPACE, selectorMatches, workloads, podLabels, containersOf } from './repo.mjs';

// What an egress ipBlock to the internet must list in `except`: the cluster's pod and service ranges
// and the nodes (private and CGNAT space), the metadata service (link-local), loopback, and the
// ranges no destination lives in. The outbound guard in libargus (common/src/stores/url_guard_addr.c)
// refuses the same ranges; these rules back it up in the network.
export const RESERVED = [
    { cidr: '0.0.0.0/8', what: 'this network' },
    { cidr: '10.0.0.0/8', what: 'private: cluster and node ranges' },
    { cidr: '100.64.0.0/10', what: 'CGNAT: cluster ranges on some providers' },
    { cidr: '127.0.0.0/8', what: 'loopback' },
    { cidr: '169.254.0.0/16', what: 'link-local: the metadata service 169.254.169.254' },
    { cidr: '172.16.0.0/12', what: 'private: cluster and node ranges' },
    { cidr: '192.0.0.0/24', what: 'IETF protocol assignments' },
    { cidr: '192.168.0.0/16', what: 'private: cluster and node ranges' },
    { cidr: '198.18.0.0/15', what: 'benchmarking' },
    { cidr: '224.0.0.0/4', what: 'multicast' },
    { cidr: '240.0.0.0/4', what: 'reserved' },
    { cidr: '::1/128', what: 'loopback' },
    { cidr: '::ffff:0:0/96', what: 'IPv4-mapped' },
    { cidr: 'fc00::/7', what: 'unique local: cluster ranges, the metadata service fd00:ec2::254' },
    { cidr: 'fe80::/10', what: 'link-local' },
    { cidr: 'ff00::/8', what: 'multicast' },
];

function v6Words(text) {
    const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
    const part = (s) => (s ? s.split(':') : []);
    let words = part(head);
    let rest = tail === null ? [] : part(tail);
    const last = (tail === null ? words : rest).slice(-1)[0] || '';
    if (last.includes('.')) {   // an embedded IPv4 address: two words
        const b = last.split('.').map(Number);
        const two = [((b[0] << 8) | b[1]).toString(16), ((b[2] << 8) | b[3]).toString(16)];
        if (tail === null) words = [...words.slice(0, -1), ...two]; else rest = [...rest.slice(0, -1), ...two];
    }
    const fill = tail === null ? [] : new Array(8 - words.length - rest.length).fill('0');
    return [...words, ...fill, ...rest].map((w) => parseInt(w, 16));
}

// "10.0.0.0/8", "fc00::/7" -> {v6, bits, len, base: BigInt}
export function parseCidr(text) {
    const [addr, len] = String(text).split('/');
    const v6 = addr.includes(':');
    const bits = v6 ? 128 : 32;
    const parts = v6 ? v6Words(addr) : addr.split('.').map(Number);
    const width = BigInt(v6 ? 16 : 8);
    const base = parts.reduce((acc, x) => (acc << width) | BigInt(x), 0n);
    return { v6, bits, len: len === undefined ? bits : Number(len), base };
}

export function cidrContains(outer, inner) {
    if (outer.v6 !== inner.v6 || outer.len > inner.len) return false;
    const shift = BigInt(outer.bits - outer.len);
    return (outer.base >> shift) === (inner.base >> shift);
}

// The RESERVED ranges an ipBlock reaches: inside its cidr and not covered by an except entry. A block
// that lies inside a reserved range (an internal GitLab's /24) is deliberate and reaches only itself.
export function uncoveredReserved(block) {
    const cidr = parseCidr(block.cidr);
    const except = (block.except || []).map(parseCidr);
    return RESERVED.filter((r) => {
        const range = parseCidr(r.cidr);
        return cidrContains(cidr, range) && !except.some((e) => cidrContains(e, range));
    });
}

// Every target a flow can reach: {id, namespace, labels, ports:[numbers], names:{name:number}} or public.
export function universe(objs, redpanda) {
    const ns = (n) => ({ 'kubernetes.io/metadata.name': n });
    const targets = [];
    for (const w of workloads(objs)) {
        const names = {};
        const ports = [];
        for (const c of containersOf(w)) for (const p of c.ports || []) { ports.push(p.containerPort); if (p.name) names[p.name] = p.containerPort; }
        targets.push({ id: `${w.kind}/${w.metadata.name}`, namespace: w.metadata.namespace || NAMESPACE, nsLabels: ns(NAMESPACE), labels: podLabels(w), ports, names });
    }
    targets.push({ id: 'redpanda-broker', namespace: NAMESPACE, nsLabels: ns(NAMESPACE), labels: redpanda.brokerLabels, ports: redpanda.ports, names: {} });
    targets.push({ id: 'redpanda-chart-job', namespace: NAMESPACE, nsLabels: ns(NAMESPACE), labels: { 'app.kubernetes.io/instance': redpanda.instance, 'app.kubernetes.io/component': 'post-install' }, ports: [], names: {} });
    targets.push({ id: 'kube-dns', namespace: 'kube-system', nsLabels: ns('kube-system'), labels: { 'k8s-app': 'kube-dns' }, ports: [53], names: {} });
    targets.push({ id: 'prometheus', namespace: 'monitoring', nsLabels: ns('monitoring'), labels: { 'app.kubernetes.io/name': 'prometheus' }, ports: [9090], names: {} });
    targets.push({ id: 'other-namespace-pod', namespace: 'default', nsLabels: ns('default'), labels: { app: 'other' }, ports: [], names: {} });
    targets.push({ id: 'public', public: true });
    return targets;
}

function peerMatches(peer, target, policyNs) {
    if (peer.ipBlock) {
        if (!target.public) return uncoveredReserved(peer.ipBlock).length > 0; // a block that keeps private ranges reaches pods
        return true;
    }
    if (target.public) return false;
    if (peer.namespaceSelector) {
        if (!selectorMatchesOrAll(peer.namespaceSelector, target.nsLabels)) return false;
    } else if (target.namespace !== policyNs) return false;
    return peer.podSelector ? selectorMatchesOrAll(peer.podSelector, target.labels) : true;
}
const selectorMatchesOrAll = (sel, labels) => (Object.keys(sel).length === 0 ? true : selectorMatches(sel, labels));

function policyApplies(pol, labels, direction) {
    const types = pol.spec.policyTypes || ['Ingress', ...(pol.spec.egress ? ['Egress'] : [])];
    return types.includes(direction) && selectorMatchesOrAll(pol.spec.podSelector || {}, labels);
}

// The (peer, port, protocol) entries of every rule that applies to a pod in one direction.
export function ruleEntries(policies, target, direction) {
    const out = [];
    for (const pol of policies) {
        if ((pol.metadata.namespace || NAMESPACE) !== target.namespace || !policyApplies(pol, target.labels, direction)) continue;
        const rules = (direction === 'Egress' ? pol.spec.egress : pol.spec.ingress) || [];
        for (const r of rules) {
            const peers = (direction === 'Egress' ? r.to : r.from) || [];
            const ports = r.ports || [];
            if (!peers.length || !ports.length) { out.push({ policy: pol.metadata.name, broad: true }); continue; }
            for (const peer of peers) for (const p of ports) out.push({ policy: pol.metadata.name, peer, port: p.port, protocol: p.protocol || 'TCP' });
        }
    }
    return out;
}

const portNumber = (port, target) => (typeof port === 'number' ? port : (target.names || {})[port]);

// Does some rule allow `from` to reach `to` on port/protocol (egress of from AND ingress of to)?
export function allowed(policies, from, to, port, protocol = 'TCP') {
    const eg = ruleEntries(policies, from, 'Egress').some((e) => !e.broad && e.protocol === protocol
        && portNumber(e.port, to) === port && peerMatches(e.peer, to, from.namespace));
    if (!eg) return { ok: false, why: 'no egress rule' };
    // Pods outside the namespace (kube-dns) and the internet: their ingress is not ours to check.
    if (to.public || to.namespace !== NAMESPACE) return { ok: true };
    const ing = ruleEntries(policies, to, 'Ingress').some((e) => !e.broad && e.protocol === protocol
        && portNumber(e.port, to) === port && peerMatches(e.peer, from, to.namespace));
    return ing ? { ok: true } : { ok: false, why: `no ingress rule on ${to.id}` };
}

// Egress entries that reach a target/port not in `expected` ([{target, port, protocol}]).
export function unexpectedEgress(policies, from, targets, expected) {
    const problems = [];
    for (const e of ruleEntries(policies, from, 'Egress')) {
        if (e.broad) { problems.push(`policy ${e.policy}: an egress rule without peers or ports (allows everything)`); continue; }
        for (const t of targets) {
            if (!peerMatches(e.peer, t, from.namespace)) continue;
            const port = portNumber(e.port, t);
            const ok = expected.some((x) => x.target === t.id && x.port === port && x.protocol === e.protocol);
            if (!ok) problems.push(`policy ${e.policy}: egress to ${t.id} on ${e.protocol}/${e.port} is not one of its endpoints`);
        }
    }
    return [...new Set(problems)];
}

// Ingress entries to `to` from sources/ports not in `expected` ([{source, port}]).
export function unexpectedIngress(policies, to, targets, expected) {
    const problems = [];
    for (const e of ruleEntries(policies, to, 'Ingress')) {
        if (e.broad) { problems.push(`policy ${e.policy}: an ingress rule without peers or ports (admits everything)`); continue; }
        for (const s of targets) {
            if (s === to || !peerMatches(e.peer, s, to.namespace)) continue;
            const port = portNumber(e.port, to);
            if (!expected.some((x) => x.source === s.id && x.port === port)) problems.push(`policy ${e.policy}: ingress from ${s.id} on ${e.protocol}/${e.port} is not expected`);
        }
    }
    return [...new Set(problems)];
}
