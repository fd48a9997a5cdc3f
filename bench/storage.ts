// Storage (issue #11) in one run, side by side:
// 1. The transactional outbox against publish-after-commit, on PostgreSQL with the Redis Streams bus:
//    each write inserts an order and publishes one `order.placed` event, BENCH_CONCURRENCY writers at
//    once. Reported: writes/s as the callers see them, events/s end to end (until a subscriber in this
//    process has every event), CPU per write of this process and of the database's backends.
//    Goal of the issue: the outbox keeps at least 0.75x of publish-after-commit's end-to-end events/s.
// 2. PGlite (in memory) against PostgreSQL: insert + commit, and a point select, ops/s at
//    BENCH_CONCURRENCY callers and at one.
//
//   node --import tsx bench/storage.ts
//   BENCH_WRITES=5000 BENCH_OPS=2000 BENCH_CONCURRENCY=16 BENCH_ROUNDS=3 BENCH_WARMUP=500 (defaults, under a minute)
//   BENCH_PARTS=outbox or BENCH_PARTS=engines runs one part only
//   BENCH_OUTBOX_BATCH=500 adds an outbox row with that relay batch size (default batch: 100)
//
// Needs PostgreSQL (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres: a scratch
// database with a random name is created and dropped) and Redis (REDIS_URL: keys under a random
// prefix, deleted). Ways and engines run interleaved for BENCH_ROUNDS rounds after a warm-up; the
// tables show each one's median round. Compare ratios, not absolute figures, across machines.
import { randomUUID } from 'node:crypto';
import { createLogger } from '../runtime/logging/index.js';
import { openDatabase, type Database } from '../runtime/storage/index.js';
import { deliveryRound, ORDERS_DDL, type DeliveryResult, type DeliveryWay } from './storage/delivery.js';
import { ENGINE_OPS, measureOp, prepareEngine } from './storage/engines.js';
import { createScratchDatabase } from './storage/scratch.js';
import { envSetting as setting, medianBy, ratio } from './support.js';
import type { MeasuredDrive } from './support.js';

const writes = setting('BENCH_WRITES', 5000);
const ops = setting('BENCH_OPS', 2000);
const concurrency = setting('BENCH_CONCURRENCY', 16);
const rounds = setting('BENCH_ROUNDS', 3);
const warmup = setting('BENCH_WARMUP', 500);
/** Which parts run: `outbox`, `engines` (comma-separated); default both. */
const parts = (process.env['BENCH_PARTS'] || 'outbox,engines').split(',');
const variantBatch = process.env['BENCH_OUTBOX_BATCH'] ? setting('BENCH_OUTBOX_BATCH', 100) : null;
/** The goal: the outbox costs at most 25% of publish-after-commit's throughput. */
const GOAL = 0.75;

const logger = createLogger({ service: 'bench-storage', level: 'warn' });
const run = `meshspec-bench-${randomUUID().slice(0, 8)}`;

const ways: DeliveryWay[] = [
  { kind: 'after-commit', label: 'publish after commit' },
  { kind: 'outbox', label: 'outbox (defaults)' },
  ...(variantBatch ? [{ kind: 'outbox', label: `outbox, batchSize ${variantBatch}`, outbox: { batchSize: variantBatch } } as const] : []),
];

function markdownTable(header: string[], lines: string[][]): void {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  console.log(row(header));
  console.log(row(header.map((_, i) => (i === 0 ? '---' : '---:'))));
  for (const line of lines) console.log(row(line));
}

const perSecond = (count: number, seconds: number) => (count / seconds).toFixed(0);
const micros = (us: number | null, count: number) => (us === null ? '-' : (us / count).toFixed(0));

