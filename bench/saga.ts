// Sagas (issue #12) in one run, side by side: completed `placeOrder` orders per second
// 1. through the durable saga: `POST /orders/placements` on the orders service (the endpoint waits,
//    up to 8 s, for the saga to complete: 201), the orchestrator writing every transition to its log
//    in orders' database and calling the five steps through the generated clients, in process;
// 2. through the same five steps called in sequence by a plain hook, no saga: `POST
//    /orders/plain-placements`, an endpoint the benchmark adds to the same orders service, whose hook
//    calls them through the transports and call options the host gives the saga (bench/saga/plain.ts).
// The shop's four services run in this process, calling each other in process, on embedded PGlite
// (data folders) and on PostgreSQL; BENCH_CONCURRENCY orders at once. Reported: orders/s, the
// ratio, CPU of this process per order (everything: load, services and, for PGlite, the database),
// p50/p99. Goal of the issue: the saga costs at most 25% over the plain sequence (ratio >= 0.80).
//
//   node --import tsx bench/saga.ts            (npm run bench:saga)
//   BENCH_SAGAS=400 BENCH_CONCURRENCY=16 BENCH_ROUNDS=3 BENCH_WARMUP=100 (defaults)
//   BENCH_ENGINES=pglite,pg (default both; PostgreSQL at BENCH_PG_URL, scratch databases dropped after)
//   BENCH_ONLY=saga (or plain) runs one way only, to profile it: node --cpu-prof --import tsx bench/saga.ts
//
// The two ways run interleaved for BENCH_ROUNDS rounds after a warm-up; the table shows each one's
// median round. Compare ratios, not absolute figures, across machines.
import { Pool } from 'undici';
import { driveMeasured, envSetting as setting, medianBy, printTable, ratio, type MeasuredDrive } from './support.js';
import { PLAIN_PATH } from './saga/plain.js';
import { PRODUCT_ID, startShop } from './saga/shop.js';
import { loadExample, type ExampleShop } from './saga/example.js';

const sagas = setting('BENCH_SAGAS', 400);
const concurrency = setting('BENCH_CONCURRENCY', 16);
const rounds = setting('BENCH_ROUNDS', 3);
const warmup = setting('BENCH_WARMUP', 100);
const engines = (process.env['BENCH_ENGINES'] || 'pglite,pg').split(',') as ('pglite' | 'pg')[];
const only = process.env['BENCH_ONLY'] as 'saga' | 'plain' | undefined;
/** The goal: the saga costs at most 25% over the plain sequence, i.e. keeps >= 1/1.25 of its rate. */
const GOAL = 1 / 1.25;
const CAP_MS = 120_000;

interface Way {
  readonly label: string;
  readonly url: string;
  readonly path: string;
}

/** `count` orders of one unit each through `way`; an answer other than 201 counts as an error. */
async function round(way: Way, body: string, count: number): Promise<MeasuredDrive> {
  const pool = new Pool(way.url, { connections: concurrency, pipelining: 1 });
  try {
    return await driveMeasured(count, concurrency, CAP_MS, async () => {
      const { statusCode, body: answer } = await pool.request({ method: 'POST', path: way.path, headers: { 'content-type': 'application/json' }, body });
      await answer.dump();
      return statusCode === 201;
    });
  } finally {
    await pool.close();
  }
}

async function engineRuns(example: ExampleShop, engine: 'pglite' | 'pg'): Promise<void> {
  const shop = await startShop(example, engine);
  try {
    const body = JSON.stringify({ userId: shop.userId, items: [{ productId: PRODUCT_ID, quantity: 1 }], cardToken: 'tok_visa' });
    const ways: Way[] = [
      { label: 'plain sequence (no saga)', url: shop.running.urls['orders']!.http, path: PLAIN_PATH },
      { label: 'placeOrder saga (durable log)', url: shop.running.urls['orders']!.http, path: '/orders/placements' },
    ].filter((way) => !only || way.label.startsWith(only === 'saga' ? 'placeOrder' : 'plain'));
    if (ways.length < 2) {
      for (const way of ways) for (let r = 0; r < rounds; r++) console.log(`${engine} ${way.label}: ${JSON.stringify(await round(way, body, sagas))}`);
      return;
    }
    for (const way of ways) await round(way, body, warmup);
    const results = ways.map(() => [] as MeasuredDrive[]);
    for (let r = 1; r <= rounds; r++) {
      // Interleaved, so drifting load on the machine touches both ways alike.
      for (const [i, way] of ways.entries()) {
        const result = await round(way, body, sagas);
        results[i]!.push(result);
        console.log(`${engine} round ${r}  ${way.label.padEnd(30)} ${(result.done / result.seconds).toFixed(0).padStart(5)} orders/s  ${result.errors} errors`);
      }
    }
    const rate = (m: MeasuredDrive) => (m.done - m.errors) / m.seconds;
    const median = results.map((rows) => medianBy(rows, rate));
    const baseline = median[0]!;
    console.log(`\n### placeOrder on ${engine === 'pg' ? 'PostgreSQL' : 'PGlite (data folders)'}: ${concurrency} at once, ${sagas} orders per round, median of ${rounds} rounds\n`);
    printTable(
      ['way', 'orders/s', 'vs plain', 'CPU µs/order', 'vs plain', 'p50 ms', 'p99 ms', 'errors'],
      ways.map((way, i) => {
        const m = median[i]!;
        return [way.label, rate(m).toFixed(0), ratio(rate(m), rate(baseline)), (m.cpuUs / m.done).toFixed(0), ratio(m.cpuUs / m.done, baseline.cpuUs / baseline.done), m.p50.toFixed(1), m.p99.toFixed(1), String(m.errors)];
      }),
    );
    const kept = rate(median[1]!) / rate(baseline);
    const perRound = results[1]!.map((row, r) => rate(row) / rate(results[0]![r]!));
    console.log(
      `\ngoal (issue #12): the saga keeps >= ${GOAL.toFixed(2)}x of the plain sequence's orders/s (costs <= 25% more): ` +
        `${kept.toFixed(2)}x (the saga costs ${((1 / kept - 1) * 100).toFixed(0)}% more), ${kept >= GOAL ? 'met' : 'NOT met'} ` +
        `(per round: ${perRound.map((v) => v.toFixed(2)).join(', ')})\n`,
    );
    const report = shop.running.services['orders']!.sagas();
    if (report) console.log(`orders' orchestrator: ${JSON.stringify(report.stats)}\n`);
  } finally {
    await shop.stop();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`placeOrder saga vs plain sequence: ${concurrency} at once, ${rounds} rounds of ${sagas} after a warm-up of ${warmup}, engines ${engines.join(', ')} (Node ${process.version})\n`);
  const example = await loadExample();
  for (const engine of engines) await engineRuns(example, engine);
  console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
