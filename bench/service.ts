// Service runtime benchmark: CPU per request/call/event of meshspec's hot paths next to baselines
// doing the same work, in one run. Same method as bench/gateway.ts: whatever is measured runs in its
// own forked child and reports its process.cpuUsage(); bounded counts with a time cap; scenarios
// interleaved over rounds; the median round per scenario; compare ratios, not absolute numbers.
//   1. HTTP binding: server CPU/request of the generated inventory service on each binding vs
//      node:http, Fastify 5 and Express 5.
//   2. Client pipeline: caller CPU/call of the typed client (HTTP, gRPC) vs raw undici and raw grpc-js.
//   3. Bus: CPU/event of publish -> handler on the memory bus vs an EventEmitter.
// Run: `node --import tsx bench/service.ts [--requests=N] [--calls=N] [--events=N] [--concurrency=N]
// [--cap-seconds=N] [--rounds=N] [--cpu-prof-dir=DIR] [--parts=http,client,bus] [--node=PATH]` (see bench/README.md).
import { openSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertBuildIsCurrent } from '../test/support/build.js';
import type { BusKind, BusResult, BusRun } from './service-bus.js';
import type { ClientKind, ClientResult, ClientRun } from './service-clients.js';
import { GET_PRODUCT, PRODUCT_ID, RESERVE, type ServerKind } from './service-servers.js';
import {
  arg,
  ask,
  load,
  medianBy,
  percentile,
  printTable,
  ratio,
  startChild,
  stopChild,
  textArg,
  type Child,
  type HttpRequest,
} from './support.js';

const SELF = fileURLToPath(import.meta.url);
const DIST_TSCONFIG = fileURLToPath(new URL('./tsconfig.dist.json', import.meta.url));

interface Options {
  requests: number;
  calls: number;
  events: number;
  concurrency: number;
  capMs: number;
  rounds: number;
  profileDir: string;
  /** `--node=PATH`: the Node binary the servers run on (default this process's), e.g. to compare Node 20 and 24. */
  nodeBinary: string;
  /** The letters of the servers run, e.g. `ad`; the client part's target, the silent node binding, always runs. */
  servers: string;
  /** Which of the three parts run. */
  parts: Set<string>;
}

/**
 * A local OTLP/HTTP collector stub: answers every export 200 with an empty body and counts them.
 *
 * @example
 * const collector = await startCollectorStub(); // collector.url for OTEL_EXPORTER_OTLP_ENDPOINT
 */
