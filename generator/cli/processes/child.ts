// One child process of `meshspec dev --processes`: started from its entry point, its output turned
// into the readable, prefixed lines `meshspec dev` prints (`[users] 12:03:04.512 INFO  …`), its last
// lines kept to explain an early exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { formatLine } from '../../../runtime/logging/index.js';
import type { PlannedProcess } from './plan.js';

/** How many of a child's lines are kept to show when it fails. */
export const KEPT_LINES = 20;

/** How a child ended. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface RunningChild {
  readonly name: string;
  readonly process: ChildProcess;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ChildExit>;
  /** The exit, once it happened; null while running. */
  exit(): ChildExit | null;
  /** Its last {@link KEPT_LINES} lines, formatted as printed. */
  lastLines(): string[];
}

export interface SpawnOptions {
  /** Node's arguments before the entry point (the TypeScript loader). */
  readonly nodeArgs: readonly string[];
  /** The project's folder: entry points are relative to it and tsx reads its tsconfig.json. */
  readonly cwd: string;
  /** Where the formatted lines go. */
  readonly output: { write(text: string): unknown };
  /** The environment under the plan's own variables; default `process.env`. */
  readonly baseEnv?: NodeJS.ProcessEnv;
}

/**
 * Starts `planned` as `node <nodeArgs> <entry>`. The child gets its own process group, so a Ctrl-C
 * in the terminal reaches only `meshspec dev`, which then stops the children in order.
 *
 * @param planned the entry point and environment
 * @param options loader arguments, working folder, output
 * @example spawnChild(plan.services[0], { nodeArgs: typeScriptNodeArgs(), cwd: process.cwd(), output: process.stdout })
 */
export function spawnChild(planned: PlannedProcess, options: SpawnOptions): RunningChild {
  const child = spawn(process.execPath, [...options.nodeArgs, planned.entry], {
    cwd: options.cwd,
    // MESH_SUPERVISOR_PID: a child whose supervisor dies (even by SIGKILL) stops itself rather than keep its port.
    env: { ...(options.baseEnv ?? process.env), ...planned.env, MESH_SUPERVISOR_PID: String(process.pid) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const kept: string[] = [];
  const print = (line: string) => {
    const text = readable(planned.name, line);
    options.output.write(`${text}\n`);
    kept.push(...text.split('\n'));
    if (kept.length > KEPT_LINES) kept.splice(0, kept.length - KEPT_LINES);
  };
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => line && print(line));
  }

  let ended: ChildExit | null = null;
  const exited = new Promise<ChildExit>((resolve) => {
    // 'close', not 'exit': by then every line the child wrote has been printed.
    child.on('close', (code, signal) => resolve((ended = { code, signal })));
    // A child that cannot be spawned at all (no such executable) emits 'error' and no 'exit'.
    child.on('error', (err) => {
      print(`cannot start: ${err.message}`);
      resolve((ended = { code: null, signal: null }));
    });
  });
  return { name: planned.name, process: child, exited, exit: () => ended, lastLines: () => [...kept] };
}

/** A pino line of the child as `meshspec dev` prints it; anything else (a stack trace, a loader error) prefixed as is. */
function readable(name: string, line: string): string {
  if (line.startsWith('{')) {
    try {
      const parsed = JSON.parse(line) as { service?: unknown };
      if (typeof parsed.service === 'string') return formatLine(line);
    } catch {
      // Not JSON after all: printed as it is below.
    }
  }
  return `[${name}] ${line}`;
}
