// Co-located calls benchmark (issue #9 part 3): the same typed call, inventory.getProduct through the
// generated client and the host's default transport (resilience pipeline included), in process
// against over loopback HTTP, as `meshspec dev` or a grouped deployment runs it: caller and callee in
// one process, so the CPU per call of that process counts both sides. One forked worker runs the
// scenarios interleaved over rounds; the table shows each one's median round and the ratio to the
// loopback call. Goal: in process at least 100x cheaper.
// Run: `node --import tsx bench/colocated.ts [--calls=5000] [--local-calls=200000] [--concurrency=16]
// [--cap-seconds=10] [--rounds=3]` (see bench/README.md).
import { setMaxListeners } from 'node:events';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createInventoryClient, type InventoryClient } from './generated/inventory/client.js';
import { inventoryDefinition } from './generated/inventory/definition.js';
import { inventoryHost } from './generated/inventory/host.js';
import { schemas } from './generated/schemas.js';
import { createMemoryBus } from 'meshspec/runtime/bus';
import { createColocatedRegistry, createTransportFactory, startService } from 'meshspec/runtime/host';
import type { CallOptions } from 'meshspec/runtime';
import { arg, ask, driveMeasured, medianBy, printTable, ratio, serveCpu, startChild, stopChild } from './support.js';
import { PRODUCT_ID } from './service-servers.js';

const SELF = fileURLToPath(import.meta.url);
const DIST_TSCONFIG = fileURLToPath(new URL('./tsconfig.dist.json', import.meta.url));

type Kind = 'noop' | 'loopback' | 'loopback-ctx' | 'local' | 'local-ctx';

interface Run {
  type: 'run';
  kind: Kind;
  calls: number;
  concurrency: number;
  capMs: number;
}

interface Result {
  type: 'result';
  cpuUs: number;
  done: number;
  errors: number;
  seconds: number;
  p50: number;
}

const SCENARIOS: [string, Kind][] = [
  ['harness only (an awaited no-op)', 'noop'],
  ['typed client, loopback HTTP', 'loopback'],
  ['typed client, loopback HTTP, in-hook options', 'loopback-ctx'],
  ['typed client, in process', 'local'],
  ['typed client, in process, in-hook options', 'local-ctx'],
];

// What a hook's ctx.clients pass on every call: request id, caller, a deadline and the request's signal.
const IN_HOOK: CallOptions = {
  requestId: '4bf92f35-77b3-4da6-a3ce-929d0e0e4736',
  caller: { subject: 'service:orders', service: 'orders' },
  timeoutMs: 5_000,
  signal: new AbortController().signal,
};
setMaxListeners(Infinity, IN_HOOK.signal!);

/** In the worker: the inventory service and its two callers (with and without the registry), then runs on request. */
async function worker(): Promise<void> {
  const logger = pino({ level: 'silent' });
  const colocated = createColocatedRegistry();
  const service = await startService(inventoryHost(), {
    bodyLimitBytes: 1024 * 1024,
    shutdownGraceMs: 1_000,
    httpPort: 0,
    // No gRPC server: the calls measured are HTTP or in process (and the spec's port may be taken).
    grpcPort: null,
    host: '127.0.0.1',
    bus: createMemoryBus({ logger }),
    logger,
    colocated,
  });
  const factoryOf = (registry: typeof colocated | undefined) =>
    createTransportFactory({
      callees: { inventory: inventoryDefinition },
      calls: [{ service: 'inventory', transport: 'http' }],
      schemas,
      logger,
      discovery: { http: { inventory: `http://127.0.0.1:${service.httpPort}` } },
      colocated: registry,
    }).transportFor('inventory', 'http');
  const loopback = factoryOf(undefined);
  const local = factoryOf(colocated);
  const typed = (client: InventoryClient) => async () => (await client.getProduct({ id: PRODUCT_ID })).id === PRODUCT_ID;
  const calls: Record<Kind, () => Promise<boolean>> = {
    noop: async () => (await Promise.resolve(PRODUCT_ID)) === PRODUCT_ID,
    loopback: typed(createInventoryClient(loopback)),
    'loopback-ctx': typed(createInventoryClient(loopback, IN_HOOK)),
    local: typed(createInventoryClient(local)),
    'local-ctx': typed(createInventoryClient(local, IN_HOOK)),
  };
  process.on('message', async (msg: Run | { type: 'cpu' }) => {
    if (msg.type !== 'run') return;
    const measured = await driveMeasured(msg.calls, msg.concurrency, msg.capMs, calls[msg.kind]);
    process.send!({ type: 'result', ...measured } satisfies Result);
  });
  serveCpu(service.httpPort);
}

