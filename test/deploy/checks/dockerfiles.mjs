// Each image is built by the project's own build: the build stage runs `scripts/setup --build-deps`
// and `make <targets>` (targets the Makefile knows, no flag overrides), nothing else that compiles or
// downloads. The runtime stage carries the shared libraries the link line needs (derived from
// `make -n` and dpkg), runs as a numeric non-root user and checks its health with the binary itself.
import fs from 'node:fs';
import { run } from '../lib/repo.mjs';

const BASE = 'debian:bookworm-slim';
const LIBC = new Set(['c', 'm', 'pthread', 'dl', 'rt']);
const FORBIDDEN_IN_BUILD = /\b(gcc|cc|clang|cmake|configure|curl|wget|git|cargo|pip|go build)\b/;
const FLAG_VARS = /\b(CC|CFLAGS|CPPFLAGS|LDFLAGS|OPT|SAN|BUILD|LIBS)=/;

export function images(repo) {
    const list = repo.workers().map((w) => ({
        file: `docker/Dockerfile.${w}-worker`, targets: [`build/bin/argus-${w}-worker`], binary: `argus-${w}-worker`, worker: w,
    }));
    list.push({ file: 'docker/Dockerfile.tools', targets: ['tools'], binary: null });
    return list;
}

function resolveFrom(repo, file, from) {
    const m = repo.read(file).match(/^ARG\s+([A-Z_]+)=(\S+)/m);
    return from.replace(/\$\{?([A-Z_]+)\}?/g, (all, v) => (m && m[1] === v ? m[2] : all));
}

const aptPackages = (cmd) => {
    const out = [];
    for (const seg of cmd.split(/&&|;|\|\|/)) {
        const m = seg.match(/apt-get\s+install\s+(.*)$/);
        if (m) out.push(...m[1].split(/\s+/).filter((t) => t && !t.startsWith('-') && !/[{}()]/.test(t)));
    }
    return out;
};

