// A small NetworkPolicy evaluator: which flows the policies of a rendering allow to and from a pod,
// compared with the endpoints the pod is configured for. Models the pods of the rendering, the
// Redpanda brokers and chart pods of the Helm release, kube-dns, Prometheus in `monitoring`, and one
// "public internet" target. Enough to answer "does this worker reach exactly what it uses?".
import { NAMESPACE, selectorMatches, workloads, podLabels, containersOf } from './repo.mjs';

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'];

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
        if (!target.public) return !isPrivateOnlyExcluded(peer.ipBlock); // a block that keeps private ranges reaches pods
        return true;
    }
    if (target.public) return false;
    if (peer.namespaceSelector) {
        if (!selectorMatchesOrAll(peer.namespaceSelector, target.nsLabels)) return false;
    } else if (target.namespace !== policyNs) return false;
    return peer.podSelector ? selectorMatchesOrAll(peer.podSelector, target.labels) : true;
}
const selectorMatchesOrAll = (sel, labels) => (Object.keys(sel).length === 0 ? true : selectorMatches(sel, labels));
function isPrivateOnlyExcluded(block) {
    const except = block.except || [];
    return block.cidr === '0.0.0.0/0' && PRIVATE.every((p) => except.includes(p));
}

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
