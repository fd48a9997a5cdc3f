// Checks that span the mesh: event payloads, who publishes and who listens, ports, gRPC names, gateway
// routes, durations.
import { GATEWAY_METRICS_PORT, isProbePath, PROBE_PATHS } from '../../../common/probes.js';
import { MAX_DURATION_MS, parseDuration } from '../../../common/units.js';
import { isRecord, maybeService, someServiceUnchecked, unknownName, type SpecIndex } from '../collect.js';
import { endpointMethodsUnder, upstreamPath } from '../gateway-routes.js';
import type { SpecDocument, SpecPath } from '../load.js';
import { checkRouteMethods } from './gateway-routes.js';
import type { Reporter } from './reporter.js';
import { checkTypeRef } from './types.js';

export function checkEvents(index: SpecIndex, report: Reporter): void {
  const published = new Set<string>();
  const subscribed = new Set<string>();
  for (const service of index.services.values()) {
    for (const e of service.raw.publishes ?? []) published.add(e);
    for (const endpoint of Object.values(service.raw.endpoints ?? {})) for (const e of endpoint.emits ?? []) published.add(e);
    for (const e of Object.keys(service.raw.subscribes ?? {})) subscribed.add(e);
  }
  for (const event of index.events.values()) {
    // A saga's events are the generator's: their payloads are synthesized, their service publishes them.
    if (event.saga !== undefined) continue;
    // Publishers and subscribers in any service share the payload: it is a mesh-level type.
    const rule = 'an event payload is shared by every publisher and subscriber, so it must be a mesh-level type';
    const payload = checkTypeRef(index, null, event.doc, [...event.path, 'payload'], event.raw.payload, report, rule);
    if (payload && !isRecord(payload)) {
      report.error(event.doc, [...event.path, 'payload'], 'not-a-record', `an event payload must be a record type, and \`${event.raw.payload}\` is an enum`);
    }
    // Who publishes what is unknown while a service file failed the schema: judge usage only on a whole spec.
    if (someServiceUnchecked(index)) continue;
    if (subscribed.has(event.name) && !published.has(event.name)) {
      report.warning(event.doc, event.path, 'event-never-published', `services subscribe to \`${event.name}\` but no service publishes it (add it to an endpoint's \`emits\` or a service's \`publishes\`)`, { key: true });
    } else if (!published.has(event.name)) {
      report.warning(event.doc, event.path, 'unused-event', `no service publishes or subscribes to \`${event.name}\``, { key: true });
    }
  }
}

export function checkPorts(index: SpecIndex, report: Reporter): void {
  const taken = new Map<number, { owner: string; doc: SpecDocument; path: SpecPath }>();
  const claim = (port: number | undefined, owner: string, doc: SpecDocument, path: SpecPath) => {
    if (port === undefined) return;
    const previous = taken.get(port);
    if (previous) {
      report.error(doc, path, 'port-clash', `port ${port} of ${owner} is already used by ${previous.owner} at ${report.where(previous.doc, previous.path, false)}; give each its own port`);
    } else {
      taken.set(port, { owner, doc, path });
    }
  };
  const gateway = index.mesh?.raw.gateway;
  if (gateway) {
    claim(gateway.port, 'the gateway', index.mesh!.doc, ['gateway', 'port']);
    // Its metrics listener takes its default port when the spec names none: `meshspec dev` opens it beside the rest.
    claim(gateway.metricsPort ?? GATEWAY_METRICS_PORT, gateway.metricsPort === undefined ? "the gateway's metrics (its default port; `gateway.metricsPort` moves it)" : "the gateway's metrics", index.mesh!.doc, gateway.metricsPort === undefined ? ['gateway'] : ['gateway', 'metricsPort']);
  }
  for (const service of index.services.values()) {
    claim(service.raw.ports.http, `${service.name} (http)`, service.doc, ['ports', 'http']);
    claim(service.raw.ports.grpc, `${service.name} (grpc)`, service.doc, ['ports', 'grpc']);
  }
}

