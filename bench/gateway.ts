// Gateway benchmark: CPU time per proxied request, measured in the proxy's own process so the load
// generator's CPU is not counted. Compares the meshspec gateway with a minimal undici proxy (the
// baseline, written below) and with calling the upstream directly. Bounded: a fixed number of
// requests per scenario with a time cap. Run: `node --import tsx bench/gateway.ts [--requests=N]
// [--concurrency=N] [--cap-seconds=N] [--rounds=N]`.
//
// Every process (load generator, proxy, upstream) is a separate Node process on 127.0.0.1; the
// proxy and the upstream are forked children that report process.cpuUsage() over IPC (bench/support.ts).
import type { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { Pool } from 'undici';
import { createGateway } from '../runtime/gateway/index.js';
import { arg, listen, load, medianBy, percentile, printTable as printRows, ratio, serveCpu, startChild, stopChild, type Child } from './support.js';

type Role = 'upstream' | 'ours' | 'ours-quiet' | 'baseline';

const PATH = '/api/v1/users/42?fields=name';
const REQUEST = { path: PATH, method: 'GET', status: 200 } as const;
const UPSTREAM_BODY = JSON.stringify({ id: '42', name: 'Ada Lovelace', email: 'ada@example.com' });

// ---- children --------------------------------------------------------------------------------

/** A small JSON service, the same for every scenario. */
async function runUpstream(): Promise<void> {
  serveCpu(
    await listen((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(UPSTREAM_BODY) });
      res.end(UPSTREAM_BODY);
    }),
  );
}

/** The meshspec gateway with the shop's four routes; access log on (to /dev/null) or at warn. */
async function runOurs(upstream: string, quiet: boolean): Promise<void> {
  const logger = pino({ level: quiet ? 'warn' : 'info' }, pino.destination({ dest: '/dev/null', sync: true }));
  const gateway = createGateway(
    {
      mesh: 'bench',
      port: 0,
      timeoutMs: 10_000,
      bodyLimitBytes: 1024 * 1024,
      routes: [
        // The methods generated/gateway/routes.ts derives for the shop: each request's is checked.
        { prefix: '/api/v1/payments', service: 'payments', rewrite: '/payments', methods: ['GET', 'HEAD', 'POST', 'OPTIONS'] },
        { prefix: '/api/v1/products', service: 'inventory', rewrite: '/products', methods: ['GET', 'HEAD', 'OPTIONS'] },
        { prefix: '/api/v1/orders', service: 'orders', rewrite: '/orders', methods: ['GET', 'HEAD', 'POST', 'OPTIONS'] },
        { prefix: '/api/v1/users', service: 'users', rewrite: '/users', methods: ['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'] },
      ],
      services: {},
    },
    { logger, resolveOrigin: () => upstream },
  );
  serveCpu(await gateway.listen(0, '127.0.0.1'));
}

/** The baseline: about the least a correct undici-based proxy does (pool.stream, no logging). */
async function runBaseline(upstream: string): Promise<void> {
  const pool = new Pool(upstream, { pipelining: 1 });
  const port = await listen((req, res) => {
    const headers = { ...req.headers };
    delete headers.connection;
    delete headers['keep-alive'];
    delete headers['transfer-encoding'];
    const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    pool.stream(
      { path: req.url!.replace('/api/v1/users', '/users'), method: req.method as 'GET', headers, body: hasBody ? req : null, opaque: res },
      ({ statusCode, headers: upstreamHeaders, opaque }) => {
        const out = opaque as ServerResponse;
        out.writeHead(statusCode, upstreamHeaders);
        return out;
      },
      (err) => {
        if (!err) return;
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      },
    );
  });
  serveCpu(port);
}

// ---- parent ----------------------------------------------------------------------------------

/** Forks this file in `role`; resolves once it listens. cpu() is its user+system time in µs. */
function start(role: Role, upstream = ''): Promise<Child> {
  return startChild(fileURLToPath(import.meta.url), [`--role=${role}`, `--upstream=${upstream}`], role);
}

interface Row {
  name: string;
  proxyUs: number | null;
  upstreamUs: number;
  rps: number;
  p50: number;
  p99: number;
  done: number;
  errors: number;
}

