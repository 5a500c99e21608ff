// docs/operations.md covers what operators do, for every worker, with the README's cost tiers.
export const operations = {
    id: 'docs-operations',
    title: 'docs/operations.md: deploy, scale, lag, DLQ, secrets, costs; every worker named',
    run(repo) {
        let text;
        try { text = repo.read('docs/operations.md'); } catch (e) { return [e.message]; }
        const out = [];
        for (const h of ['Deploy', 'Scale', 'lag', 'DLQ', 'Rotate secrets', 'cost']) if (!new RegExp(`^#+ .*${h}`, 'im').test(text)) out.push(`no section about ${h}`);
        for (const c of ['argus-dlq list', 'argus-dlq show', 'argus-dlq replay', 'rpk group describe']) if (!text.includes(c)) out.push(`does not show \`${c}\``);
        for (const tier of ['$150', '$629', '$2,655']) if (!text.includes(tier)) out.push(`no ${tier} tier (the README's cost estimates)`);
        for (const w of repo.workers()) if (!text.includes(`${w}-worker`)) out.push(`does not mention ${w}-worker`);
        return out;
    },
};

export const checks = [operations];
