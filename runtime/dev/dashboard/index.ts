// The dashboard of `meshspec dev`: a page and its data API on a loopback port, built from what the
// running stack knows (its hosts, gateway, metrics registries, /ready answers, saga routes) and from
// two sources of its own (traces, events). Only the dev stack starts it: production processes
// (runtime/host, generated main.ts) never import this folder.
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { StartupError } from '../../host/startup-error.js';
import type { DevStack, RunningStack } from '../index.js';
import type { Catalog, EventsView, Overview, Topology } from './api-types.js';
import { buildCatalog } from './catalog.js';
import { buildExplorerCall, sendExplorerCall } from './explorer.js';
import { startHealthPoller } from './health.js';
import { createRateMeter } from './rates.js';
import { listSagas, sagaDetail, sagaFingerprint, type SagaOwner } from './sagas.js';
import { ownOrigins } from './security.js';
import { createDashboardServer, type DashboardApi } from './server.js';
import type { EventsSource, TraceStore } from './sources.js';
import { DEFAULT_PAGE_DIR } from './static.js';
import { createStreamHub } from './stream.js';
import { buildTopology, readTopologyCounters } from './topology.js';

export type * from './api-types.js';
export type { EventsSource, TraceStore } from './sources.js';
export { apiSchemas, API_SCHEMA_ID, type ApiSchemaName } from './api-schemas.js';

/** The dashboard's port unless told otherwise. */
export const DEFAULT_DASHBOARD_PORT = 9400;
/** How often the stream sends the topology and the events, and looks for saga changes, ms. */
export const STREAM_INTERVAL_MS = 2000;

/**
 * What the dashboard shows and where it listens.
 *
 * @example
 * const options: DashboardOptions = { port: 9400, stack, running, traces, events, token };
 */
export interface DashboardOptions {
  /** Default DEFAULT_DASHBOARD_PORT; 0 for any free port. */
  readonly port?: number;
  /** Default 127.0.0.1: loopback only. */
  readonly host?: string;
  readonly stack: DevStack;
  readonly running: RunningStack;
  readonly traces: TraceStore;
  readonly events: EventsSource;
  /** The development token the API explorer sends (the gateway verifies JWTs); default none. */
  readonly token?: string | undefined;
  /** The page's folder; default page/ beside this module. */
  readonly pageDir?: string;
  /** Told of an answer that failed inside; default silent. */
  readonly logger?: Logger;
}

/**
 * A running dashboard.
 *
 * @example
 * const dashboard = await startDashboard(options);
 * console.log(dashboard.url);
 * await dashboard.close();
 */
export interface Dashboard {
  /** `http://127.0.0.1:9400`. */
  readonly url: string;
  readonly port: number;
  /** Ends the streams, stops polling and closes the listener. */
  close(): Promise<void>;
}

