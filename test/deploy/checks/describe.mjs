// A worker's deployment agrees with the worker itself: what `argus-<w>-worker --describe` says (the
// table in its main.c) is what its ConfigMap, Deployment, compose service and docs row say. The group,
// the topics and the stores are typed once, in the table; everything here is derived or checked.
import { RENDERINGS } from '../lib/repo.mjs';
import { workerFacts, endpointsOf, usesOf } from '../lib/facts.mjs';

const sameSet = (a, b) => a.length === b.length && a.every((x) => b.includes(x));
const csv = (s) => String(s || '').split(',').map((x) => x.trim()).filter(Boolean);

// Names the binary reads: every setting and its older alias.
function knownNames(d) {
    const names = new Set();
    for (const v of d.env) {
        names.add(v.name);
        if (v.alias) names.add(v.alias);
    }
    return names;
}

// Problems of one environment (ConfigMap + env, or compose) against the description.
function envProblems(d, env, where, { secretsFrom }) {
    const out = [];
    const p = (s) => out.push(`${where} ${d.worker}: ${s}`);
    if (env.KAFKA_CONSUMER_GROUP !== d.group) p(`KAFKA_CONSUMER_GROUP ${env.KAFKA_CONSUMER_GROUP} but ${d.binary} --describe says ${d.group}`);
    const topics = csv(env.KAFKA_INPUT_TOPICS);
    if (!sameSet(topics, d.topics)) p(`KAFKA_INPUT_TOPICS ${topics.join(',')} but ${d.binary} --describe says ${d.topics.join(',')}`);
    const known = knownNames(d);
    for (const k of Object.keys(env)) if (!known.has(k)) p(`${k} is not a setting of ${d.binary} (a typo, or a setting it lost)`);
    const uses = usesOf(endpointsOf(env));
    for (const store of ['falkordb', 'valkey', 'database']) {
        const declared = d.uses.includes(store);
        if (declared !== uses[store]) p(`${declared ? 'the worker declares' : 'the environment configures'} ${store} but ${declared ? 'the environment does not configure it' : `${d.binary} --describe does not use it`}`);
    }
    for (const v of d.env.filter((x) => x.secret)) {
        const value = env[v.name];
        if (typeof value === 'string' && value !== '' && secretsFrom === 'secretKeyRef') p(`${v.name} is a secret, given as a plain value (use a secretKeyRef)`);
        if (v.owner === 'worker' && value === undefined) p(`${v.name}, a secret of the worker, is not given (${secretsFrom})`);
    }
    return out;
}

export const described = {
    id: 'workers-described',
    title: 'each worker\'s ConfigMap, Deployment, compose service and docs row agree with its --describe',
    run(repo) {
        const out = [];
        let topics = new Map();
        try { topics = repo.topics(); } catch (e) { out.push(e.message); }
        let compose = null;
        try { compose = repo.compose('workers'); } catch (e) { out.push(e.message); }
        let docs = '';
        try { docs = repo.read('docs/operations.md'); } catch (e) { out.push(e.message); }
        for (const w of repo.workers()) {
            let d;
            try { d = repo.describe(w); } catch (e) { out.push(`${w}: ${e.message}`); continue; }
            if (d.worker !== w) out.push(`workers/${w}/ builds a worker that calls itself ${d.worker}`);
            if (d.group !== `argus-${w}-workers`) out.push(`${w}: consumer group ${d.group} in its table (expected argus-${w}-workers)`);
            for (const t of [...d.topics, ...d.outputs]) if (!topics.has(t)) out.push(`${w}: topic ${t} of its table is not in config/topics.tsv`);
            for (const name of Object.keys(RENDERINGS)) {
                let objs;
                try { objs = repo.render(name); } catch (e) { out.push(e.message); continue; }
                const f = workerFacts(objs, w);
                if (!f.deployment) continue; // workers-present reports it
                out.push(...envProblems(d, f.env, `[${name}]`, { secretsFrom: 'secretKeyRef' }));
                const apis = (f.annotations['argus.dev/external-apis'] || '').trim();
                if (d.uses.includes('https') !== !!apis) out.push(`[${name}] ${w}: ${d.uses.includes('https') ? 'uses HTTPS but the pod has no argus.dev/external-apis annotation' : 'has an argus.dev/external-apis annotation but does not declare HTTPS'}`);
            }
            const svc = compose && compose.services[`${w}-worker`];
            if (svc) out.push(...envProblems(d, svc.environment || {}, '[compose]', { secretsFrom: 'compose ${VAR:-} interpolation' }));
            const row = docs.split('\n').find((l) => l.startsWith(`| ${w} | \`${w}-worker\` |`));
            if (!row) out.push(`${w}: docs/operations.md has no row | ${w} | \`${w}-worker\` | in its workers table`);
            else {
                if (!row.includes(`\`${d.group}\``)) out.push(`${w}: docs/operations.md row does not name group ${d.group}`);
                for (const t of d.topics) if (!row.includes(`\`${t}\``)) out.push(`${w}: docs/operations.md row does not list input topic ${t}`);
            }
        }
        return out;
    },
};

export const checks = [described];