interface Row {
  name: string;
  kind: Kind;
  us: number;
  cps: number;
  p50: number;
  done: number;
  errors: number;
}

async function main(): Promise<void> {
  const calls = arg('calls', 5_000);
  const localCalls = arg('local-calls', 200_000);
  const concurrency = arg('concurrency', 16);
  const capMs = arg('cap-seconds', 10) * 1000;
  const rounds = arg('rounds', 3);
  console.log(
    `co-located bench: ${calls} loopback / ${localCalls} in-process calls per scenario and round, concurrency ${concurrency}, ` +
      `cap ${capMs / 1000}s, ${rounds} rounds, node ${process.version}, NODE_ENV=production`,
  );
  // The runtime as an installed package gives it: compiled, from dist/ (see tsconfig.dist.json).
  const child = await startChild(SELF, ['--role=worker'], 'worker', { env: { ...process.env, NODE_ENV: 'production', TSX_TSCONFIG_PATH: DIST_TSCONFIG } });
  try {
    const countOf = (kind: Kind) => (kind.startsWith('loopback') ? calls : localCalls);
    // Warm-up: JIT, connections.
    for (const [, kind] of SCENARIOS) {
      await ask<Result>(child.process, { type: 'run', kind, calls: Math.min(countOf(kind), 20_000), concurrency, capMs } satisfies Run, 'result');
    }
    const runs = new Map<Kind, Row[]>(SCENARIOS.map(([, kind]) => [kind, []]));
    for (let round = 1; round <= rounds; round++) {
      for (const [name, kind] of SCENARIOS) {
        const result = await ask<Result>(child.process, { type: 'run', kind, calls: countOf(kind), concurrency, capMs } satisfies Run, 'result');
        const row: Row = { name, kind, us: result.cpuUs / result.done, cps: result.done / result.seconds, p50: result.p50, done: result.done, errors: result.errors };
        runs.get(kind)!.push(row);
        console.log(`round ${round}: ${name}: ${row.us.toFixed(2)} us`);
      }
    }
    const rows = [...runs.values()].map((r) => medianBy(r, (row) => row.us));
    const byKind = (kind: Kind) => rows.find((r) => r.kind === kind)!.us;
    console.log('\nCPU per call of the process running caller and callee (both sides counted)');
    printTable(
      ['call', 'CPU/call', 'loopback / this', 'calls/s', 'p50 ms', 'calls', 'errors'],
      rows.map((r) => {
        const reference = r.kind.endsWith('-ctx') ? byKind('loopback-ctx') : byKind('loopback');
        return [r.name, `${r.us.toFixed(2)} us`, r.kind === 'noop' ? '-' : `${(reference / r.us).toFixed(1)}x`, r.cps.toFixed(0), r.p50.toFixed(3), String(r.done), String(r.errors)];
      }),
    );
    console.log(
      `\nin process vs loopback HTTP: ${(byKind('loopback') / byKind('local')).toFixed(1)}x cheaper ` +
        `(${(byKind('loopback-ctx') / byKind('local-ctx')).toFixed(1)}x with in-hook options); ` +
        `in process ${ratio(byKind('local'), byKind('noop'))} the harness alone`,
    );
  } finally {
    await stopChild(child);
  }
}

const role = process.argv.find((a) => a.startsWith('--role='))?.slice('--role='.length);
if (role === 'worker') await worker();
else await main();