/**
 * Starts the dashboard: its server on `host:port`, the health polling of every node, and the live
 * stream. A taken port rejects with a StartupError (`details.service` is `dashboard`).
 *
 * @param options - the stack, its sources, the port and the development token
 * @example
 * const dashboard = await startDashboard({ port: 0, stack, running, traces, events, token });
 * await fetch(`${dashboard.url}/api/catalog`);
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const { stack, running, traces, events } = options;
  const host = options.host ?? '127.0.0.1';
  const wanted = options.port ?? DEFAULT_DASHBOARD_PORT;
  const startedAt = Date.now();
  let url = '';
  let port = 0;

  const catalog = (): Catalog =>
    buildCatalog({ mesh: stack.mesh, hosts: running.hosts(), urls: running.urls, gateway: running.gatewayConfig(), gatewayUrl: running.gatewayUrl, colocated: running.colocated });
  const health = startHealthPoller(() => [
    ...(running.gatewayUrl ? [{ id: 'gateway', url: `${running.gatewayUrl}/ready` }] : []),
    ...Object.entries(running.urls).map(([name, u]) => ({ id: `service:${name}`, url: `${u.http}/ready` })),
  ]);
  const rates = createRateMeter();
  // One view serves the topology and the events of the same moment: the source's rates are since its previous view.
  let lastView: { view: EventsView; at: number } | null = null;
  const eventsView = (): EventsView => {
    const now = Date.now();
    if (lastView === null || now - lastView.at >= STREAM_INTERVAL_MS / 2) lastView = { view: events.view(), at: now };
    return lastView.view;
  };
  const topology = async (current: Catalog = catalog()): Promise<Topology> =>
    buildTopology({ catalog: current, health: (id) => health.of(id), counters: await readTopologyCounters(running.metrics()), events: eventsView(), rates, now: Date.now() });
  const sagaOwners = (current: Catalog = catalog()): SagaOwner[] => {
    const owners = [...new Set(current.sagas.map((s) => s.owner))];
    return owners.flatMap((owner) => (running.urls[owner] ? [{ owner, url: running.urls[owner].http }] : []));
  };
  const overview = (): Overview => {
    const gatewayConfig = running.gatewayConfig();
    return {
      mesh: stack.mesh,
      startedAt,
      dashboardUrl: url,
      gateway: running.gatewayUrl ? { url: running.gatewayUrl, metricsUrl: running.gatewayMetricsUrl } : null,
      services: Object.entries(running.urls).map(([name, u]) => ({ name, http: u.http, grpc: u.grpc })),
      devToken: options.token !== undefined && gatewayConfig?.auth !== undefined && 'jwt' in gatewayConfig.auth,
    };
  };

  const hub = createStreamHub();
  const api: DashboardApi = {
    overview,
    catalog,
    topology: () => topology(),
    traces: (limit) => ({ traces: traces.list(limit) }),
    trace: (id) => traces.get(id),
    events: eventsView,
    deadLetters: (filter) => ({ deadLetters: events.deadLetters(filter) }),
    replay: (request) => events.replay(request),
    sagas: (query) => listSagas(sagaOwners(), query),
    saga: (owner, id) => sagaDetail(sagaOwners(), owner, id),
    explore: (request) => sendExplorerCall(buildExplorerCall(catalog(), request, { token: options.token }), { token: options.token }),
    stream: (res) => hub.attach(res),
  };

  const live = startLiveUpdates({ hub, traces, events, catalog, topology, eventsView, sagas: () => listSagas(sagaOwners(), { limit: 200 }), logger: options.logger });
  const server = createDashboardServer({ api, pageDir: options.pageDir ?? DEFAULT_PAGE_DIR, origins: () => ownOrigins(port), logger: options.logger });
  try {
    port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(wanted, host, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  } catch (err) {
    live.close();
    health.close();
    hub.close();
    if ((err as { code?: unknown }).code === 'EADDRINUSE') {
      throw new StartupError(`port ${wanted} (dashboard) is already in use`, { service: 'dashboard', port: wanted, code: 'EADDRINUSE' }, { cause: err });
    }
    throw err;
  }
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closing ??= (async () => {
        live.close();
        health.close();
        hub.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Ctrl-C stops at once: an explorer call still waiting on the stack is cut, not waited for.
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}

/**
 * While a page is connected: the topology and the events every 2 s, the sagas and the catalog (a
 * --watch reload) when they changed; at any time, the latest trace and the dead letters' total as
 * they change.
 */
function startLiveUpdates(parts: {
  hub: ReturnType<typeof createStreamHub>;
  traces: TraceStore;
  events: EventsSource;
  catalog: () => Catalog;
  topology: (catalog: Catalog) => Promise<Topology>;
  eventsView: () => EventsView;
  sagas: () => ReturnType<typeof listSagas>;
  logger: Logger | undefined;
}): { close(): void } {
  const { hub } = parts;
  let lastSagas: string | null = null;
  let lastCatalog: string | null = null;
  let ticking = false;
  const tick = async () => {
    if (ticking || hub.size === 0) return;
    ticking = true;
    try {
      const catalog = parts.catalog();
      const catalogFingerprint = JSON.stringify(catalog);
      if (lastCatalog !== null && catalogFingerprint !== lastCatalog) hub.send('catalog', { at: Date.now() });
      lastCatalog = catalogFingerprint;
      hub.send('topology', await parts.topology(catalog));
      hub.send('events', parts.eventsView());
      const fingerprint = sagaFingerprint(await parts.sagas());
      if (lastSagas !== null && fingerprint !== lastSagas) hub.send('sagas', { at: Date.now() });
      lastSagas = fingerprint;
    } catch (err) {
      parts.logger?.warn({ err }, 'dashboard live update failed');
    } finally {
      ticking = false;
    }
  };
  const timer = setInterval(() => void tick(), STREAM_INTERVAL_MS);
  timer.unref();
  // A page that just connected gets the figures at once, not 2 s later.
  const offSize = hub.onSize((size) => {
    if (size === 0) lastSagas = lastCatalog = null;
    else void tick();
  });
  const offTraces = parts.traces.onTrace((traceId) => hub.send('traces', { latest: traceId }));
  const offDeadLetters = parts.events.onDeadLetters((total) => hub.send('dead-letters', { total }));
  return {
    close() {
      clearInterval(timer);
      offSize();
      offTraces();
      offDeadLetters();
    },
  };
}