// -l flags of the final link commands `make -n -B` prints for the targets.
function linkLibs(repo, targets) {
    const r = run('make', ['-n', '-B', '-C', repo.root, ...targets], { env: { ...process.env, MAKEFLAGS: '' } });
    if (r.status !== 0) throw new Error(`make -n ${targets.join(' ')}: ${r.stderr.trim().split('\n').pop()}`);
    const libs = new Set();
    for (const line of r.stdout.split('\n')) {
        if (!/\s-o\s+\S*build\/bin\//.test(line)) continue;
        for (const m of line.matchAll(/\s-l([A-Za-z0-9_+.-]+)/g)) libs.add(m[1]);
    }
    if (!libs.size) throw new Error(`make -n ${targets.join(' ')}: no link command found`);
    return [...libs];
}

// lib name -> the Debian package of its runtime shared object (via the -dev symlink and dpkg -S).
const libDirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib', '/lib/x86_64-linux-gnu'];
export function runtimePackageOf(lib) {
    for (const d of libDirs) {
        const so = `${d}/lib${lib}.so`;
        if (!fs.existsSync(so)) continue;
        const real = fs.realpathSync(so);
        const r = run('dpkg', ['-S', real]);
        if (r.status !== 0) continue;
        return r.stdout.split(':')[0].trim();
    }
    return null;
}

export const buildSteps = {
    id: 'docker-build-steps',
    title: 'Dockerfiles build with the project\'s own commands (scripts/setup --build-deps, make targets)',
    run(repo) {
        const out = [];
        let setup = '';
        try { setup = repo.read('scripts/setup'); } catch (e) { out.push(`${e.message} (the images run scripts/setup --build-deps)`); }
        if (setup && !setup.includes('--build-deps')) out.push('scripts/setup: has no --build-deps option');
        for (const img of images(repo)) {
            if (!repo.exists(img.file)) { out.push(`${img.file}: missing`); continue; }
            const stages = repo.dockerfile(img.file);
            if (stages.length !== 2) { out.push(`${img.file}: expected a build stage and a runtime stage, found ${stages.length}`); continue; }
            const [build, runtime] = stages;
            for (const s of stages) if (resolveFrom(repo, img.file, s.from) !== BASE) out.push(`${img.file}: stage FROM ${s.from}, expected ${BASE}`);
            const runs = build.instrs.filter((i) => i.op === 'RUN').map((i) => i.args);
            if (runs[0] !== 'scripts/setup --build-deps') out.push(`${img.file}: the first build step must be "scripts/setup --build-deps" (found "${runs[0]}")`);
            const makes = runs.filter((r) => /^make\b/.test(r));
            if (makes.length !== 1) out.push(`${img.file}: expected exactly one make step, found ${makes.length}`);
            const makeIdx = runs.findIndex((r) => /^make\b/.test(r));
            for (const [i, r] of runs.entries()) {
                if (i === 0 || i === makeIdx) continue;
                if (i < makeIdx && !/apt-get install/.test(r)) out.push(`${img.file}: build step "${r}" is neither setup, make, nor a toolchain install`);
                if (i > makeIdx && !/^strip --strip-debug /.test(r)) out.push(`${img.file}: build step after make "${r}" (only strip is allowed)`);
                if (FORBIDDEN_IN_BUILD.test(r.replace(/apt-get install.*$/, ''))) out.push(`${img.file}: build step "${r}" compiles or downloads outside the project's build`);
            }
            for (const i of build.instrs) if ((i.op === 'ENV' || i.op === 'ARG') && FLAG_VARS.test(i.args)) out.push(`${img.file}: ${i.op} ${i.args} changes the build flags CI uses`);
            if (!build.instrs.some((i) => i.op === 'COPY' && i.args === '. .')) out.push(`${img.file}: the build stage must COPY the whole tree (. .), as CI builds it`);
            if (makes[0]) {
                const words = makes[0].split(/\s+/).slice(1);
                for (const w of words) if (FLAG_VARS.test(w) || /=/.test(w)) out.push(`${img.file}: make ${w} overrides a variable CI does not`);
                const targets = words.filter((w) => !w.startsWith('-'));
                for (const t of img.targets) if (!targets.includes(t)) out.push(`${img.file}: make does not build ${t}`);
                for (const t of targets) {
                    const r = run('make', ['-n', '-C', repo.root, t], { env: { ...process.env, MAKEFLAGS: '' } });
                    if (r.status !== 0) out.push(`${img.file}: make target ${t} is unknown to the Makefile (${r.stderr.trim().split('\n').pop()})`);
                }
            }
            // Runtime stage.
            const rt = (op) => runtime.instrs.filter((i) => i.op === op);
            const user = rt('USER').pop();
            if (!user || !/^[1-9]\d*(:\d+)?$/.test(user.args)) out.push(`${img.file}: runtime USER must be a numeric non-root uid`);
            const hc = rt('HEALTHCHECK').pop();
            if (img.binary) {
                if (!hc || !hc.args.includes(img.binary) || !hc.args.includes('--health-probe')) out.push(`${img.file}: HEALTHCHECK must run ${img.binary} --health-probe`);
                const ep = rt('ENTRYPOINT').pop();
                if (!ep || !ep.args.includes(`"${img.binary}"`)) out.push(`${img.file}: ENTRYPOINT must be ${img.binary}`);
                const copied = rt('COPY').some((c) => c.args.includes(`build/bin/${img.binary}`));
                if (!copied) out.push(`${img.file}: the runtime stage does not copy build/bin/${img.binary}`);
            } else if (!hc || hc.args !== 'NONE') out.push(`${img.file}: a tools image is run as jobs: HEALTHCHECK NONE`);
            const pkgRuns = rt('RUN').map((i) => i.args).filter((r) => /apt-get install/.test(r));
            for (const r of pkgRuns) {
                if (!r.includes('--no-install-recommends')) out.push(`${img.file}: apt-get install without --no-install-recommends`);
                if (!/rm -rf \/var\/lib\/apt\/lists/.test(r)) out.push(`${img.file}: the runtime stage keeps the apt lists`);
            }
            const pkgs = pkgRuns.flatMap(aptPackages);
            for (const p of pkgs) if (/-dev$|^(gcc|make|pkg-config|build-essential|nodejs|npm|curl|wget)$/.test(p)) out.push(`${img.file}: runtime installs build tool ${p}`);
        }
        return out;
    },
};

export const runtimeLibs = {
    id: 'docker-runtime-libs',
    title: 'each runtime stage installs the packages of every shared library its binaries link',
    run(repo) {
        const out = [];
        for (const img of images(repo)) {
            if (!repo.exists(img.file)) continue; // docker-build-steps reports it
            const [, runtime] = repo.dockerfile(img.file);
            if (!runtime) continue;
            const pkgs = new Set(runtime.instrs.filter((i) => i.op === 'RUN').flatMap((i) => aptPackages(i.args)));
            let libs;
            try { libs = linkLibs(repo, img.targets); } catch (e) { out.push(`${img.file}: ${e.message}`); continue; }
            for (const lib of libs) {
                if (LIBC.has(lib)) continue;
                const pkg = runtimePackageOf(lib);
                if (!pkg) { out.push(`${img.file}: cannot find the package of -l${lib} (are the build dependencies installed? scripts/setup --build-deps)`); continue; }
                const bare = pkg.replace(/:.*$/, '');
                if (!pkgs.has(bare)) out.push(`${img.file}: links -l${lib} but the runtime stage does not install ${bare}`);
            }
            if (!pkgs.has('ca-certificates')) out.push(`${img.file}: no ca-certificates (TLS to Kafka, Supabase and HTTPS APIs)`);
        }
        return out;
    },
};

export const volumes = {
    id: 'docker-volumes',
    title: 'a worker image writes only under its VOLUMEs, and compose and Kubernetes mount them writable',
    run(repo) {
        const out = [];
        let compose = null;
        try { compose = repo.compose('workers'); } catch (e) { out.push(e.message); }
        let objs = [];
        try { objs = repo.render('base'); } catch (e) { out.push(e.message); }
        for (const img of images(repo).filter((i) => i.worker)) {
            if (!repo.exists(img.file)) continue;
            const [, runtime] = repo.dockerfile(img.file);
            const vols = runtime.instrs.filter((i) => i.op === 'VOLUME').flatMap((i) => JSON.parse(i.args));
            const svc = compose && compose.services[`${img.worker}-worker`];
            const dep = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === `${img.worker}-worker`);
            for (const v of vols) {
                if (svc && !(svc.volumes || []).some((m) => (typeof m === 'string' ? m.split(':')[1] : m.target) === v)) out.push(`${img.file}: VOLUME ${v} is not mounted by compose service ${img.worker}-worker (read_only root)`);
                if (dep && !(dep.spec.template.spec.containers[0].volumeMounts || []).some((m) => m.mountPath === v && !m.readOnly)) out.push(`${img.file}: VOLUME ${v} is not a writable mount of Deployment ${img.worker}-worker`);
            }
        }
        return out;
    },
};

export const checks = [buildSteps, runtimeLibs, volumes];
