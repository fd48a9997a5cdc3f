// Shared by the benchmarks: command-line numbers, forked children that report their own CPU time
// over IPC (so the load generator's CPU is never counted), a bounded load loop, medians and tables.
import { fork, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

/** `--name=123` from the command line, else `fallback`. */
export function arg(name: string, fallback: number): number {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split('=')[1]) : fallback;
}

/**
 * A positive integer from the environment (`BENCH_SAGAS=400`), else `fallback`.
 *
 * @param name - the variable
 * @param fallback - when it is unset or empty
 * @throws Error naming the variable when it is not a positive integer
 * @example
 * const rounds = envSetting('BENCH_ROUNDS', 3);
 */
export function envSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got '${raw.slice(0, 40)}'`);
  return value;
}

/** `--name=text` from the command line, else `fallback`. */
export function textArg(name: string, fallback = ''): string {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
}

// ---- children --------------------------------------------------------------------------------

type ToChild = { type: 'cpu' };
type FromChild = { type: 'ready'; port: number; grpcPort?: number } | { type: 'cpu'; usage: NodeJS.CpuUsage };

/** In a child: answers CPU queries, exits when the parent goes, and says it is ready. */
export function serveCpu(port: number, grpcPort?: number): void {
  process.on('message', (msg: ToChild) => {
    if (msg.type === 'cpu') process.send!({ type: 'cpu', usage: process.cpuUsage() } satisfies FromChild);
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ type: 'ready', port, ...(grpcPort === undefined ? {} : { grpcPort }) } satisfies FromChild);
}

export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export interface Child {
  process: ChildProcess;
  port: number;
  grpcPort?: number;
  /** The child's user+system CPU time so far, µs. */
  cpu(): Promise<number>;
}

export interface ChildOptions {
  stdio?: StdioOptions;
  env?: NodeJS.ProcessEnv;
  /** Extra Node flags (e.g. --cpu-prof) on top of this process's. */
  nodeFlags?: string[];
  /** The Node binary the child runs on (default: this process's), e.g. to compare Node versions in one run. */
  execPath?: string;
}

/** Forks `file` with `args`; resolves once it called serveCpu. */
export function startChild(file: string, args: string[], label: string, options: ChildOptions = {}): Promise<Child> {
  const child = fork(file, args, {
    stdio: options.stdio ?? 'inherit',
    ...(options.env ? { env: options.env } : {}),
    ...(options.nodeFlags ? { execArgv: [...process.execArgv, ...options.nodeFlags] } : {}),
    ...(options.execPath ? { execPath: options.execPath } : {}),
  });
  const cpu = () =>
    ask<{ type: 'cpu'; usage: NodeJS.CpuUsage }>(child, { type: 'cpu' } satisfies ToChild, 'cpu').then(
      (msg) => msg.usage.user + msg.usage.system,
    );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${label} exited early (${code})`)));
    child.on('message', (msg: FromChild) => {
      if (msg.type === 'ready') resolve({ process: child, port: msg.port, ...(msg.grpcPort === undefined ? {} : { grpcPort: msg.grpcPort }), cpu });
    });
  });
}

/** Sends `message` and resolves with the child's next message of type `replyType` (rejects if it exits first). */
export function ask<R extends { type: string }>(child: ChildProcess, message: object, replyType: R['type']): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`child exited (${code}) before answering ${replyType}`));
    };
    const onMessage = (msg: R) => {
      if (msg.type !== replyType) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(msg);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(message);
  });
}

export async function stopChild(child: Child): Promise<void> {
  child.process.removeAllListeners('exit');
  if (child.process.exitCode !== null || child.process.signalCode !== null) return; // already gone (it failed)
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.disconnect();
  await exited;
}

// ---- load ------------------------------------------------------------------------------------

export interface LoadResult {
  done: number;
  errors: number;
  seconds: number;
  /** Milliseconds, sorted. */
  latencies: Float64Array;
}

/** Runs `once` `total` times, `concurrency` at a time, stopping at `capMs`; `once` resolves false on a bad answer. */
export async function drive(total: number, concurrency: number, capMs: number, once: () => Promise<boolean>): Promise<LoadResult> {
  const latencies = new Float64Array(total);
  let next = 0;
  let done = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = start + capMs;
  const worker = async () => {
    while (next < total && performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      try {
        if (!(await once())) errors++;
      } catch {
        errors++;
      }
      latencies[i] = performance.now() - t0;
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  return { done, errors, seconds, latencies: latencies.slice(0, done).sort() };
}

/** What a child reports of one measured drive: this process's CPU over it, counts, and p50/p99 in ms. */
export interface MeasuredDrive {
  cpuUs: number;
  done: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
}

/** {@link drive}, with this process's CPU time over it and the latency percentiles a child sends back. */
export async function driveMeasured(total: number, concurrency: number, capMs: number, once: () => Promise<boolean>): Promise<MeasuredDrive> {
  const before = process.cpuUsage();
  const result = await drive(total, concurrency, capMs, once);
  const cpu = process.cpuUsage(before);
  const { done, errors, seconds } = result;
  return { cpuUs: cpu.user + cpu.system, done, errors, seconds, p50: percentile(result, 0.5), p99: percentile(result, 0.99) };
}

export interface HttpRequest {
  path: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** The status a correct answer has. */
  status: number;
}

/** `total` requests at fixed concurrency over keep-alive connections, stopping at `capMs`. */
export async function load(port: number, request: HttpRequest, total: number, concurrency: number, capMs: number): Promise<LoadResult> {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: concurrency, pipelining: 1 });
  const { status, ...options } = request;
  const result = await drive(total, concurrency, capMs, async () => {
    const { statusCode, body } = await pool.request(options);
    await body.dump();
    return statusCode === status;
  });
  await pool.close();
  return result;
}

/** The latency at quantile `q` (0..1) of a sorted run, ms. */
export function percentile(result: LoadResult, q: number): number {
  return result.latencies[Math.min(result.done - 1, Math.floor(q * result.done))] ?? NaN;
}

// ---- reporting -------------------------------------------------------------------------------

/** The row with the median `key` (the middle run of an odd number of rounds). */
export function medianBy<T>(rows: T[], key: (row: T) => number): T {
  return [...rows].sort((a, b) => key(a) - key(b))[Math.floor(rows.length / 2)]!;
}

/** `1.23x`, or `-` when either side is missing. */
export function ratio(value: number | null, baseline: number | null): string {
  return value === null || baseline === null ? '-' : `${(value / baseline).toFixed(2)}x`;
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function printTable(header: string[], lines: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(fmt(line));
}