async function startCollectorStub(): Promise<{ url: string; readonly exports: number; readonly bytes: number; close(): Promise<void> }> {
  let exports = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      exports++;
      // An empty protobuf message is a valid answer; JSON needs an empty object.
      const type = req.headers['content-type'] ?? 'application/x-protobuf';
      res.writeHead(200, { 'content-type': type }).end(type.startsWith('application/json') ? '{}' : '');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get exports() {
      return exports;
    },
    get bytes() {
      return bytes;
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

// ---- 1. HTTP binding -------------------------------------------------------------------------

interface ServerSpec {
  name: string;
  kind: ServerKind;
  level: 'silent' | 'info';
  /** NODE_ENV=production (as the generated k8s manifests set it) unless false: then hooks' outputs are validated too. */
  production: boolean;
  /** BENCH_METRICS=off: the service counts nothing and serves no /metrics (HostSettings.metrics false). Default on. */
  metricsOff?: boolean;
  /** BENCH_TRACING=on: spans of every request exported over OTLP HTTP to a stub collector in the parent. Default off. */
  tracing?: boolean;
  /** With tracing: OTEL_TRACES_SAMPLER=parentbased_traceidratio at this ratio (default: every request sampled). */
  sampleRatio?: number;
}

// (a), (b) and (c) are the baselines the table's ratios use; `--servers=ad` runs only those lettered a and d.
const SERVERS: ServerSpec[] = [
  { name: '(a) node:http', kind: 'raw', level: 'silent', production: true },
  { name: '(b) Fastify 5, schema validation', kind: 'fastify', level: 'silent', production: true },
  { name: '(c) Express 5', kind: 'express', level: 'silent', production: true },
  { name: '(d) node binding, log silent', kind: 'ours', level: 'silent', production: true },
  { name: '(d) node binding, log info', kind: 'ours', level: 'info', production: true },
  { name: '(d) node binding, log silent, dev', kind: 'ours', level: 'silent', production: false },
  { name: '(d) node binding, log silent, metrics off', kind: 'ours', level: 'silent', production: true, metricsOff: true },
  { name: '(d) node binding, log silent, metrics + traces (OTLP)', kind: 'ours', level: 'silent', production: true, tracing: true },
  { name: '(d) node binding, log info, metrics + traces (OTLP)', kind: 'ours', level: 'info', production: true, tracing: true },
  { name: '(d) node binding, log info, metrics + traces 10% sampled', kind: 'ours', level: 'info', production: true, tracing: true, sampleRatio: 0.1 },
  { name: '(d) node binding, log info, metrics + traces none sampled', kind: 'ours', level: 'info', production: true, tracing: true, sampleRatio: 0 },
  { name: '(d) node binding, log info, metrics off', kind: 'ours', level: 'info', production: true, metricsOff: true },
  { name: '(e) Express binding, log silent', kind: 'ours-express', level: 'silent', production: true },
  { name: '(e) Express binding, log info', kind: 'ours-express', level: 'info', production: true },
];

/** The server the client part calls: the node binding, log silent. */
function isClientTarget(spec: ServerSpec): boolean {
  return spec.kind === 'ours' && spec.level === 'silent' && spec.production && !spec.metricsOff && !spec.tracing;
}

function startServer(spec: ServerSpec, opts: Options, collector: string): Promise<Child> {
  // The runtime as an installed package gives it: compiled, from dist/ (see tsconfig.dist.json).
  const env: NodeJS.ProcessEnv = { ...process.env, TSX_TSCONFIG_PATH: DIST_TSCONFIG };
  if (spec.production) env.NODE_ENV = 'production';
  else delete env.NODE_ENV;
  env.BENCH_METRICS = spec.metricsOff ? 'off' : 'on';
  // Nothing in OTEL_* reaches a server that does not trace: its cost is the no-op API's.
  for (const name of Object.keys(env)) if (name.startsWith('OTEL_')) delete env[name];
  if (spec.tracing) {
    env.BENCH_TRACING = 'on';
    env.OTEL_EXPORTER_OTLP_ENDPOINT = collector;
    if (spec.sampleRatio !== undefined) {
      env.OTEL_TRACES_SAMPLER = 'parentbased_traceidratio';
      env.OTEL_TRACES_SAMPLER_ARG = String(spec.sampleRatio);
    }
  }
  // stdout (the service's log) to /dev/null, as a container's log would leave the process.
  const devNull = openSync('/dev/null', 'w');
  const label = `${spec.kind}-${spec.level}${spec.production ? '' : '-dev'}${spec.metricsOff ? '-nometrics' : ''}${spec.tracing ? `-traced${spec.sampleRatio ?? ''}` : ''}`;
  // One folder per server: tsx's loader thread writes a profile of its own next to the main thread's.
  const nodeFlags = opts.profileDir ? ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${resolve(opts.profileDir, label)}`] : undefined;
  return startChild(SELF, ['--role=server', `--kind=${spec.kind}`, `--level=${spec.level}`], label, {
    stdio: ['ignore', devNull, 'inherit', 'ipc'],
    env,
    ...(nodeFlags ? { nodeFlags } : {}),
    ...(opts.nodeBinary ? { execPath: opts.nodeBinary } : {}),
  });
}

interface ServerRow {
  name: string;
  serverUs: number;
  rps: number;
  p50: number;
  p99: number;
  done: number;
  errors: number;
}

async function serverRun(name: string, server: Child, request: HttpRequest, opts: Options): Promise<ServerRow> {
  await load(server.port, request, Math.min(2_000, opts.requests), opts.concurrency, 10_000); // warm-up: JIT, connections
  const before = await server.cpu();
  const result = await load(server.port, request, opts.requests, opts.concurrency, opts.capMs);
  const after = await server.cpu();
  return {
    name,
    serverUs: (after - before) / result.done,
    rps: result.done / result.seconds,
    p50: percentile(result, 0.5),
    p99: percentile(result, 0.99),
    done: result.done,
    errors: result.errors,
  };
}

function printServerTable(rows: ServerRow[]): void {
  const us = (letter: string) => rows.find((r) => r.name.startsWith(`(${letter})`))?.serverUs ?? null;
  const [raw, fastify, express] = [us('a'), us('b'), us('c')];
  const rawRps = rows.find((r) => r.name.startsWith('(a)'))?.rps ?? null;
  printTable(
    ['server', 'server CPU/req', 'vs node:http', 'vs Fastify', 'vs Express', 'req/s', 'req/s vs node:http', 'p50 ms', 'p99 ms', 'requests', 'errors'],
    rows.map((r) => [
      r.name,
      `${r.serverUs.toFixed(1)} us`,
      ratio(r.serverUs, raw),
      ratio(r.serverUs, fastify),
      ratio(r.serverUs, express),
      r.rps.toFixed(0),
      ratio(r.rps, rawRps),
      r.p50.toFixed(2),
      r.p99.toFixed(2),
      String(r.done),
      String(r.errors),
    ]),
  );
}

// ---- 2. client pipeline ----------------------------------------------------------------------

const CLIENTS: [string, ClientKind][] = [
  ['undici Pool.request + JSON.parse (baseline)', 'undici'],
  ['typed client, HTTP transport', 'http'],
  ['typed client, HTTP, in-hook options', 'http-ctx'],
  ['grpc-js + protobufjs (gRPC baseline)', 'grpc-raw'],
  ['typed client, gRPC transport', 'grpc'],
  ['typed client, gRPC, in-hook options', 'grpc-ctx'],
];

interface ClientRow {
  name: string;
  kind: ClientKind;
  clientUs: number;
  serverUs: number;
  cps: number;
  p50: number;
  p99: number;
  done: number;
  errors: number;
}

async function clientRun(name: string, kind: ClientKind, client: Child, server: Child, opts: Options): Promise<ClientRow> {
  const run: ClientRun = {
    type: 'run',
    kind,
    origin: `http://127.0.0.1:${server.port}`,
    grpcAddress: `127.0.0.1:${server.grpcPort}`,
    path: GET_PRODUCT.path,
    productId: PRODUCT_ID,
    calls: Math.min(2_000, opts.calls),
    concurrency: opts.concurrency,
    capMs: 10_000,
  };
  await ask<ClientResult>(client.process, run, 'result'); // warm-up: JIT, connections
  const before = await server.cpu();
  const result = await ask<ClientResult>(client.process, { ...run, calls: opts.calls, capMs: opts.capMs }, 'result');
  const after = await server.cpu();
  return {
    name,
    kind,
    clientUs: result.cpuUs / result.done,
    serverUs: (after - before) / result.done,
    cps: result.done / result.seconds,
    p50: result.p50,
    p99: result.p99,
    done: result.done,
    errors: result.errors,
  };
}

function printClientTable(rows: ClientRow[]): void {
  const undici = rows.find((r) => r.kind === 'undici')!.clientUs;
  const grpc = rows.find((r) => r.kind === 'grpc-raw')!.clientUs;
  printTable(
    ['client', 'client CPU/call', 'vs undici', 'vs grpc-js', 'server CPU/call', 'calls/s', 'p50 ms', 'p99 ms', 'calls', 'errors'],
    rows.map((r) => [
      r.name,
      `${r.clientUs.toFixed(1)} us`,
      ratio(r.clientUs, undici),
      r.kind.startsWith('grpc') ? ratio(r.clientUs, grpc) : '-',
      `${r.serverUs.toFixed(1)} us`,
      r.cps.toFixed(0),
      r.p50.toFixed(2),
      r.p99.toFixed(2),
      String(r.done),
      String(r.errors),
    ]),
  );
}

// ---- 3. bus ----------------------------------------------------------------------------------

const BUSES: [string, BusKind][] = [
  ['EventEmitter + setImmediate (baseline)', 'emitter'],
  ['EventEmitter + setImmediate + structuredClone', 'emitter-clone'],
  ['memory bus: publish -> handler', 'memory'],
  ['typed publish (validated) -> memory bus -> handler', 'typed'],
  ['typed publish -> memory bus -> subscribeAll hook', 'typed-sub'],
];

interface BusRow {
  name: string;
  us: number;
  eps: number;
  delivered: number;
}

async function busRun(name: string, kind: BusKind, worker: Child, opts: Options): Promise<BusRow> {
  const run: BusRun = { type: 'bus', kind, warmup: Math.min(5_000, opts.events), events: opts.events, batch: 64, capMs: opts.capMs };
  const result = await ask<BusResult>(worker.process, run, 'bus-result');
  return { name, us: result.cpuUs / result.delivered, eps: result.delivered / result.seconds, delivered: result.delivered };
}

function printBusTable(rows: BusRow[]): void {
  const baseline = rows[0]!.us;
  // The memory bus promises each handler its own copy: the cloning baseline is the like-for-like one.
  const cloning = rows[1]!.us;
  printTable(
    ['delivery', 'CPU/event', 'vs EventEmitter', 'vs +clone', 'events/s', 'events'],
    rows.map((r) => [r.name, `${r.us.toFixed(2)} us`, ratio(r.us, baseline), ratio(r.us, cloning), r.eps.toFixed(0), String(r.delivered)]),
  );
}

// ---- main ------------------------------------------------------------------------------------

/** Runs every (name, run) once per round, interleaved, and keeps each one's median round. */
async function rounds<T>(label: string, opts: Options, scenarios: [string, () => Promise<T>][], key: (row: T) => number): Promise<T[]> {
  const runs = new Map<string, T[]>(scenarios.map(([name]) => [name, []]));
  for (let round = 1; round <= opts.rounds; round++) {
    for (const [name, run] of scenarios) {
      const row = await run();
      runs.get(name)!.push(row);
      console.log(`round ${round}: ${label}: ${name}: ${key(row).toFixed(2)} us`);
    }
  }
  return [...runs.values()].map((rows) => medianBy(rows, key));
}

async function main(): Promise<void> {
  assertBuildIsCurrent("the benchmark's HTTP servers");
  const opts: Options = {
    requests: arg('requests', 10_000),
    calls: arg('calls', 8_000),
    events: arg('events', 200_000),
    concurrency: arg('concurrency', 16),
    capMs: arg('cap-seconds', 10) * 1000,
    rounds: arg('rounds', 3),
    profileDir: textArg('cpu-prof-dir'),
    nodeBinary: textArg('node'),
    servers: textArg('servers', 'abcde'),
    parts: new Set(textArg('parts', 'http,client,bus').split(',')),
  };
  console.log(
    `service bench: ${opts.requests} requests / ${opts.calls} calls / ${opts.events} events per scenario and round, ` +
      `concurrency ${opts.concurrency}, cap ${opts.capMs / 1000}s, ${opts.rounds} rounds, node ${process.version}`,
  );

  const chosen = SERVERS.filter((s) => isClientTarget(s) || opts.servers.includes(s.name[1]!));
  const collector = await startCollectorStub();
  const servers = await Promise.all(chosen.map((spec) => startServer(spec, opts, collector.url)));
  const ours = servers[chosen.findIndex(isClientTarget)]!;
  const client = await startChild(SELF, ['--role=client'], 'client');
  const bus = await startChild(SELF, ['--role=bus'], 'bus');
  const tables: (() => void)[] = [];
  try {
    // Priming: the per-scenario warm-up alone leaves round 1 reading high while the JIT settles.
    for (const server of servers) for (const request of [GET_PRODUCT, RESERVE]) await load(server.port, request, 5_000, opts.concurrency, opts.capMs);
    for (const [part, request] of opts.parts.has('http') ? ([['1a', GET_PRODUCT], ['1b', RESERVE]] as const) : []) {
      const title = `${request.method} ${request.path}`;
      const rows = await rounds(
        title,
        opts,
        chosen.map((spec, i) => [spec.name, () => serverRun(spec.name, servers[i]!, request, opts)]),
        (r) => r.serverUs,
      );
      tables.push(() => {
        console.log(`\n${part}. HTTP binding, ${title}: CPU per request in the server process`);
        printServerTable(rows);
      });
    }

    if (opts.parts.has('client')) await clientPart(opts, client, ours, tables);
    if (opts.parts.has('bus')) await busPart(opts, bus, tables);
  } finally {
    await Promise.all([...servers, client, bus].map(stopChild));
    await collector.close();
  }
  for (const print of tables) print();
  console.log(`\nThe OTLP collector stub took ${collector.exports} export requests (${(collector.bytes / 1e6).toFixed(1)} MB) from the traced servers.`);
  console.log(
    `\nMedian of ${opts.rounds} rounds (by the CPU column). CPU = user+system CPU time of the measured process over the` +
      ' measured run / requests, calls or events completed. Compare ratios, not absolute numbers, across machines.',
  );
}

/** Part 2: the typed clients against the node binding (log silent). */
async function clientPart(opts: Options, client: Child, ours: Child, tables: (() => void)[]): Promise<void> {
  const clientRows = await rounds(
    'client',
    opts,
    CLIENTS.map(([name, kind]) => [name, () => clientRun(name, kind, client, ours, opts)]),
    (r) => r.clientUs,
  );
  tables.push(() => {
    console.log(`\n2. Client pipeline, inventory.getProduct against '${SERVERS.find(isClientTarget)!.name}': CPU per call in the client process`);
    printClientTable(clientRows);
  });
}

/** Part 3: the bus. */
async function busPart(opts: Options, bus: Child, tables: (() => void)[]): Promise<void> {
  const busRows = await rounds(
    'bus',
    opts,
    BUSES.map(([name, kind]) => [name, () => busRun(name, kind, bus, opts)]),
    (r) => r.us,
  );
  tables.push(() => {
    console.log('\n3. Bus, order.confirmed, one subscriber, batches of 64: CPU per event (publisher and handler share the process)');
    printBusTable(busRows);
  });
}

const role = textArg('role');
if (role === 'server') {
  const { runServer } = await import('./service-servers.js');
  await runServer(textArg('kind') as ServerKind, textArg('level') as 'silent' | 'info');
} else if (role === 'client') {
  (await import('./service-clients.js')).runClientWorker();
} else if (role === 'bus') {
  (await import('./service-bus.js')).runBusWorker();
} else await main();
