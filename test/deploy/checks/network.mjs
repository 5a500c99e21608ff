// Network policies: default deny both ways, no rule without peers and ports, and every worker
// reaches exactly the endpoints its configuration names (plus DNS and, when it declares external
// APIs, HTTPS) and admits only Prometheus on its metrics port.
import { RENDERINGS, NAMESPACE } from '../lib/repo.mjs';
import { workerFacts, endpointsOf, redpandaFacts, resolveService } from '../lib/facts.mjs';
import { universe, ruleEntries, allowed, unexpectedEgress, unexpectedIngress, uncoveredReserved, parseCidr, cidrContains } from '../lib/netpol.mjs';

const USE_LABEL = (k) => `argus.dev/uses-${k}`;

function expectedEgress(objs, rp, f) {
    const ep = endpointsOf(f.env);
    const exp = [{ target: 'kube-dns', port: 53, protocol: 'UDP' }, { target: 'kube-dns', port: 53, protocol: 'TCP' }];
    const problems = [];
    const add = (what, host, port) => {
        const r = resolveService(objs, rp, host, port);
        if (r.error) problems.push(`${what}: ${r.error}`);
        else for (const t of r.targets) exp.push({ target: t, port: r.port, protocol: 'TCP' });
    };
    for (const hp of ep.kafka) add('KAFKA_BOOTSTRAP_SERVERS', hp.host, hp.port);
    if (ep.falkordb) add('FALKORDB_HOST', ep.falkordb.host, ep.falkordb.port);
    if (ep.valkey) add('VALKEY_HOST', ep.valkey.host, ep.valkey.port);
    if (ep.database) {
        const url = typeof ep.database === 'string' ? ep.database.match(/^postgres(?:ql)?:\/\/(?:[^@/]*@)?([^:/?]+)(?::(\d+))?/) : null;
        if (url && /\.svc(\.cluster\.local)?$|^[a-z0-9-]+$/.test(url[1])) add('DATABASE_URL', url[1], Number(url[2] || 5432));
        else for (const port of [5432, 6543]) exp.push({ target: 'public', port, protocol: 'TCP' });
    }
    const external = (f.annotations['argus.dev/external-apis'] || '').trim();
    if (external) exp.push({ target: 'public', port: 443, protocol: 'TCP' });
    return { exp, ep, external, problems };
}