async function scenario(
  name: string,
  upstream: Child,
  proxyRole: Role | null,
  opts: { requests: number; concurrency: number; capMs: number },
): Promise<Row> {
  const proxy = proxyRole ? await start(proxyRole, `http://127.0.0.1:${upstream.port}`) : null;
  const port = proxy?.port ?? upstream.port;
  await load(port, REQUEST, Math.min(2_000, opts.requests), opts.concurrency, 10_000); // warm-up: JIT, connections
  const [proxyBefore, upstreamBefore] = await Promise.all([proxy?.cpu() ?? 0, upstream.cpu()]);
  const result = await load(port, REQUEST, opts.requests, opts.concurrency, opts.capMs);
  const [proxyAfter, upstreamAfter] = await Promise.all([proxy?.cpu() ?? 0, upstream.cpu()]);
  if (proxy) await stopChild(proxy);
  return {
    name,
    proxyUs: proxy ? (proxyAfter - proxyBefore) / result.done : null,
    upstreamUs: (upstreamAfter - upstreamBefore) / result.done,
    rps: result.done / result.seconds,
    p50: percentile(result, 0.5),
    p99: percentile(result, 0.99),
    done: result.done,
    errors: result.errors,
  };
}

/** The run with the median proxy CPU/req (upstream CPU/req for the direct scenario). */
function median(rows: Row[]): Row {
  return medianBy(rows, (r) => r.proxyUs ?? r.upstreamUs);
}

function printTable(rows: Row[]): void {
  const baseline = rows.find((r) => r.name.startsWith('minimal undici'))?.proxyUs ?? null;
  const header = ['scenario', 'proxy CPU/req', 'vs baseline', 'upstream CPU/req', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'errors'];
  const lines = rows.map((r) => [
    r.name,
    r.proxyUs === null ? '-' : `${r.proxyUs.toFixed(1)} us`,
    ratio(r.proxyUs, baseline),
    `${r.upstreamUs.toFixed(1)} us`,
    r.rps.toFixed(0),
    r.p50.toFixed(2),
    r.p99.toFixed(2),
    String(r.done),
    String(r.errors),
  ]);
  printRows(header, lines);
}

async function main(): Promise<void> {
  const opts = {
    requests: arg('requests', 20_000),
    concurrency: arg('concurrency', 16),
    capMs: arg('cap-seconds', 30) * 1000,
    rounds: arg('rounds', 3),
  };
  console.log(
    `gateway bench: ${opts.requests} GET ${PATH} per scenario and round, concurrency ${opts.concurrency}, ` +
      `cap ${opts.capMs / 1000}s, ${opts.rounds} rounds, node ${process.version}`,
  );

  const scenarios: [string, Role | null][] = [
    ['direct (no proxy)', null],
    ['minimal undici proxy', 'baseline'],
    ['meshspec gateway', 'ours'],
    ['meshspec gateway, no access log', 'ours-quiet'],
  ];
  // Rounds interleave the scenarios so a noisy moment on the machine does not hit only one of them.
  const runs = new Map<string, Row[]>(scenarios.map(([name]) => [name, []]));
  const upstream = await start('upstream');
  try {
    for (let round = 1; round <= opts.rounds; round++) {
      for (const [name, role] of scenarios) {
        const row = await scenario(name, upstream, role, opts);
        runs.get(name)!.push(row);
        console.log(`round ${round}: ${name}: ${row.proxyUs === null ? '-' : `${row.proxyUs.toFixed(1)} us`} proxy CPU/req`);
      }
    }
  } finally {
    await stopChild(upstream);
  }
  console.log();
  printTable([...runs.values()].map(median));
  console.log(
    `\nMedian of ${opts.rounds} rounds (by proxy CPU/req). CPU/req = user+system CPU time of that process` +
      ' over the measured run / requests completed.',
  );
}

const role = process.argv.find((a) => a.startsWith('--role='))?.slice('--role='.length) as Role | undefined;
const upstreamArg = process.argv.find((a) => a.startsWith('--upstream='))?.slice('--upstream='.length) ?? '';
if (role === 'upstream') await runUpstream();
else if (role === 'ours' || role === 'ours-quiet') await runOurs(upstreamArg, role === 'ours-quiet');
else if (role === 'baseline') await runBaseline(upstreamArg);
else await main();
