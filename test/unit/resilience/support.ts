// A scripted dependency for the pipeline tests: each attempt answers as the script says (a value,
// an error, or hangs until its signal aborts, as the real transports do), and every attempt is
// recorded with the clock time it started, its number, instance and deadline.
import type { Attempt } from '../../../runtime/resilience/index.js';
import type { ManualClock } from '../../support/manual-clock.js';

export const HANG = Symbol('hang');
/** Ignores its signal and never settles: a transport that does not listen. */
export const DEAF = Symbol('deaf');

export type Answer = string | Error | typeof HANG | typeof DEAF;

export interface AttemptRecord {
  at: number;
  attempt: number;
  instance: string | undefined;
  deadline: number;
}

export interface ScriptedDependency {
  attempt: Attempt<string>;
  records: AttemptRecord[];
}

/**
 * @param clock The test's clock (for the attempt start times).
 * @param answer What attempt `n` (to `instance`) answers.
 */
export function scripted(clock: ManualClock, answer: (attempt: number, instance: string | undefined) => Answer): ScriptedDependency {
  const records: AttemptRecord[] = [];
  const attempt: Attempt<string> = (signal, n, context) => {
    records.push({ at: clock.now(), attempt: n, instance: context.instance, deadline: context.deadline });
    const outcome = answer(n, context.instance);
    if (outcome === DEAF) return new Promise<string>(() => {});
    if (outcome === HANG) {
      return new Promise<string>((_resolve, reject) => {
        // What runtime/http/client.ts does with an aborted request: a MeshError reason passes through.
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
    return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
  };
  return { attempt, records };
}

/** A uniform source from a fixed list, cycling: jitter under control. */
export function draws(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}