export const policies = {
    id: 'k8s-network',
    title: 'network policies: default deny, and each worker reaches exactly its configured endpoints',
    run(repo) {
        const out = [];
        for (const name of Object.keys(RENDERINGS)) {
            let objs;
            try { objs = repo.render(name); } catch (e) { out.push(e.message); continue; }
            const p = (s) => out.push(`[${name}] ${s}`);
            const pols = objs.filter((o) => o.kind === 'NetworkPolicy');
            const deny = pols.find((np) => Object.keys(np.spec.podSelector || {}).length === 0 && !np.spec.ingress && !np.spec.egress
                && ['Ingress', 'Egress'].every((t) => (np.spec.policyTypes || []).includes(t)));
            if (!deny) p('no default-deny policy for both ingress and egress');
            for (const np of pols) {
                for (const dir of ['ingress', 'egress']) {
                    for (const r of np.spec[dir] || []) {
                        const peers = (dir === 'egress' ? r.to : r.from) || [];
                        if (!peers.length || !(r.ports || []).length) p(`NetworkPolicy/${np.metadata.name}: an ${dir} rule without peers or without ports`);
                        for (const peer of peers) {
                            if (peer.namespaceSelector && !Object.keys(peer.namespaceSelector).length && !peer.podSelector) p(`NetworkPolicy/${np.metadata.name}: ${dir} to/from every namespace`);
                            if (peer.ipBlock && dir === 'egress') for (const r of uncoveredReserved(peer.ipBlock)) p(`NetworkPolicy/${np.metadata.name}: egress to ${peer.ipBlock.cidr} reaches ${r.cidr} (${r.what}): list it in except`);
                        }
                    }
                }
            }
            const rp = redpandaFacts(repo.redpandaValues(name));
            const targets = universe(objs, rp);
            for (const w of repo.workers()) {
                const f = workerFacts(objs, w);
                if (!f.deployment) continue;
                const me = targets.find((t) => t.id === `Deployment/${w}-worker`);
                const { exp, ep, external, problems } = expectedEgress(objs, rp, f);
                problems.forEach((s) => p(`${w}: ${s}`));
                // Labels say what the ConfigMap says.
                const uses = { kafka: ep.kafka.length > 0, falkordb: !!ep.falkordb, valkey: !!ep.valkey, database: !!ep.database, https: !!external };
                for (const [k, v] of Object.entries(uses)) if ((f.labels[USE_LABEL(k)] === 'true') !== v) p(`${w}: label ${USE_LABEL(k)} is ${f.labels[USE_LABEL(k)] || 'absent'} but the worker ${v ? 'uses' : 'does not use'} ${k}`);
                for (const e of exp) {
                    const to = targets.find((t) => t.id === e.target);
                    const r = to ? allowed(pols, me, to, e.port, e.protocol) : { ok: false, why: 'unknown target' };
                    if (!r.ok) p(`${w}: cannot reach ${e.target} on ${e.protocol}/${e.port} (${r.why})`);
                }
                unexpectedEgress(pols, me, targets, exp).forEach((s) => p(`${w}: ${s}`));
                const port = Number(f.env.HEALTH_PORT || 8080);
                unexpectedIngress(pols, me, targets, [{ source: 'prometheus', port }]).forEach((s) => p(`${w}: ${s}`));
                const prom = targets.find((t) => t.id === 'prometheus');
                if (!ruleEntries(pols, me, 'Ingress').some((e) => !e.broad && e.port === port && e.peer.namespaceSelector
                    && e.peer.namespaceSelector.matchLabels && e.peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name'] === prom.namespace)) p(`${w}: Prometheus cannot scrape port ${port}`);
            }
            if (!targets.some((t) => t.namespace === NAMESPACE)) p('no pods');
        }
        return out;
    },
};

// The outbound guard's settings (docs/operations.md): plain http stays off for URLs from events and
// tenants, and no allowlist entry opens the metadata service.
const METADATA = ['169.254.169.254/32', 'fd00:ec2::254/128'].map(parseCidr);
const isOff = (v) => ['false', '0', 'no', 'off'].includes(String(v).trim().toLowerCase());

export const outbound = {
    id: 'k8s-outbound-guard',
    title: 'workers keep plain http off for URLs from events and tenants, and no allowlist opens the metadata service',
    run(repo) {
        const out = [];
        for (const name of Object.keys(RENDERINGS)) {
            let objs;
            try { objs = repo.render(name); } catch (e) { out.push(e.message); continue; }
            for (const w of repo.workers()) {
                const f = workerFacts(objs, w);
                if (!f.deployment) continue;
                const http = f.env.OUTBOUND_ALLOW_HTTP;
                if (http === undefined || !isOff(http)) out.push(`[${name}] ${w}: OUTBOUND_ALLOW_HTTP is ${http === undefined ? 'not set' : `"${http}"`}: set it to "false" (plain http to event- and tenant-supplied URLs stays off in Kubernetes)`);
                for (const entry of String(f.env.OUTBOUND_ALLOWLIST || '').split(',').map((x) => x.trim()).filter(Boolean)) {
                    if (!/^[0-9a-f:.]+(\/\d+)?$/i.test(entry)) continue;   // a host name: the guard never lets one reach the metadata service
                    const block = parseCidr(entry);
                    if (METADATA.some((m) => cidrContains(block, m))) out.push(`[${name}] ${w}: OUTBOUND_ALLOWLIST entry ${entry} opens the metadata service`);
                }
            }
        }
        return out;
    },
};

export const checks = [policies, outbound];
