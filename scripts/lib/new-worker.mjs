// scripts/new-worker: writes a worker's sources from scripts/lib/worker-template/, builds it, and
// derives its deployment files from `argus-<name>-worker --describe` (scripts/lib/worker-deploy.mjs).
// No dependency beyond node itself. Usage: see scripts/new-worker.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { deploymentFiles, composeService, kustomizationEntry, secretEntries, docsRows, readmeRow } from './worker-deploy.mjs';

const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
const TEMPLATES = path.join(ROOT, 'scripts/lib/worker-template');
const USES = { falkordb: 'ARGUS_USES_FALKORDB', valkey: 'ARGUS_USES_VALKEY', database: 'ARGUS_USES_DATABASE', https: 'ARGUS_USES_HTTPS' };

function die(msg) {
    console.error(`new-worker: ${msg}`);
    process.exit(2);
}

function parseArgs(argv) {
    const opts = { topics: [], outputs: [], uses: [], apis: null, summary: null, eventTypes: null };
    const list = (v) => v.split(',').map((x) => x.trim()).filter(Boolean);
    const rest = [];
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = () => {
            if (i + 1 >= argv.length) die(`${a} needs a value`);
            return argv[++i];
        };
        if (a === '--topics') opts.topics = list(value());
        else if (a === '--outputs') opts.outputs = list(value());
        else if (a === '--uses') opts.uses = list(value());
        else if (a === '--apis') opts.apis = value();
        else if (a === '--summary') opts.summary = value();
        else if (a === '--event-types') opts.eventTypes = list(value());
        else if (a === '-h' || a === '--help') {
            const text = fs.readFileSync(path.join(ROOT, 'scripts/new-worker'), 'utf8');
            process.stdout.write(text.split('\n').slice(1).filter((l) => l.startsWith('#')).map((l) => l.replace(/^# ?/, '')).join('\n') + '\n');
            process.exit(0);
        } else if (a.startsWith('-')) die(`unknown option ${a}`);
        else rest.push(a);
    }
    if (rest.length !== 1) die('usage: scripts/new-worker NAME --topics T[,T...] [options] (--help)');
    opts.name = rest[0];
    return opts;
}

// config/topics.tsv: name -> {partitions, maxBytes}
function readTopics() {
    const map = new Map();
    for (const line of fs.readFileSync(path.join(ROOT, 'config/topics.tsv'), 'utf8').split('\n')) {
        if (!line.trim() || line.startsWith('#')) continue;
        const [name, partitions, , maxBytes] = line.split('\t');
        map.set(name, { partitions: Number(partitions), maxBytes: Number(maxBytes) });
    }
    return map;
}

function validate(o, topics) {
    if (!/^[a-z][a-z0-9]{1,19}$/.test(o.name)) die(`${o.name}: a worker name is 2 to 20 lower-case letters and digits, starting with a letter`);
    if (fs.existsSync(path.join(ROOT, 'workers', o.name))) die(`workers/${o.name} exists already`);
    if (!o.topics.length) die('--topics: a worker consumes at least one topic');
    for (const t of [...o.topics, ...o.outputs]) if (!topics.has(t)) die(`${t}: not in config/topics.tsv (add it there first, then run test/deploy/gen-topics-configmap)`);
    for (const u of o.uses) if (!USES[u]) die(`--uses ${u}: one of ${Object.keys(USES).join(', ')}`);
    if (o.uses.includes('https') && !o.apis) die('--uses https needs --apis TEXT: which APIs it calls (operators read it on the pod)');
    if (o.apis && !o.uses.includes('https')) die('--apis without --uses https');
    // One route per input topic's event type (argus.healing.requested -> healing.requested), all to the
    // sample handler, unless --event-types names them.
    o.eventTypes = o.eventTypes || [...new Set(o.topics.map((t) => t.replace(/^argus\./, '')))];
    for (const t of o.eventTypes) if (!/^[a-z][a-z0-9_.-]*$/.test(t)) die(`--event-types ${t}: not an event type`);
    o.summary = o.summary || `${o.topics.join(', ')} -> ${o.outputs.length ? o.outputs.join(', ') : 'its stores'}.`;
}

const cString = (s) => JSON.stringify(s); // a JSON string literal is a valid C string literal for printable text

// @KEY@ placeholders, and @IF_X@ ... @END_X@ blocks kept when flags[X] (the marker lines go).
function render(template, values, flags) {
    const out = [];
    const skip = [];
    for (const line of template.split('\n')) {
        const open = line.match(/^@IF_([A-Z_]+)@$/);
        const close = line.match(/^@END_([A-Z_]+)@$/);
        if (open) { skip.push(!flags[open[1]]); continue; }
        if (close) { skip.pop(); continue; }
        if (skip.some(Boolean)) continue;
        out.push(line.replace(/@([A-Z_]+)@/g, (all, k) => (k in values ? values[k] : all)));
    }
    const text = out.join('\n');
    const left = text.match(/@[A-Z_]+@/);
    if (left) throw new Error(`template placeholder ${left[0]} has no value`);
    return text;
}

function sourceFiles(o) {
    const output = o.outputs[0] || '';
    const values = {
        NAME: o.name,
        UPPER: o.name.toUpperCase(),
        SUMMARY: o.summary.replace(/[\\"]|\*\//g, ''),
        TOPICS: o.topics.join(','),
        FIRST_TOPIC: o.topics[0],
        OUTPUTS: o.outputs.join(','),
        OUTPUT: output,
        OUTPUT_TYPE: output.replace(/^argus\./, '') || `${o.name}.done`,
        EVENT_TYPE: o.eventTypes[0],
        ROUTES: o.eventTypes.map((t) => `    {"${t}", ${o.name}_handle_sample},`).join('\n'),
        USES: o.uses.length ? o.uses.map((u) => USES[u]).join(' | ') : '0',
        APIS: o.apis ? cString(o.apis) : 'NULL',
    };
    const flags = { OUTPUTS: o.outputs.length > 0, NO_OUTPUTS: o.outputs.length === 0 };
    const t = (f) => render(fs.readFileSync(path.join(TEMPLATES, f), 'utf8'), values, flags);
    const settings = flags.OUTPUTS ? { [`workers/${o.name}/settings.c`]: t('settings.c.in') } : {};
    return {
        [`workers/${o.name}/main.c`]: t('main.c.in'),
        ...settings,
        [`workers/${o.name}/${o.name}.h`]: t('worker.h.in'),
        [`workers/${o.name}/handlers.c`]: t('handlers.c.in'),
        [`workers/${o.name}/worker.mk`]: t('worker.mk.in'),
        [`test/unit/test_${o.name}.c`]: t('test_unit.c.in'),
        [`test/fuzz/fuzz_${o.name}_event.c`]: t('fuzz.c.in'),
    };
}

function write(files) {
    for (const [rel, text] of Object.entries(files)) {
        const p = path.join(ROOT, rel);
        if (fs.existsSync(p)) die(`${rel} exists already`);
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, text);
        console.log(`  wrote ${rel}`);
    }
}

// Applies edit(text) -> text to one existing file.
function edit(rel, fn) {
    const p = path.join(ROOT, rel);
    const before = fs.readFileSync(p, 'utf8');
    const after = fn(before);
    if (after !== before) {
        fs.writeFileSync(p, after);
        console.log(`  edited ${rel}`);
    }
}

// The build directory make uses (its BUILD ?= build$(if $(SAN),/san,)).
const BUILD = process.env.BUILD || (process.env.SAN ? 'build/san' : 'build');

function build(o) {
    const jobs = process.env.ARGUS_MAKE_JOBS || '2';
    const target = `${BUILD}/bin/argus-${o.name}-worker`;
    console.log(`new-worker: make ${target}`);
    const r = spawnSync('make', [`-j${jobs}`, '--no-print-directory', target], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) die(`make ${target} failed (the sources are in workers/${o.name}/)`);
    const d = spawnSync(path.join(ROOT, target), ['--describe'], { encoding: 'utf8' });
    if (d.status !== 0) die(`${target} --describe failed: ${d.stderr}`);
    return JSON.parse(d.stdout);
}

// The next free host port of the workers' compose services (8091, 8092, ...).
function nextHostPort(compose) {
    const used = [...compose.matchAll(/"127\.0\.0\.1:(809\d):8080"/g)].map((m) => Number(m[1]));
    return used.length ? Math.max(...used) + 1 : 8091;
}

function main() {
    const o = parseArgs(process.argv.slice(2));
    const topics = readTopics();
    validate(o, topics);
    console.log(`new-worker: ${o.name}: sources`);
    write(sourceFiles(o));
    const desc = build(o);
    const compose = 'docker/docker-compose.data-layer.yml';
    const port = nextHostPort(fs.readFileSync(path.join(ROOT, compose), 'utf8'));
    const version = fs.readFileSync(path.join(ROOT, 'VERSION'), 'utf8').trim();
    console.log(`new-worker: ${o.name}: deployment, from argus-${o.name}-worker --describe`);
    write(deploymentFiles(desc, { topics, version }));
    edit(compose, (text) => {
        const i = text.lastIndexOf('\nvolumes:\n');
        if (i < 0) die(`${compose}: no top-level volumes: section to insert the service before`);
        return `${text.slice(0, i)}\n${composeService(desc, port)}${text.slice(i)}`;
    });
    edit('kubernetes/base/kustomization.yaml', (text) => `${text.replace(/\n*$/, '\n')}${kustomizationEntry(desc)}\n`);
    edit('kubernetes/secrets.yaml', (text) => secretEntries(desc, text));
    edit('docs/operations.md', (text) => docsRows(desc, port, text));
    edit('README.md', (text) => readmeRow(desc, text));
    console.log(`
new-worker: argus-${o.name}-worker is built and deployable. Next, in this order:
  1. workers/${o.name}/handlers.c: replace the sample handler (${o.eventTypes.join(', ')}) with the real ones and
     list them in the routes of workers/${o.name}/main.c; settings of its own go in ${o.name}_env.
  2. test/unit/test_${o.name}.c and test/fuzz/fuzz_${o.name}_event.c: test and fuzz the real logic.
  3. kubernetes/base/workers/${o.name}-worker.yaml: resources, lagThreshold per topic; values of new
     settings in its ConfigMap (and compose); secrets come from argus-data-secrets (kubernetes/secrets.yaml).
  4. docs/operations.md: the "uses" column, and anything operators must know.
  make -j2 && make test checks it all (test/deploy/run compares the files with --describe).`);
}

main();