async function outboxPart(db: Database): Promise<void> {
  const roundOf = (way: DeliveryWay, count: number, tag: string) =>
    deliveryRound(way, { db, logger, writes: count, concurrency, redisPrefix: `${run}:${tag}:` });
  for (const [i, way] of ways.entries()) await roundOf(way, warmup, `warmup-${i}`);
  const results = ways.map(() => [] as DeliveryResult[]);
  for (let r = 1; r <= rounds; r++) {
    // Interleaved, so drifting load on the machine touches every way alike.
    for (const [i, way] of ways.entries()) {
      const result = await roundOf(way, writes, `r${r}-${i}`);
      results[i]!.push(result);
      console.log(
        `round ${r}  ${way.label.padEnd(24)} ${perSecond(result.writes, result.writeSeconds).padStart(6)} writes/s  ` +
          `${perSecond(result.writes, result.deliverySeconds).padStart(6)} events/s end to end`,
      );
    }
  }
  const e2e = (result: DeliveryResult) => result.writes / result.deliverySeconds;
  const median = results.map((rows) => medianBy(rows, e2e));
  const baseline = median[0]!;
  console.log(`\n### Outbox vs publish after commit (PostgreSQL + Redis Streams, ${concurrency} writers, ${writes} writes per round, median of ${rounds} rounds by end-to-end rate)\n`);
  markdownTable(
    ['way', 'writes/s (caller)', 'vs after-commit', 'events/s (end to end)', 'vs after-commit', 'client CPU µs/write', 'db CPU µs/write'],
    ways.map((way, i) => {
      const m = median[i]!;
      return [
        way.label,
        perSecond(m.writes, m.writeSeconds),
        ratio(m.writes / m.writeSeconds, baseline.writes / baseline.writeSeconds),
        perSecond(m.writes, m.deliverySeconds),
        ratio(e2e(m), e2e(baseline)),
        micros(m.cpuUs, m.writes),
        micros(m.dbCpuUs, m.writes),
      ];
    }),
  );
  const kept = e2e(median[1]!) / e2e(baseline);
  // Rounds next to each other share the machine's load of the moment: their ratio drifts less.
  const perRound = results[1]!.map((row, r) => e2e(row) / e2e(results[0]![r]!));
  const keptPerRound = medianBy(perRound, (v) => v);
  console.log(
    `\ngoal (issue #11): the outbox keeps >= ${GOAL.toFixed(2)}x of publish-after-commit's end-to-end events/s: ` +
      `${kept.toFixed(2)}x, ${kept >= GOAL ? 'met' : 'NOT met'} ` +
      `(per round: ${perRound.map((v) => v.toFixed(2)).join(', ')}; median ${keptPerRound.toFixed(2)}x)`,
  );
}

async function enginesPart(pgUrl: string): Promise<void> {
  const engines: Database[] = [
    await openDatabase({ engine: 'pg', name: 'bench', url: pgUrl, poolSize: concurrency }),
    await openDatabase({ engine: 'pglite', name: 'bench' }),
  ];
  try {
    for (const db of engines) await prepareEngine(db);
    const levels = [...new Set([concurrency, 1])];
    const cases = ENGINE_OPS.flatMap((op) => levels.map((callers) => ({ op, callers })));
    for (const db of engines) for (const { op, callers } of cases) await measureOp(db, op, Math.min(ops, warmup), callers);
    const results = cases.map(() => engines.map(() => [] as MeasuredDrive[]));
    for (let r = 1; r <= rounds; r++) {
      for (const [c, { op, callers }] of cases.entries()) {
        for (const [e, db] of engines.entries()) results[c]![e]!.push(await measureOp(db, op, ops, callers));
      }
    }
    const rate = (m: MeasuredDrive) => m.done / m.seconds;
    console.log(`\n### PGlite (in memory) vs PostgreSQL (${ops} ops per round, median of ${rounds} rounds)\n`);
    markdownTable(
      ['operation', 'callers', 'PostgreSQL ops/s', 'PGlite ops/s', 'PGlite/PostgreSQL', 'PG client CPU µs/op', 'PGlite CPU µs/op', 'PG p50 ms', 'PGlite p50 ms'],
      cases.map(({ op, callers }, c) => {
        const [pgRun, liteRun] = results[c]!.map((rows) => medianBy(rows, rate)) as [MeasuredDrive, MeasuredDrive];
        return [
          op.name,
          String(callers),
          rate(pgRun).toFixed(0),
          rate(liteRun).toFixed(0),
          ratio(rate(liteRun), rate(pgRun)),
          (pgRun.cpuUs / pgRun.done).toFixed(0),
          (liteRun.cpuUs / liteRun.done).toFixed(0),
          pgRun.p50.toFixed(2),
          liteRun.p50.toFixed(2),
        ];
      }),
    );
    console.log('\nPGlite runs in this process, one statement at a time: its CPU column is the whole database; the PostgreSQL column is the client only.');
  } finally {
    for (const db of engines) await db.close();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log(
    `run ${run}: ${concurrency} concurrent callers, ${rounds} rounds after a warm-up of ${warmup}; ` +
      `${writes} writes per outbox round, ${ops} ops per engine round (Node ${process.version})\n`,
  );
  const scratch = await createScratchDatabase();
  try {
    // One connection more than the writers: the relay's pass holds one while it forwards.
    const db = await openDatabase({ engine: 'pg', name: 'bench', url: scratch.url, poolSize: concurrency + 1, logger });
    try {
      await db.query(ORDERS_DDL);
      if (parts.includes('outbox')) await outboxPart(db);
    } finally {
      await db.close();
    }
    if (parts.includes('engines')) await enginesPart(scratch.url);
  } finally {
    await scratch.drop();
  }
  console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
