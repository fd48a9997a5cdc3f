// mesh.yaml: name, version, runtime settings, deploy defaults, mesh-level types, events with
// mesh-level payloads, and gateway routes that reach endpoints.
import type { Choose } from './choose.js';
import { DURATIONS, SIZES, deploy } from './deploy.js';
import { EVENT_NAMES, PATH_SEGMENTS } from './names.js';
import type { BusPlan, EventPlan, GatewayPlan, MeshPlan, ServicePlan } from './plan.js';
import { maybeDescription } from './text.js';
import type { DeclaredType } from './types.js';

const VERSIONS = ['1.0.0', '0.0.0', '0.1.0', '10.20.30', '1.0.99999'];

export function meshHeader(choose: Choose, name: string, namespace: string | undefined): MeshPlan {
  const mesh: MeshPlan = { mesh: name, version: choose.pick(VERSIONS) };
  const description = maybeDescription(choose, 0.3);
  if (description !== undefined) mesh.description = description;
  if (choose.chance(0.3)) {
    mesh.runtime = {};
    if (choose.chance(0.6)) mesh.runtime.bodyLimit = choose.pick(SIZES);
    if (choose.chance(0.6)) mesh.runtime.shutdownGrace = choose.pick(DURATIONS);
  }
  if (namespace !== undefined || choose.chance(0.2)) {
    mesh.deploy = {};
    if (namespace !== undefined) mesh.deploy.namespace = namespace;
    if (choose.chance(0.5)) mesh.deploy.registry = choose.pick(['ghcr.io/acme', 'localhost:5000', 'registry.example.com/a/b', 'r']);
  }
  return mesh;
}

/** Events whose payloads are mesh-level records (none when the mesh has no record). */
export function declareEvents(choose: Choose, records: readonly DeclaredType[]): EventPlan[] {
  if (records.length === 0) return [];
  const names = choose.some(EVENT_NAMES, 4);
  return names.map((name) => {
    const event: EventPlan = { name, payload: choose.pick(records).name };
    if (choose.chance(0.2)) event.version = choose.pick([1, 2, 99]);
    const description = maybeDescription(choose, 0.3);
    if (description !== undefined) event.description = description;
    return event;
  });
}

/** A gateway whose every route reaches some endpoint; undefined when no service has one. */
export function declareGateway(choose: Choose, port: number, services: readonly ServicePlan[]): GatewayPlan | undefined {
  const targets = services.flatMap((s) => (s.endpoints ?? []).map((e) => ({ service: s.service, path: e.http.split(' ')[1]! })));
  if (targets.length === 0) return undefined;
  const routes: GatewayPlan['routes'] = [];
  const prefixes = new Set<string>();
  for (let i = choose.int(1, 3); i > 0; i--) {
    const target = choose.pick(targets);
    const segments = target.path.split('/').filter(Boolean);
    // How much of the endpoint path the route names: a param may stand for any literal segment.
    const depth = choose.int(0, segments.length);
    const upstream = segments.slice(0, depth).map((s) => (s.startsWith('{') ? 'x' : s));
    let prefix: string;
    let rewrite: string | undefined;
    if (upstream.length > 0 && choose.chance(0.5)) {
      prefix = `/${upstream.join('/')}`;
    } else {
      prefix = `/${['api', ...choose.some(PATH_SEGMENTS.filter((s) => s !== 'ready'), 2), target.service].join('/')}`;
      rewrite = `/${upstream.join('/')}`;
    }
    if (prefixes.has(prefix) || prefix === '/health' || prefix === '/ready') continue;
    prefixes.add(prefix);
    routes.push(rewrite === undefined ? { prefix, service: target.service } : { prefix, service: target.service, rewrite });
  }
  const gateway: GatewayPlan = { port, routes };
  if (choose.chance(0.3)) gateway.timeout = choose.pick(DURATIONS);
  if (choose.chance(0.2)) gateway.bodyLimit = choose.pick(SIZES);
  const deployment = deploy(choose);
  if (deployment !== undefined) gateway.deploy = deployment;
  return gateway;
}

/**
 * `runtime.bus` now and then, each key left out or set: delays drawn in the order the checks demand
 * (retryDelay <= maxRetryDelay < claimIdle, counting the defaults of the keys left out).
 */
export function declareBus(choose: Choose): BusPlan | undefined {
  if (!choose.chance(0.3)) return undefined;
  const bus: BusPlan = {};
  if (choose.chance(0.5)) bus.kind = 'memory';
  if (choose.chance(0.5)) bus.maxAttempts = choose.pick([1, 2, 5, 100]);
  // Ascending ladders: a delay and the ones after it are drawn from what is left.
  const retry = choose.pick(['0ms', '100ms', '1s', '2500ms']);
  const cap = choose.pick(['2500ms', '5s', '1m']);
  const claim = { '2500ms': '3s', '5s': '30s', '1m': '596h' }[cap]!;
  if (choose.chance(0.5)) bus.retryDelay = retry;
  // A cap left out is 5s, a claimIdle left out 30s: a claimIdle comes with its cap, and a cap of 1m
  // with a claimIdle (the default would be too short).
  const withCap = choose.chance(0.5) || cap === '1m';
  if (withCap) bus.maxRetryDelay = cap;
  if (withCap && (choose.chance(0.5) || cap === '1m')) bus.claimIdle = claim;
  if (choose.chance(0.4)) {
    bus.retention = {};
    if (choose.chance(0.6)) bus.retention.maxLength = choose.pick([1, 1000, 100_000, 1_000_000_000]);
    if (choose.chance(0.6)) bus.retention.maxAge = choose.pick(['1ms', '168h', '100000h']);
  }
  return bus;
}
