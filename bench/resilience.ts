// What the resilience pipeline costs a call, in nanoseconds: the same trivial async call awaited
// bare, through the pipeline with DEFAULT_POLICY (deadline timer, retry loop, retry budget), and
// through a pipeline with every policy on (adds a per-attempt timer, the instance's breaker and a
// bulkhead). A second baseline makes the AbortController and timer the HTTP transport already makes
// per call with a deadline (runtime/http/client.ts): once wired, the pipeline's signal replaces the
// transport's own. No network: the figure is the pipeline's own overhead per call, to set beside a
// request's cost (tens of µs over loopback HTTP).
//
//   node --import tsx bench/resilience.ts [--calls=200000] [--rounds=5]
//
// Calls run one after the other in this process on the system clock; the scenarios run interleaved
// for `--rounds` rounds after a warm-up, and the table shows each one's median round.
import { performance } from 'node:perf_hooks';
import { createPipeline, DEFAULT_POLICY, type ResiliencePolicy } from '../runtime/resilience/index.js';
import { arg, medianBy, printTable, ratio } from './support.js';

const calls = arg('calls', 200_000);
const rounds = arg('rounds', 5);

const answer = { id: 'u-1', name: 'Ada' };
/** The dependency: answers on the next microtask, as a resolved transport call would. */
const bare = async (_signal?: AbortSignal) => answer;

const everyPolicy: ResiliencePolicy = {
  ...DEFAULT_POLICY,
  attemptTimeoutMs: 2_000,
  circuitBreaker: { consecutiveFailures: 5, failureRatio: 0.5, minimumCalls: 20, windowMs: 10_000, openForMs: 5_000, halfOpenCalls: 1 },
  bulkhead: { maxConcurrent: 64, maxQueue: 64 },
};
const defaultPipeline = createPipeline(DEFAULT_POLICY, { dependency: 'users' });
const fullPipeline = createPipeline(everyPolicy, { dependency: 'users' });
const options = { idempotent: true, label: 'users.getUser' };

/** The bare call with what runtime/http/client.ts already makes per call when it has a deadline. */
async function bareWithDeadline(): Promise<unknown> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  try {
    return await bare(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

const scenarios: { name: string; run: () => Promise<unknown> }[] = [
  { name: 'bare async call', run: () => bare() },
  { name: 'bare + AbortController + timer', run: bareWithDeadline },
  { name: 'DEFAULT_POLICY pipeline', run: () => defaultPipeline.run(bare, options) },
  { name: 'every policy on', run: () => fullPipeline.run(bare, options) },
];

async function measure(run: () => Promise<unknown>, n: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) await run();
  return ((performance.now() - started) * 1e6) / n;
}

for (const scenario of scenarios) await measure(scenario.run, Math.min(calls, 20_000));

const results = new Map<string, number[]>(scenarios.map((s) => [s.name, []]));
for (let round = 0; round < rounds; round++) {
  for (const scenario of scenarios) results.get(scenario.name)!.push(await measure(scenario.run, calls));
}

const median = (values: number[]) => medianBy(values, (v) => v);
const baseline = median(results.get('bare async call')!);
console.log(`${calls} sequential calls per scenario and round, ${rounds} rounds, median round (Node ${process.version})\n`);
printTable(
  ['scenario', 'ns/call', 'overhead ns/call', 'ratio'],
  scenarios.map(({ name }) => {
    const ns = median(results.get(name)!);
    return [name, ns.toFixed(0), (ns - baseline).toFixed(0), ratio(ns, baseline)];
  }),
);
