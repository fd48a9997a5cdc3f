// Child processes for end-to-end tests: the meshspec CLI and generated entry points, with their
// output captured, waited for by content, and stopped by signal with their exit code reported.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePorts as probeFreePorts } from '../../generator/cli/processes/free-ports.js';
import { repoRoot } from './project.js';

export interface Child {
  process: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves when the output matches; rejects with the output so far after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends `signal` and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  exited: Promise<number | null>;
}

export function start(args: string[], env: NodeJS.ProcessEnv = {}, cwd: string = repoRoot): Child {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const check of waiters) check();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  return {
    process: child,
    output: () => output,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${output}`));
        }, timeoutMs);
        const check = () => {
          if (!pattern.test(output)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
        void exited.then(() => {
          if (waiters.has(check)) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`process exited before ${pattern}; output:\n${output}`));
          }
        });
      });
    },
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/**
 * Runs `node <args>` to its end (a CLI command): its exit code, and stdout and stderr apart.
 *
 * @param args - node's arguments, e.g. the CLI script and its arguments
 * @param env - added to the environment (LOG_LEVEL is `info` unless set); default none
 * @param cwd - the working folder; default the repository's root
 * @example
 * const { code, stdout, stderr } = await runToEnd([`${repoRoot}/bin/meshspec.js`, 'db', 'status', 'notes'], {}, root);
 */
export async function runToEnd(args: string[], env: NodeJS.ProcessEnv = {}, cwd: string = repoRoot): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = start(args, env, cwd);
  let stdout = '';
  let stderr = '';
  child.process.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.process.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await child.exited;
  return { code, stdout, stderr };
}

/** Runs the meshspec CLI (bin/meshspec.js) with `args` in the repository. */
export function meshspec(...args: string[]): Child {
  return start([path.join(repoRoot, 'bin/meshspec.js'), ...args]);
}

export function meshspecIn(cwd: string, ...args: string[]): Child {
  return start([path.join(repoRoot, 'bin/meshspec.js'), ...args], {}, cwd);
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

/** `count` distinct TCP ports that were free a moment ago (the same probe `meshspec dev --processes --free-ports` uses). */
export function freePorts(count: number): Promise<number[]> {
  return probeFreePorts(count);
}

/**
 * The URL `meshspec dev` printed for `name` (`gateway` or a service) in its start-up banner, which
 * names the ports the stack actually listens on (with `--free-ports`, not the spec's).
 */
export function bannerUrl(output: string, name: string): string {
  const line = new RegExp(`^\\s+${name}\\s+(http://\\S+)`, 'm').exec(output);
  if (!line) throw new Error(`no URL for ${name} in the banner; output:\n${output}`);
  return line[1]!;
}

/** JSON over HTTP with a hard timeout, so that a hang fails the test instead of stalling it. */
export async function http(url: string, init: { method?: string; body?: unknown; timeoutMs?: number; headers?: Record<string, string> } = {}) {
  const started = Date.now();
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.body !== undefined && { 'content-type': 'application/json' }), ...init.headers },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const body: any = text ? JSON.parse(text) : undefined;
  return { status: response.status, headers: response.headers, body, ms: Date.now() - started };
}

/** Polls `probe` until it returns true; `timeoutMs` only turns a hang into a failure, so it is generous. */
export async function eventually(probe: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
