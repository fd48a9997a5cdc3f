// Runs the children of `meshspec dev --processes` as one stack: starts them all, waits until each
// answers its readiness probe, notices one that exits on its own, and stops them gateway first (so
// that requests in flight reach services still running), then the services, each with a grace.
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnChild, type ChildExit, type RunningChild, type SpawnOptions } from './child.js';
import type { PlannedProcess, ProcessPlan } from './plan.js';

/** A child that exited, or never became ready: its name, what happened, and its last lines. */
export class ChildFailure extends Error {
  constructor(
    readonly child: string,
    message: string,
    readonly lastLines: readonly string[],
  ) {
    super(message);
    this.name = 'ChildFailure';
  }

  /**
   * The failure and the child's last lines, indented, as `meshspec dev` prints them.
   *
   * @example failure.report() // 'orders exited with code 1 before it was ready; its last lines:\n  [orders] …'
   */
  report(): string {
    if (this.lastLines.length === 0) return `${this.message}; it printed nothing`;
    return `${this.message}; its last lines:\n${this.lastLines.map((line) => `  ${line}`).join('\n')}`;
  }
}

export interface SupervisorOptions extends SpawnOptions {
  /** How long every child together has to answer its readiness probe with 200. Default 90 s. */
  readonly readyTimeoutMs?: number;
  /** How long a child has to exit after SIGTERM before it gets SIGKILL (its shutdown grace and some). */
  readonly stopTimeoutMs: number;
}

/** How the stack stopped. */
export interface StopResult {
  /** Children that exited with a code other than 0 or had to be killed, with how they ended. */
  readonly unclean: readonly string[];
}

export interface SupervisedStack {
  readonly children: readonly RunningChild[];
  /**
   * Resolves once every child answers its readiness probe. Rejects with a {@link ChildFailure} when
   * one exits first or is not ready in time, after stopping the others.
   */
  readonly ready: Promise<void>;
  /** Resolves with the first child that exits by itself (never one stopped by {@link stop}). */
  readonly failed: Promise<ChildFailure>;
  /** Stops every child (idempotent: later calls get the first call's result). */
  stop(): Promise<StopResult>;
}

const POLL_MS = 200;

/**
 * Starts every process of `plan` at once; see {@link SupervisedStack.ready} for when they are up.
 *
 * @param plan the processes (from planProcesses)
 * @param options the loader, folder and output of the children; `readyTimeoutMs` default 90000
 * @example
 * const stack = superviseStack(plan, { nodeArgs, cwd, output: process.stdout, stopTimeoutMs: 15_000 });
 * await stack.ready;
 */
export function superviseStack(plan: ProcessPlan, options: SupervisorOptions): SupervisedStack {
  const planned = plan.gateway ? [...plan.services, plan.gateway] : [...plan.services];
  const children = planned.map((p) => spawnChild(p, options));
  // Last resort: whatever way this process ends (an uncaught error, process.exit), no child outlives it.
  process.once('exit', () => children.forEach((c) => c.exit() === null && c.process.kill('SIGKILL')));

  let stopping: Promise<StopResult> | null = null;
  const stop = () => (stopping ??= stopAll(children, options.stopTimeoutMs));
  const failed = new Promise<ChildFailure>((resolve) => {
    for (const child of children) {
      void child.exited.then((exit) => {
        if (!stopping) resolve(new ChildFailure(child.name, `${child.name} ${describeExit(exit)}`, child.lastLines()));
      });
    }
  });

  const abort = new AbortController();
  const readyMs = options.readyTimeoutMs ?? 90_000;
  const deadline = { at: Date.now() + readyMs, ms: readyMs };
  const ready = Promise.all(planned.map((p, i) => waitReady(p, children[i] as RunningChild, deadline, abort.signal))).then(
    () => undefined,
    async (err: unknown) => {
      abort.abort();
      await stop();
      throw err;
    },
  );
  return { children, ready, failed, stop };
}

/** Polls the child's readiness URL until it answers 200; past the deadline, a ChildFailure. */
async function waitReady(planned: PlannedProcess, child: RunningChild, deadline: { at: number; ms: number }, signal: AbortSignal): Promise<void> {
  let last = 'no answer';
  while (!signal.aborted && child.exit() === null) {
    try {
      const response = await fetch(planned.readyUrl, { signal: AbortSignal.any([signal, AbortSignal.timeout(2000)]) });
      await response.body?.cancel();
      if (response.status === 200) return;
      last = `answered ${response.status}`;
    } catch {
      last = 'no answer';
    }
    if (Date.now() > deadline.at) {
      const seconds = Math.round(deadline.ms / 1000);
      throw new ChildFailure(planned.name, `${planned.name} was not ready within ${seconds} s (GET ${planned.readyUrl}: ${last})`, child.lastLines());
    }
    await sleep(POLL_MS, undefined, { signal }).catch(() => undefined);
  }
  const exit = child.exit();
  if (exit) throw new ChildFailure(planned.name, `${planned.name} ${describeExit(exit)} before the stack was ready`, child.lastLines());
}

async function stopAll(children: readonly RunningChild[], timeoutMs: number): Promise<StopResult> {
  const gateway = children.filter((c) => c.name === 'gateway');
  const services = children.filter((c) => c.name !== 'gateway');
  const unclean = [...(await Promise.all(gateway.map((c) => stopChild(c, timeoutMs)))), ...(await Promise.all(services.map((c) => stopChild(c, timeoutMs))))];
  return { unclean: unclean.filter((u): u is string => u !== null) };
}

/** SIGTERM, then SIGKILL after `timeoutMs`; null when the child ended cleanly (exit code 0). */
async function stopChild(child: RunningChild, timeoutMs: number): Promise<string | null> {
  let killed = false;
  if (child.exit() === null) {
    child.process.kill('SIGTERM');
    const timer = setTimeout(() => {
      killed = true;
      child.process.kill('SIGKILL');
    }, timeoutMs);
    await child.exited;
    clearTimeout(timer);
  }
  const exit = (await child.exited) as ChildExit;
  if (killed) return `${child.name} did not stop within ${Math.round(timeoutMs / 1000)} s and was killed`;
  return exit.code === 0 ? null : `${child.name} ${describeExit(exit)}`;
}

/**
 * How a child ended, in words.
 *
 * @example describeExit({ code: 1, signal: null }) // 'exited with code 1'
 */
export function describeExit(exit: ChildExit): string {
  if (exit.signal) return `was killed by ${exit.signal}`;
  if (exit.code === null) return 'could not be started';
  return `exited with code ${exit.code}`;
}
