// GET /api/topology: the catalog as a graph (gateway, services, events), each node with its health
// and each edge with its live rate and error rate. Calls and routes are read from the counters the
// runtime already keeps for Prometheus (each service's and the gateway's registry), events from the
// events source; a rate is the growth of a total over the rate meter's window.
import type { Registry } from 'prom-client';
import type { Catalog, EventsView, NodeHealth, Topology, TopologyEdge, TopologyNode } from './api-types.js';
import type { RateMeter } from './rates.js';

/** One series of a counter: its labels and its value now. */
export interface CounterValue {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
}

/**
 * The series of a counter in a registry (none when it is not registered).
 *
 * @param registry - a service's or the gateway's registry
 * @param name - the counter's name
 * @example
 * const calls = await readCounter(registry, 'meshspec_client_calls_total');
 */
export async function readCounter(registry: Registry, name: string): Promise<CounterValue[]> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return [];
  const read = await metric.get();
  return read.values.map((v) => ({ labels: v.labels as Record<string, string | number>, value: v.value }));
}

/**
 * The counters a topology reads, as of now.
 *
 * @example
 * const counters: TopologyCounters = { gatewayRequests: await readCounter(gateway, 'meshspec_gateway_requests_total'), clientCalls: { orders: await readCounter(orders, 'meshspec_client_calls_total') } };
 */
export interface TopologyCounters {
  /** `meshspec_gateway_requests_total` (route, status). */
  readonly gatewayRequests: readonly CounterValue[];
  /** Per calling service, `meshspec_client_calls_total` (dependency, endpoint, outcome). */
  readonly clientCalls: Readonly<Record<string, readonly CounterValue[]>>;
}

/**
 * Reads the counters of the stack's registries.
 *
 * @param registries - the gateway's (null without one) and each service's
 * @example
 * const counters = await readTopologyCounters(running.metrics());
 */
export async function readTopologyCounters(registries: { readonly gateway: Registry | null; readonly services: Readonly<Record<string, Registry>> }): Promise<TopologyCounters> {
  const [gatewayRequests, ...perService] = await Promise.all([
    registries.gateway ? readCounter(registries.gateway, 'meshspec_gateway_requests_total') : Promise.resolve([]),
    ...Object.entries(registries.services).map(async ([name, registry]) => [name, await readCounter(registry, 'meshspec_client_calls_total')] as const),
  ]);
  return { gatewayRequests: gatewayRequests as CounterValue[], clientCalls: Object.fromEntries(perService as (readonly [string, CounterValue[]])[]) };
}

/**
 * What one topology is made of.
 *
 * @example
 * buildTopology({ catalog, health: (id) => poller.of(id), counters, events: events.view(), rates, now: Date.now() });
 */
export interface TopologyInput {
  readonly catalog: Catalog;
  readonly health: (id: string) => NodeHealth;
  readonly counters: TopologyCounters;
  readonly events: EventsView;
  /** Keeps the totals' readings between topologies (one meter per dashboard). */
  readonly rates: RateMeter;
  readonly now: number;
}

/**
 * Builds the graph: a `route` edge from the gateway to each routed service, a `call` edge per
 * dependency, a `publish` edge from each publisher to its event and a `subscribe` edge from each
 * event to each subscribing service (its groups summed).
 *
 * @param input - the catalog, health, counters, events view and rate meter
 * @example
 * const topology = buildTopology(input);
 * topology.edges.find((e) => e.id === 'gateway->service:users')?.rate;
 */
export function buildTopology(input: TopologyInput): Topology {
  const { catalog, counters, events, rates, now } = input;
  const nodes: TopologyNode[] = [];
  const edges = new Map<string, TopologyEdge>();
  if (catalog.gateway) nodes.push({ id: 'gateway', kind: 'gateway', label: 'gateway', health: input.health('gateway') });
  for (const service of catalog.services) nodes.push({ id: `service:${service.name}`, kind: 'service', label: service.name, health: input.health(`service:${service.name}`) });
  for (const event of catalog.events) nodes.push({ id: `event:${event.name}`, kind: 'event', label: event.name, health: null });

  // A rate and an error rate from two growing totals: all, and the failed among them.
  const measured = (key: string, total: number, failed: number) => {
    const rate = rates.rate(`${key}#all`, total, now);
    const failing = rates.rate(`${key}#failed`, failed, now);
    return { rate: round(rate), errorRate: rate > 0 ? round(Math.min(1, failing / rate)) : 0 };
  };

  if (catalog.gateway) {
    const byService = new Map<string, string[]>();
    for (const route of catalog.gateway.routes) byService.set(route.service, [...(byService.get(route.service) ?? []), route.prefix]);
    for (const [service, prefixes] of byService) {
      const series = counters.gatewayRequests.filter((c) => prefixes.includes(String(c.labels['route'])));
      const total = sum(series);
      const failed = sum(series.filter((c) => Number(c.labels['status']) >= 500));
      const id = `gateway->service:${service}`;
      edges.set(id, { id, from: 'gateway', to: `service:${service}`, kind: 'route', transport: 'http', policy: null, ...measured(id, total, failed) });
    }
  }
  for (const service of catalog.services) {
    for (const call of service.calls) {
      const series = (counters.clientCalls[service.name] ?? []).filter((c) => c.labels['dependency'] === call.service);
      const id = `service:${service.name}->service:${call.service}`;
      edges.set(id, {
        id,
        from: `service:${service.name}`,
        to: `service:${call.service}`,
        kind: 'call',
        transport: call.inProcess ? 'in-process' : call.transport,
        policy: call.policy,
        ...measured(id, sum(series), sum(series.filter((c) => c.labels['outcome'] !== 'ok'))),
      });
    }
  }
  const stats = new Map(events.events.map((e) => [e.name, e]));
  for (const event of catalog.events) {
    const seen = stats.get(event.name);
    for (const publisher of event.publishers) {
      const id = `service:${publisher}->event:${event.name}`;
      edges.set(id, { id, from: `service:${publisher}`, to: `event:${event.name}`, kind: 'publish', transport: null, policy: null, rate: round(seen?.publishRate ?? 0), errorRate: 0 });
    }
    for (const service of new Set(event.subscribers.map((s) => s.service))) {
      const groups = (seen?.groups ?? []).filter((g) => g.service === service);
      const handled = groups.reduce((n, g) => n + g.handleRate, 0);
      const failed = groups.reduce((n, g) => n + g.failureRate, 0);
      const id = `event:${event.name}->service:${service}`;
      edges.set(id, {
        id,
        from: `event:${event.name}`,
        to: `service:${service}`,
        kind: 'subscribe',
        transport: null,
        policy: null,
        rate: round(handled),
        errorRate: handled + failed > 0 ? round(failed / (handled + failed)) : 0,
      });
    }
  }
  return { at: now, nodes, edges: [...edges.values()] };
}

function sum(series: readonly CounterValue[]): number {
  return series.reduce((n, c) => n + c.value, 0);
}

/** Three decimals: enough for a rate per second, and stable JSON for change detection. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
