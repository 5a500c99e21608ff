// One topic table for every way topics get created: the compose job mounts config/topics.tsv and
// scripts/create-topics.sh; the Kubernetes Job gets both from a generated ConfigMap that must equal
// them byte for byte; the replication factor never exceeds the brokers of the matching Redpanda.
import path from 'node:path';
import { RENDERINGS } from '../lib/repo.mjs';
import { CONFIGMAP_FILE, SOURCES } from '../lib/topics-configmap.mjs';
import { redpandaFacts } from '../lib/facts.mjs';

export const table = {
    id: 'topics-table',
    title: 'config/topics.tsv: the README\'s topics, the generated ConfigMap equals it, jobs mount it, RF <= brokers',
    run(repo) {
        const out = [];
        let topics;
        try { topics = repo.topics(); } catch (e) { return [e.message]; }
        if (!topics.has('argus.dlq')) out.push('config/topics.tsv: no argus.dlq');
        let cm;
        try { cm = repo.yamlDocs(CONFIGMAP_FILE).find((o) => o.kind === 'ConfigMap'); } catch (e) { out.push(e.message); }
        if (cm) {
            for (const [key, rel] of Object.entries(SOURCES)) {
                let src = null;
                try { src = repo.read(rel); } catch (e) { out.push(e.message); continue; }
                if ((cm.data || {})[key] !== src) out.push(`${CONFIGMAP_FILE}: data.${key} differs from ${rel} (run test/deploy/gen-topics-configmap)`);
            }
            const extra = Object.keys(cm.data || {}).filter((k) => !(k in SOURCES));
            if (extra.length) out.push(`${CONFIGMAP_FILE}: unexpected keys ${extra.join(', ')}`);
        }
        // compose: the topics job mounts the same two files.
        try {
            const svc = repo.compose('').services.topics;
            if (!svc) out.push('compose: no topics service');
            else {
                const mounts = (svc.volumes || []).map((v) => (typeof v === 'string' ? v.split(':')[0] : v.source));
                for (const rel of Object.values(SOURCES)) if (!mounts.includes(repo.abs(rel)) && !mounts.includes(path.join(repo.root, rel))) out.push(`compose: the topics job does not mount ${rel}`);
                if (!/redpanda/.test(svc.image)) out.push('compose: the topics job does not run in a Redpanda image (rpk)');
            }
        } catch (e) { out.push(e.message); }
        for (const name of Object.keys(RENDERINGS)) {
            let objs;
            try { objs = repo.render(name); } catch (e) { out.push(e.message); continue; }
            const job = objs.find((o) => o.kind === 'Job' && o.metadata.name === 'argus-create-topics');
            if (!job) { out.push(`[${name}] no Job argus-create-topics`); continue; }
            const spec = job.spec.template.spec;
            const vol = (spec.volumes || []).find((v) => v.configMap && v.configMap.name === cm.metadata.name);
            if (!vol) out.push(`[${name}] the topics Job does not mount ConfigMap ${cm.metadata.name}`);
            else for (const key of Object.keys(SOURCES)) if (!(vol.configMap.items || []).some((i) => i.key === key)) out.push(`[${name}] the topics Job does not mount ${key}`);
            const c = spec.containers[0];
            if (!/redpanda/.test(c.image)) out.push(`[${name}] the topics Job does not run in a Redpanda image`);
            const rf = Number(((c.env || []).find((e) => e.name === 'REPLICATION_FACTOR') || {}).value || 1);
            const rp = redpandaFacts(repo.redpandaValues(name));
            if (rf > rp.brokers) out.push(`[${name}] REPLICATION_FACTOR ${rf} exceeds the ${rp.brokers} broker(s) of its Redpanda values`);
            if (rp.brokers >= 3 && rf < 3) out.push(`[${name}] REPLICATION_FACTOR ${rf} on ${rp.brokers} brokers: a broker loss loses data`);
            if (rf % 2 === 0) out.push(`[${name}] REPLICATION_FACTOR ${rf} is even (Redpanda needs a raft majority)`);
        }
        return out;
    },
};

export const checks = [table];
