// Front-door benchmark (issue #10): throughput and latency through each kind of gateway in front of
// the same fast upstream, under the same load, side by side in one run:
//   (a) direct: the load generator calls the upstream itself
//   (b) nginx as a reverse proxy with upstream keep-alive (Debian's nginx, one worker)
//   (c) Express 5 + http-proxy-middleware with a keep-alive agent, as the founding guide built its gateway
//   (d) the meshspec gateway with JWT verification (HS256) and a rate limit on (in memory, high enough
//       never to refuse), its access log written to /dev/null
// and two rows that say where (d)'s cost goes: (e) the same gateway with neither (only routing,
// header hygiene and the access log), (f) the smallest proxy Node can be (node:http in, an undici
// Pool out, nothing else): the floor any Node gateway stands on.
// Besides throughput, each proxy's own CPU time per request (user + system, from /proc, the nginx
// worker's included): on 2 cores shared by wrk, the upstream and the proxy, throughput also measures
// how much CPU the proxy leaves the others, while CPU per request is the proxy's cost alone.
// Load: wrk, one thread, `--connections` keep-alive connections, `--seconds` per run; scenarios
// interleaved over `--rounds` rounds, the median round each. Every server is its own process on
// 127.0.0.1 (the proxies run one process or worker each). Needs `nginx` and `wrk` on the PATH
// (`apt-get install nginx wrk`). Run: `npm run bench:front-door [-- --rounds=3 --seconds=8 --connections=50]`.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { Agent, createServer } from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createGateway } from '../runtime/gateway/index.js';
import { developmentToken } from '../runtime/gateway/auth/index.js';
import { arg, medianBy, printTable, ratio, textArg } from './support.js';

const SELF = fileURLToPath(import.meta.url);
const SECRET = 'bench-secret-of-at-least-32-bytes!!';
const PATH = '/api/v1/users/42';
const BODY = JSON.stringify({ id: '42', name: 'Ada Lovelace', email: 'ada@example.com' });

// ---- the servers, each run as `--role=<role> --upstream=<origin>` in its own process ------------

function listenAndSay(server: ReturnType<typeof createServer>): void {
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('disconnect', () => process.exit(0));
}

function runUpstream(): void {
  listenAndSay(
    createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) });
      res.end(BODY);
    }),
  );
}

async function runExpress(upstream: string): Promise<void> {
  const { default: express } = await import('express');
  const { createProxyMiddleware } = await import('http-proxy-middleware');
  const app = express();
  app.disable('x-powered-by');
  app.use('/api/v1/users', createProxyMiddleware({ target: `${upstream}/users`, changeOrigin: true, agent: new Agent({ keepAlive: true, maxSockets: 128 }) }));
  listenAndSay(createServer(app));
}

async function runMeshspec(upstream: string, secured: boolean): Promise<void> {
  const logger = pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false }));
  const gateway = createGateway(
    {
      mesh: 'bench',
      port: 0,
      timeoutMs: 10_000,
      bodyLimitBytes: 1024 * 1024,
      routes: [{ prefix: '/api/v1/users', service: 'users', rewrite: '/users' }],
      services: {},
      ...(secured && {
        auth: { jwt: { algorithms: ['HS256'], secretEnv: 'JWT_SECRET', issuer: 'bench' } },
        rateLimit: { algorithm: 'sliding-window', limit: 1_000_000_000, windowMs: 60_000, key: 'subject' },
      }),
    },
    { logger, resolveOrigin: () => upstream, env: { JWT_SECRET: SECRET } },
  );
  const port = await gateway.listen(0, '127.0.0.1');
  process.send!({ port });
  process.on('disconnect', () => process.exit(0));
}

/** The floor: node:http in, one undici Pool out, the response streamed back; no checks, no log. */
function runBareUndici(upstream: string): void {
  const pool = new Pool(upstream, { connections: 128, pipelining: 1 });
  listenAndSay(
    createServer((req, res) => {
      pool.dispatch(
        { path: (req.url ?? '/').replace('/api/v1/users', '/users'), method: req.method as Dispatcher.HttpMethod, headers: req.headers as Record<string, string>, body: null },
        {
          onConnect() {},
          onHeaders(status: number, raw: Buffer[]) {
            const headers: string[] = [];
            for (let i = 0; i < raw.length; i += 2) headers.push(raw[i]!.toString('latin1'), raw[i + 1]!.toString('latin1'));
            res.writeHead(status, headers);
            return true;
          },
          onData(chunk: Buffer) {
            return res.write(chunk);
          },
          onComplete() {
            res.end();
          },
          onError() {
            res.destroy();
          },
        } as Dispatcher.DispatchHandler,
      );
    }),
  );
}

// ---- the parent ---------------------------------------------------------------------------------

interface Running {
  port: number;
  /** The processes whose CPU time is the server's (for nginx: its worker). */
  pids(): number[];
  stop(): Promise<void>;
}

/** User + system CPU time of `pids` so far, ms (from /proc; 0 for a process that is gone). */
function cpuMs(pids: number[]): number {
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  let total = 0;
  for (const pid of pids) {
    try {
      // Fields after the command (which may hold spaces) start at ') '; utime and stime are the 12th and 13th of them.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * tick;
    } catch {
      // gone
    }
  }
  return total;
}

