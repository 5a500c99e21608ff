// Checks of docker/docker-compose.data-layer.yml: docker-compose validates it for every profile;
// each profile's services only depend on services enabled in that profile; every long-running
// service has a health check; host ports are unique, loopback-only and keep 8080 for the Console;
// the stores' maxmemory fits their memory limit.
import { COMPOSE_FILE, run, redisBytes } from '../lib/repo.mjs';

export const valid = {
    id: 'compose-config',
    title: 'docker-compose config -q passes for the stack and every profile',
    run(repo) {
        const out = [];
        for (const p of repo.profiles()) {
            const r = run('docker-compose', ['-f', repo.abs(COMPOSE_FILE), ...(p ? ['--profile', p] : []), 'config', '-q'], { cwd: repo.root });
            if (r.status !== 0) out.push(`${p || '(no profile)'}: ${(r.stderr || r.stdout).trim().split('\n').slice(0, 3).join(' | ')}`);
        }
        return out;
    },
};

const enabled = (svc, profile) => !svc.profiles || !svc.profiles.length || (profile && svc.profiles.includes(profile));
const hostPort = (p) => {
    if (typeof p === 'object') return { ip: p.host_ip || '', port: Number(p.published) };
    const parts = String(p).split(':');
    return parts.length === 3 ? { ip: parts[0], port: Number(parts[1]) } : { ip: '', port: Number(parts.length === 2 ? parts[0] : NaN) };
};

export const profiles = {
    id: 'compose-services',
    title: 'compose: profiles are closed under depends_on, health checks everywhere, ports unique and local',
    run(repo) {
        const out = [];
        let all;
        try { all = repo.compose('workers'); } catch (e) { return [e.message]; }
        const services = all.services || {};
        for (const p of repo.profiles()) {
            for (const [name, svc] of Object.entries(services)) {
                if (!enabled(svc, p)) continue;
                for (const dep of Object.keys(svc.depends_on || {})) {
                    if (!services[dep]) out.push(`${name}: depends on unknown service ${dep}`);
                    else if (!enabled(services[dep], p)) out.push(`${name}: in profile "${p || '(none)'}" depends on ${dep}, which that profile does not start`);
                }
            }
        }
        const used = new Map();
        for (const [name, svc] of Object.entries(services)) {
            const oneShot = svc.restart === 'no';
            const hc = svc.healthcheck;
            const disabled = hc && (hc.disable || JSON.stringify(hc.test) === '["NONE"]');
            if (!oneShot && (!hc || disabled || !hc.test)) out.push(`${name}: no health check`);
            if (oneShot && !disabled) out.push(`${name}: a one-shot job should disable the image's health check (its exit code is its health)`);
            for (const dep of Object.entries(svc.depends_on || {})) {
                const [d, { condition }] = dep;
                const target = services[d];
                if (!target) continue;
                const want = target.restart === 'no' ? 'service_completed_successfully' : 'service_healthy';
                if (condition !== want) out.push(`${name}: depends on ${d} with ${condition} (expected ${want})`);
            }
            for (const p of svc.ports || []) {
                const { ip, port } = hostPort(p);
                if (ip !== '127.0.0.1') out.push(`${name}: port ${port} is published on all interfaces (bind it to 127.0.0.1: the dev passwords are public)`);
                if (used.has(port)) out.push(`${name}: host port ${port} is also used by ${used.get(port)}`);
                used.set(port, name);
            }
            if (/-worker$/.test(name)) {
                const hc2 = (hc && hc.test) || [];
                if (!hc2.includes('--health-probe')) out.push(`${name}: the health check should be the binary's own --health-probe`);
                if (svc.read_only !== true) out.push(`${name}: read_only is not true`);
                if (!String(svc.user || '').match(/^[1-9]\d*(:\d+)?$/)) out.push(`${name}: does not run as a numeric non-root user`);
                if (!(svc.cap_drop || []).includes('ALL')) out.push(`${name}: cap_drop ALL missing`);
            }
        }
        if (used.get(8080) !== 'console') out.push('host port 8080 must be the Redpanda Console\'s');
        return out;
    },
};

export const memory = {
    id: 'compose-memory',
    title: 'compose: FalkorDB and Valkey maxmemory stay below 80% of their mem_limit',
    run(repo) {
        const out = [];
        let all;
        try { all = repo.compose(''); } catch (e) { return [e.message]; }
        for (const name of ['falkordb', 'valkey']) {
            const svc = all.services[name];
            if (!svc) { out.push(`${name}: missing`); continue; }
            const cmd = [].concat(svc.command || []).join(' ') + ' ' + ((svc.environment || {}).REDIS_ARGS || '');
            const m = cmd.match(/--maxmemory\s+(\S+)/);
            if (!m) { out.push(`${name}: no --maxmemory`); continue; }
            if (!svc.mem_limit) { out.push(`${name}: no mem_limit`); continue; }
            const lim = typeof svc.mem_limit === 'number' ? svc.mem_limit : redisBytes(svc.mem_limit);
            if (redisBytes(m[1]) > 0.8 * lim) out.push(`${name}: maxmemory ${m[1]} is above 80% of mem_limit ${svc.mem_limit}`);
            if (name === 'falkordb' && !(svc.environment || {}).REDIS_ARGS) out.push('falkordb: settings must go through REDIS_ARGS (the image ignores command:)');
        }
        return out;
    },
};

export const checks = [valid, profiles, memory];
