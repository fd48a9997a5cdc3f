// What the runtime's client costs over a raw undici Pool: the same fast server (a forked child, so
// its CPU is not this process's) called with concurrency 50 by
//   (a) a raw undici Pool (request, read the body, JSON.parse),
//   (b) the runtime's HTTP transport alone (createHttpTransport: path, headers, error mapping),
//   (c) the client a generated client gets: the host's transport factory, i.e. the DEFAULT_POLICY
//       pipeline (deadline, retry loop, budget), the instance pool's pick and release, then (b).
// The scenarios run interleaved for `--rounds` rounds after a warm-up, each round starting with the
// next one; the table shows each one's median round (by calls/s) and this process's CPU per call. The goal for (c): at least 90% of (a)'s throughput, under 0.2 ms added at p99.
//
//   node --import tsx bench/client-policy.ts [--calls=20000] [--rounds=5] [--concurrency=50]
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { Pool } from 'undici';
import { createTransportFactory } from '../runtime/host/transports.js';
import { createHttpTransport } from '../runtime/http/client.js';
import type { EndpointDescriptor, ServiceDefinition } from '../runtime/service/definition.js';
import { arg, drive, listen, medianBy, percentile, printTable, serveCpu, startChild, stopChild, type LoadResult } from './support.js';

const BODY = JSON.stringify({ id: 1, name: 'Ada', email: 'ada@example.com' });

if (process.argv.includes('--serve')) {
  const port = await listen((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) }).end(BODY);
  });
  serveCpu(port);
} else {
  await main();
}

async function main(): Promise<void> {
  const calls = arg('calls', 20_000);
  const rounds = arg('rounds', 5);
  const concurrency = arg('concurrency', 50);
  const capMs = 60_000;

  const server = await startChild(fileURLToPath(import.meta.url), ['--serve'], 'server');
  const origin = `http://127.0.0.1:${server.port}`;

  const getThing: EndpointDescriptor = {
    name: 'getThing',
    method: 'GET',
    path: '/things/{id}',
    pathParams: ['id'],
    inputSource: 'none',
    successStatus: 200,
    input: 'GetThing',
    output: { type: 'Thing', list: false },
    errors: {},
    grpc: { method: 'GetThing', request: null, response: 'thing' },
  };
  const things: ServiceDefinition = {
    mesh: 'bench',
    name: 'things',
    version: '1.0.0',
    ports: { http: server.port, grpc: null },
    endpoints: [getThing],
    subscriptions: [],
    publishes: [],
    calls: [],
    proto: null,
  };

  const raw = new Pool(origin, { connections: 64, pipelining: 1 });
  const transport = createHttpTransport({ origin, service: 'things' });
  const factory = createTransportFactory({
    callees: { things },
    calls: [{ service: 'things', transport: 'http' }],
    schemas: { $id: 'meshspec:bench', $defs: {} },
    logger: pino({ level: 'silent' }),
    discovery: { http: { things: origin } },
    env: {},
  });
  const client = factory.transportFor('things', 'http');
  const input = { id: 1 };

  const scenarios: { name: string; once: () => Promise<boolean> }[] = [
    {
      name: 'raw undici Pool',
      once: async () => {
        const { statusCode, body } = await raw.request({ path: '/things/1', method: 'GET', headers: { accept: 'application/json' } });
        const value = JSON.parse(await body.text()) as { id: number };
        return statusCode === 200 && value.id === 1;
      },
    },
    { name: 'runtime HTTP transport', once: async () => ((await transport.call(getThing, input, {})) as { id: number }).id === 1 },
    { name: 'client with DEFAULT_POLICY', once: async () => ((await client.call(getThing, input, {})) as { id: number }).id === 1 },
  ];

  for (const scenario of scenarios) await drive(Math.min(calls, 5_000), concurrency, capMs, scenario.once);
  // This process's CPU per call: what the client itself spends, whatever the machine's load.
  type Run = LoadResult & { cpuUsPerCall: number };
  const results = new Map<string, Run[]>(scenarios.map((s) => [s.name, []]));
  for (let round = 0; round < rounds; round++) {
    // Each round starts with another scenario, so none always runs right after the same one.
    const order = scenarios.map((_, i) => scenarios[(i + round) % scenarios.length]!);
    for (const scenario of order) {
      const cpu = process.cpuUsage();
      const result = await drive(calls, concurrency, capMs, scenario.once);
      const used = process.cpuUsage(cpu);
      if (result.errors > 0) throw new Error(`${scenario.name}: ${result.errors} calls failed`);
      results.get(scenario.name)!.push({ ...result, cpuUsPerCall: (used.user + used.system) / result.done });
    }
  }

  const rate = (r: LoadResult) => r.done / r.seconds;
  const median = (name: string) => medianBy(results.get(name)!, rate);
  const base = median('raw undici Pool');
  console.log(`${calls} calls per scenario and round at concurrency ${concurrency}, ${rounds} rounds, median round (Node ${process.version})\n`);
  printTable(
    ['scenario', 'calls/s', 'p50 ms', 'p99 ms', 'throughput vs raw', 'p99 added ms', 'client CPU µs/call'],
    scenarios.map(({ name }) => {
      const r = median(name);
      return [
        name,
        rate(r).toFixed(0),
        percentile(r, 0.5).toFixed(3),
        percentile(r, 0.99).toFixed(3),
        `${((rate(r) / rate(base)) * 100).toFixed(1)}%`,
        (percentile(r, 0.99) - percentile(base, 0.99)).toFixed(3),
        r.cpuUsPerCall.toFixed(1),
      ];
    }),
  );

  await Promise.all([raw.close(), transport.close(), factory.close()]);
  await stopChild(server);
}
