// Runs every deployment check against one checkout and prints one line per check:
//   ok - <id>: <title>             or     not ok - <id>: <title>, then its failures indented.
// Usage: node test/deploy/checks.mjs [--root DIR] [--only ID,ID]   (test/deploy/run calls it)
import { Repo } from './lib/repo.mjs';
import * as compose from './checks/compose.mjs';
import * as kubernetes from './checks/kubernetes.mjs';
import * as workers from './checks/workers.mjs';
import * as network from './checks/network.mjs';
import * as topics from './checks/topics.mjs';
import * as dockerfiles from './checks/dockerfiles.mjs';
import * as docs from './checks/docs.mjs';
import * as describe from './checks/describe.mjs';

export const ALL = [compose, kubernetes, topics, workers, describe, network, dockerfiles, docs].flatMap((m) => m.checks);

export async function loadDeps() {
    const cache = process.env.ARGUS_DEPLOY_CACHE;
    if (!cache) throw new Error('ARGUS_DEPLOY_CACHE is not set (run test/deploy/run)');
    return { cache, deps: await import(`${cache}/deps.mjs`) };
}

// Runs the checks on root; returns [{id, title, failures}]. A check that throws fails with the error.
export async function runChecks(root, only = null) {
    const { cache, deps } = await loadDeps();
    const repo = new Repo(root, deps, cache);
    const results = [];
    for (const c of ALL) {
        if (only && !only.includes(c.id)) continue;
        let failures;
        try {
            failures = await c.run(repo);
        } catch (e) {
            failures = [`check crashed: ${e.stack || e.message}`];
        }
        results.push({ id: c.id, title: c.title, failures });
    }
    return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const args = process.argv.slice(2);
    const root = args.includes('--root') ? args[args.indexOf('--root') + 1] : new URL('../..', import.meta.url).pathname;
    const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
    const results = await runChecks(root, only);
    let failed = 0;
    for (const r of results) {
        if (r.failures.length) {
            failed++;
            console.log(`not ok - ${r.id}: ${r.title}`);
            for (const f of r.failures) console.log(`    ${f}`);
        } else console.log(`ok - ${r.id}: ${r.title}`);
    }
    console.log(`checks: ${results.length - failed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
}