/** Durations the runtime waits with a timer: no longer than a timer can count. */
export function checkDurations(index: SpecIndex, report: Reporter): void {
  const mesh = index.mesh;
  if (!mesh) return;
  const durations: [SpecPath, string | undefined][] = [
    [['runtime', 'shutdownGrace'], mesh.raw.runtime?.shutdownGrace],
    [['gateway', 'timeout'], mesh.raw.gateway?.timeout],
    ...(mesh.raw.gateway?.routes ?? []).map((route, i): [SpecPath, string | undefined] => [['gateway', 'routes', i, 'timeout'], route.timeout]),
    [['runtime', 'bus', 'retryDelay'], mesh.raw.runtime?.bus?.retryDelay],
    [['runtime', 'bus', 'maxRetryDelay'], mesh.raw.runtime?.bus?.maxRetryDelay],
    [['runtime', 'bus', 'claimIdle'], mesh.raw.runtime?.bus?.claimIdle],
  ];
  for (const [at, text] of durations) {
    const ms = text === undefined ? undefined : parseDuration(text);
    if (ms !== undefined && ms > MAX_DURATION_MS) {
      report.error(mesh.doc, at, 'duration-too-long', `\`${text}\` is longer than the runtime can wait: at most ${MAX_DURATION_MS} ms (about 596h)`);
    }
  }
  // Stream retention is compared with the clock, not waited for with a timer: only a count of
  // milliseconds that a number holds exactly is too long.
  const maxAge = mesh.raw.runtime?.bus?.retention?.maxAge;
  const ageMs = maxAge === undefined ? undefined : parseDuration(maxAge);
  if (ageMs !== undefined && !Number.isSafeInteger(ageMs)) {
    report.error(mesh.doc, ['runtime', 'bus', 'retention', 'maxAge'], 'duration-too-long', `\`${maxAge}\` is too long to count in milliseconds: at most ${Number.MAX_SAFE_INTEGER} ms`);
  }
}

export function checkGateway(index: SpecIndex, report: Reporter): void {
  const gateway = index.mesh?.raw.gateway;
  if (!index.mesh || !gateway) return;
  const doc = index.mesh.doc;
  const prefixes = new Map<string, number>();
  gateway.routes.forEach((route, i) => {
    const at = ['gateway', 'routes', i];
    const first = prefixes.get(route.prefix);
    // The services' dependencies report is theirs: the gateway answers only its probes and metrics.
    const reserved = isProbePath(route.prefix) && !route.prefix.startsWith(PROBE_PATHS.dependencies);
    if (first !== undefined) {
      report.error(doc, [...at, 'prefix'], 'duplicate-route', `prefix \`${route.prefix}\` is already routed by route ${first + 1} (${report.where(doc, ['gateway', 'routes', first, 'prefix'], false)}); route each prefix once`);
    } else {
      prefixes.set(route.prefix, i);
    }
    if (reserved) {
      report.error(doc, [...at, 'prefix'], 'reserved-route', `\`${route.prefix}\` is the gateway's own probe or metrics endpoint; route another prefix`);
    }
    const service = index.services.get(route.service);
    if (!service) {
      if (!maybeService(index, route.service)) {
        report.error(doc, [...at, 'service'], 'unknown-service', unknownName('service', route.service, index.services.keys()));
      }
      return;
    }
    // A prefix already rejected is not judged again for what it reaches.
    if ((first !== undefined || reserved) && route.rewrite === undefined) return;
    const upstream = upstreamPath(route);
    const taken = endpointMethodsUnder(Object.values(service.raw.endpoints ?? {}), upstream);
    if (taken.length === 0) {
      report.error(doc, [...at, route.rewrite === undefined ? 'prefix' : 'rewrite'], 'route-matches-nothing', `the route forwards \`${route.prefix}\` to \`${upstream || '/'}\` on \`${route.service}\`, but no endpoint of \`${route.service}\` is under \`${upstream || '/'}\``);
      return;
    }
    checkRouteMethods(doc, at, route, service, upstream, taken, report);
  });
}
