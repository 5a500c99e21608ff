// Chromium as the judge of the healing engine (test/browser/run starts this; make test runs that).
//   1. parser: every corpus page gives the same elements in the same order in Chromium as in the engine
//      (document.querySelectorAll('*') against argus-heal --dump-tree)
//   2. corpus: every case is what it claims: its target selectors name exactly one element, its
//      selector finds the target first in the old page and does not find exactly it in the new one
//   3. differential: on every corpus page, every selector of the corpus and every selector the engine
//      emits when healing (answer and candidates, with and without the old page) finds the same elements,
//      in the same order, in Chromium (through Playwright's own engines) as in argus-heal --select
// Prints failures as "not ok - ..." and ends with "browser: N passed, N failed".
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

const run = promisify(execFile);
const opt = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const { chromium } = createRequire(path.join(opt.cache, 'x.js'))('playwright-core');
const corpus = JSON.parse(fs.readFileSync(path.join(opt.corpus, 'cases.json'), 'utf8'));

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let passed = 0, failed = 0;
const tally = {};
function check(group, ok, what) {
  tally[group] = tally[group] || { passed: 0, failed: 0 };
  if (ok) { passed++; tally[group].passed++; return; }
  failed++; tally[group].failed++;
  console.log(`not ok - ${group}: ${what}`);
}

async function engine(args) {
  const { stdout } = await run(opt.heal, args, { maxBuffer: 16 << 20 });
  return stdout;
}

async function engineMatches(page, syntax, selector) {
  try {
    return JSON.parse(await engine(['--select', selector, '--syntax', syntax, '--new', page])).matches;
  } catch (e) {
    return `error: ${(e.stderr || e.message).trim()}`;
  }
}

function locatorFor(page, syntax, selector) {
  if (syntax === 'css') return page.locator(`css=${selector}`);
  if (syntax === 'xpath') return page.locator(`xpath=${selector}`);
  const s = selector.trim();
  if (/^(page\.|getBy|locator\s*\()/.test(s))
    return new Function('page', `return ${s.startsWith('page.') ? s : `page.${s}`};`)(page);
  return page.locator(s);
}

async function browserMatches(page, syntax, selector) {
  try {
    return await locatorFor(page, syntax, selector).evaluateAll((els) => {
      const all = Array.from(document.querySelectorAll('*'));
      return els.map((e) => all.indexOf(e));
    });
  } catch (e) {
    return `error: ${e.message.split('\n')[0]}`;
  }
}

// Small pool: the engine runs as separate processes next to the browser.
async function each(items, width, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: opt.chromium, headless: true, args: FLAGS, javaScriptEnabled: false,
});
const page = context.pages()[0] || await context.newPage();
const started = Date.now();
try {
  const pageFiles = [...new Set(corpus.pairs.flatMap((p) => [p.old, p.new]))];
  let current = null;
  async function load(rel) {
    if (current === rel) return;
    await page.setContent(fs.readFileSync(path.join(opt.corpus, rel), 'utf8'), { waitUntil: 'domcontentloaded' });
    current = rel;
  }

  // 1. parser
  for (const rel of pageFiles) {
    await load(rel);
    const chrome = await page.evaluate(() => Array.from(document.querySelectorAll('*')).map((e) => e.localName));
    const ours = (await engine(['--dump-tree', '--new', path.join(opt.corpus, rel)])).trim().split('\n');
    const same = chrome.length === ours.length && chrome.every((t, i) => t === ours[i]);
    let where = '';
    if (!same) {
      const i = chrome.findIndex((t, k) => t !== ours[k]);
      where = ` (first difference at element ${i}: chromium ${chrome[i]}, engine ${ours[i]})`;
    }
    check('parser', same, `${rel}: ${chrome.length} elements in chromium, ${ours.length} in the engine${where}`);
  }

  // 2. corpus claims, and the selectors to compare in 3.
  const probes = new Map();   // page -> Map(key -> {syntax, selector})
  const probe = (rel, syntax, selector) => {
    if (!selector) return;
    if (!probes.has(rel)) probes.set(rel, new Map());
    probes.get(rel).set(`${syntax}\u0000${selector}`, { syntax, selector });
  };
  for (const c of corpus.cases) {
    await load(c.old);
    const tOld = await browserMatches(page, 'css', c.target_old);
    check('corpus', Array.isArray(tOld) && tOld.length === 1, `${c.id}: target_old ${c.target_old} names ${JSON.stringify(tOld)}`);
    const before = await browserMatches(page, c.syntax, c.selector);
    check('corpus', Array.isArray(before) && before.length >= 1 && before[0] === tOld[0],
      `${c.id}: ${c.selector} in the old page finds ${JSON.stringify(before)}, target ${tOld}`);
    await load(c.new);
    let tNew = null;
    if (c.target_new) {
      tNew = await browserMatches(page, 'css', c.target_new);
      check('corpus', Array.isArray(tNew) && tNew.length === 1, `${c.id}: target_new ${c.target_new} names ${JSON.stringify(tNew)}`);
    }
    const after = await browserMatches(page, c.syntax, c.selector);
    const stillExact = Array.isArray(after) && tNew && after.length === 1 && after[0] === tNew[0];
    check('corpus', !stillExact, `${c.id}: ${c.selector} still finds exactly the target in the new page`);
    probe(c.old, c.syntax, c.selector);
    probe(c.new, c.syntax, c.selector);
    probe(c.old, 'css', c.target_old);
    probe(c.new, 'css', c.target_new);
  }
  await each(corpus.cases, 2, async (c) => {
    for (const withOld of [true, false]) {
      const args = ['--selector', c.selector, '--syntax', c.syntax, '--new', path.join(opt.corpus, c.new)];
      if (withOld) args.push('--old', path.join(opt.corpus, c.old));
      const r = JSON.parse(await engine(args));
      probe(c.new, c.syntax, r.selector);
      for (const k of r.candidates) probe(c.new, c.syntax, k.selector);
    }
  });

  // 3. differential
  for (const [rel, set] of probes) {
    await load(rel);
    const items = [...set.values()];
    const ours = new Map();
    await each(items, 2, async (p) => {
      ours.set(p, await engineMatches(path.join(opt.corpus, rel), p.syntax, p.selector));
    });
    for (const p of items) {
      const chrome = await browserMatches(page, p.syntax, p.selector);
      const mine = ours.get(p);
      check(`differential ${p.syntax}`, JSON.stringify(chrome) === JSON.stringify(mine),
        `${rel}: ${p.selector}: chromium ${JSON.stringify(chrome)}, engine ${JSON.stringify(mine)}`);
    }
  }
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
for (const [group, t] of Object.entries(tally))
  console.log(`# ${group}: ${t.passed} passed, ${t.failed} failed`);
console.log(`# ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