/** The children of `pid` (nginx's master forks its worker). */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function fork(role: string, upstream = ''): Promise<Running> {
  const child = spawn(process.execPath, [...process.execArgv, SELF, `--role=${role}`, `--upstream=${upstream}`], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${role} exited early (${code})`)));
    child.once('message', (msg: { port: number }) => resolve({ port: msg.port, pids: () => [child.pid!], stop: () => stopProcess(child) }));
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  child.removeAllListeners('exit');
  if (child.exitCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.disconnect();
  else child.kill('SIGTERM');
  return exited;
}

/** nginx with one worker, proxying with upstream keep-alive, its access log to /dev/null like ours. */
async function startNginx(upstreamPort: number): Promise<Running> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-nginx-'));
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log /dev/null;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  upstream users { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location /api/v1/users/ {
      proxy_pass http://users/users/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
    }
  }
}
`,
  );
  const child = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${PATH}`);
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    port,
    pids: () => [child.pid!, ...childPids(child.pid!)],
    stop: async () => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGQUIT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** The server's CPU per request, µs (NaN for direct: the upstream is not a proxy). */
  cpuUs: number;
}

/** One wrk run: requests/s, p50 and p99 (ms), and non-2xx answers plus socket errors. */
function wrk(name: string, port: number, urlPath: string, headers: string[], seconds: number, connections: number, pids: number[] = []): Row {
  const cpuBefore = cpuMs(pids);
  const out = execFileSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', ...headers.flatMap((h) => ['-H', h]), `http://127.0.0.1:${port}${urlPath}`], { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const latency = (q: string) => toMs(new RegExp(`\\s${q}%\\s+([\\d.]+)(us|ms|s)`).exec(out));
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = non2xx + (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  const cpuUs = pids.length === 0 ? Number.NaN : ((cpuMs(pids) - cpuBefore) * 1000) / requests;
  return { name, rps, p50: latency('50'), p99: latency('99'), errors, cpuUs };
}

function toMs(match: RegExpExecArray | null): number {
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

async function main(): Promise<void> {
  const rounds = arg('rounds', 3);
  const seconds = arg('seconds', 8);
  const connections = arg('connections', 50);
  const token = await developmentToken({ secret: SECRET, subject: 'bench-user', issuer: 'bench', ttlSec: 3600 });
  const upstream = await fork('upstream');
  const origin = `http://127.0.0.1:${upstream.port}`;
  const servers = {
    nginx: await startNginx(upstream.port),
    express: await fork('express', origin),
    meshspec: await fork('meshspec', origin),
    plain: await fork('meshspec-plain', origin),
    bare: await fork('bare-undici', origin),
  };
  const scenarios: [name: string, server: Running, path: string, headers: string[]][] = [
    ['(a) direct', upstream, '/users/42', []],
    ['(b) nginx, upstream keep-alive', servers.nginx, PATH, []],
    ['(c) Express 5 + http-proxy-middleware', servers.express, PATH, []],
    ['(d) meshspec gateway, JWT + rate limit', servers.meshspec, PATH, [`Authorization: Bearer ${token}`]],
    ['(e) meshspec gateway, no auth, no limit', servers.plain, PATH, []],
    ['(f) bare node:http + undici proxy', servers.bare, PATH, []],
  ];
  const results = new Map<string, Row[]>(scenarios.map(([name]) => [name, []]));
  try {
    // A short run each first: JIT, connection pools, nginx's upstream keep-alive.
    for (const [name, server, urlPath, headers] of scenarios) wrk(name, server.port, urlPath, headers, 2, connections);
    for (let round = 1; round <= rounds; round++) {
      for (const [name, server, urlPath, headers] of scenarios) {
        const row = wrk(name, server.port, urlPath, headers, seconds, connections, server === upstream ? [] : server.pids());
        results.get(name)!.push(row);
        console.error(`round ${round}: ${name}: ${row.rps.toFixed(0)} req/s, p99 ${row.p99.toFixed(2)} ms, ${row.cpuUs.toFixed(1)} µs CPU/req, errors ${row.errors}`);
      }
    }
  } finally {
    await Promise.all([...Object.values(servers).map((server) => server.stop()), upstream.stop()]);
  }
  const rows = [...results.values()].map((runs) => medianBy(runs, (r) => r.rps));
  const nginx = rows[1]!;
  const express = rows[2]!;
  const direct = rows[0]!;
  printTable(
    ['scenario', 'req/s', 'vs direct', 'vs nginx', 'vs Express', 'p50 ms', 'p99 ms', 'p99 vs nginx', 'proxy CPU µs/req', 'CPU vs nginx', 'errors'],
    rows.map((r) => [
      r.name, r.rps.toFixed(0), ratio(r.rps, direct.rps), ratio(r.rps, nginx.rps), ratio(r.rps, express.rps), r.p50.toFixed(2), r.p99.toFixed(2), ratio(r.p99, nginx.p99),
      Number.isNaN(r.cpuUs) ? '-' : r.cpuUs.toFixed(1), Number.isNaN(r.cpuUs) ? '-' : ratio(r.cpuUs, nginx.cpuUs), String(r.errors),
    ]),
  );
  console.log(`\nwrk -t1 -c${connections} -d${seconds}s, median of ${rounds} rounds by req/s; every process on 127.0.0.1 of a 2-core machine. Compare ratios across machines, not absolute numbers.`);
}

const role = textArg('role');
if (role === 'upstream') runUpstream();
else if (role === 'express') await runExpress(textArg('upstream'));
else if (role === 'meshspec') await runMeshspec(textArg('upstream'), true);
else if (role === 'meshspec-plain') await runMeshspec(textArg('upstream'), false);
else if (role === 'bare-undici') runBareUndici(textArg('upstream'));
else await main();
