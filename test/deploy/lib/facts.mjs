// What the manifests say about a worker or a store, derived once for all checks: a worker's
// effective environment, the endpoints it is configured for, the Redpanda release as its Helm values
// describe it, and how a host name resolves to the pods behind a Service.
import { NAMESPACE, podLabels, containersOf, containerEnv, selectorMatches, workerOf } from './repo.mjs';

export const SECRET_NAME = /(PASSWORD|TOKEN|API_KEY|SECRET|DATABASE_URL)$/;

export function redpandaFacts(values) {
    const instance = values.fullnameOverride || 'redpanda';
    const l = values.listeners || {};
    const kafka = (l.kafka && l.kafka.port) || 9093;
    const admin = (l.admin && l.admin.port) || 9644;
    const sr = (l.schemaRegistry && l.schemaRegistry.port) || 8081;
    const rpc = (l.rpc && l.rpc.port) || 33145;
    const res = values.resources || {};
    const mem = (res.memory && res.memory.container) || {};
    return {
        instance,
        service: instance,
        brokerLabels: { 'app.kubernetes.io/name': 'redpanda', 'app.kubernetes.io/instance': instance },
        kafkaPort: kafka,
        ports: [kafka, admin, sr, rpc],
        brokers: (values.statefulset && values.statefulset.replicas) || 3,
        cores: (res.cpu && res.cpu.cores) || 1,
        memoryMin: mem.min || mem.max,
        memoryMax: mem.max,
        storage: values.storage && values.storage.persistentVolume && values.storage.persistentVolume.size,
        saslMechanism: values.auth && values.auth.sasl && values.auth.sasl.enabled ? (values.auth.sasl.mechanism || 'SCRAM-SHA-512') : null,
        tls: !!(values.tls && values.tls.enabled),
    };
}

// A worker's effective environment (ConfigMap via envFrom, then env; secret refs as {from}).
export function workerFacts(objs, w) {
    const f = workerOf(objs, w);
    if (!f.deployment) return f;
    const configMaps = objs.filter((o) => o.kind === 'ConfigMap');
    const c = f.deployment.spec.template.spec.containers[0];
    f.container = c;
    f.env = containerEnv(c, configMaps);
    f.labels = podLabels(f.deployment);
    f.annotations = f.deployment.spec.template.metadata.annotations || {};
    return f;
}

// host:port list -> [{host, port}]
export const hostPorts = (s) => String(s || '').split(',').map((x) => x.trim()).filter(Boolean).map((x) => {
    const i = x.lastIndexOf(':');
    return { host: x.slice(0, i), port: Number(x.slice(i + 1)) };
});

// The dependencies a worker's environment names, in one vocabulary shared by compose and Kubernetes.
export function endpointsOf(env) {
    const has = (k) => env[k] !== undefined && env[k] !== '';
    return {
        kafka: has('KAFKA_BOOTSTRAP_SERVERS') ? hostPorts(env.KAFKA_BOOTSTRAP_SERVERS) : [],
        falkordb: has('FALKORDB_HOST') ? { host: env.FALKORDB_HOST, port: Number(env.FALKORDB_PORT || 6379) } : null,
        valkey: has('VALKEY_HOST') ? { host: env.VALKEY_HOST, port: Number(env.VALKEY_PORT || 6380) } : null,
        database: has('DATABASE_URL') ? env.DATABASE_URL : null,
    };
}
export const usesOf = (ep) => ({ kafka: ep.kafka.length > 0, falkordb: !!ep.falkordb, valkey: !!ep.valkey, database: !!ep.database });

// Resolves a cluster host name to its targets (ids from netpol.universe) and target port.
export function resolveService(objs, redpanda, host, port) {
    const m = host.match(/^([a-z0-9-]+)(?:\.([a-z0-9-]+))?(?:\.svc(?:\.cluster\.local)?)?\.?$/);
    if (!m) return { error: `${host}: not a cluster service name` };
    const [, name, ns = NAMESPACE] = m;
    if (ns !== NAMESPACE) return { error: `${host}: outside ${NAMESPACE}` };
    if (name === redpanda.service) {
        if (port !== redpanda.kafkaPort) return { error: `${host}:${port}: Redpanda's Kafka listener is on ${redpanda.kafkaPort}` };
        return { targets: ['redpanda-broker'], port };
    }
    const svc = objs.find((o) => o.kind === 'Service' && o.metadata.name === name);
    if (!svc) return { error: `${host}: no Service ${name}` };
    const sp = (svc.spec.ports || []).find((p) => p.port === port);
    if (!sp) return { error: `${host}:${port}: Service ${name} has no port ${port}` };
    const pods = objs.filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind) && selectorMatches({ matchLabels: svc.spec.selector }, podLabels(o)));
    if (!pods.length) return { error: `${host}: Service ${name} selects no pods` };
    const tp = sp.targetPort === undefined ? port : sp.targetPort;
    let number = tp;
    if (typeof tp === 'string') {
        number = undefined;
        for (const c of containersOf(pods[0])) for (const p of c.ports || []) if (p.name === tp) number = p.containerPort;
        if (number === undefined) return { error: `${host}: targetPort ${tp} is not a port of ${pods[0].metadata.name}` };
    }
    return { targets: pods.map((p) => `${p.kind}/${p.metadata.name}`), port: number };
}
