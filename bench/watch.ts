// The edit loop of `meshspec dev --watch` (issue #14): from saving a spec change that adds an
// endpoint to orders (with its hook, saved just before) to the first successful call of it through
// the gateway, on a copy of the example. One stack, several rounds, one new endpoint each; prints
// every round with where its time went (the reload line's steps) and the median. Goal: under 1 s.
//
//   npm run bench:watch -- [--rounds=7] [--warmup=2]
//
// The first rounds (--warmup, printed, not in the median) pay for the JIT compiling the generator's
// and the hook planner's code in the long-running process: the loop a developer lives in is the
// steady one after them.
// No assertions. The stack runs from the sources through tsx, on free ports, with its PGlite data in
// a temporary folder; the machine's load shows in the numbers.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { bannerUrl, start } from '../test/support/processes.js';
import { repoRoot, tempProject } from '../test/support/project.js';
import { SHOP_AUTH_ENV, shopApi } from '../test/support/shop-flow.js';
import { addCountEndpoint } from '../test/support/watch-edits.js';
import { arg, printTable } from './support.js';

const rounds = arg('rounds', 7);
const warmup = arg('warmup', 2);
const GOAL_MS = 1000;

const project = await tempProject('bench-watch');
const data = await mkdtemp(path.join(tmpdir(), 'meshspec-bench-watch-'));
const dev = start([path.join(repoRoot, 'bin/meshspec.js'), 'dev', '--watch', '--free-ports'], { ...SHOP_AUTH_ENV, MESH_DATA: data, LOG_LEVEL: 'warn' }, project.root);
try {
  await dev.waitFor(/^watching spec\/ and hooks\//m, 180_000);
  const api = await shopApi(`${bannerUrl(dev.output(), 'gateway')}/api/v1`);
  const lines: string[][] = [];
  const totals: number[] = [];
  for (let round = 1; round <= warmup + rounds; round++) {
    const name = `count${round}`;
    const mark = dev.output().length;
    const saved = performance.now();
    await addCountEndpoint(project.root, name);
    // Polled every 5 ms: the first 200 is when the change is served.
    for (;;) {
      const res = await fetch(`${api.base}/orders/${name}`, { headers: { authorization: `Bearer ${api.token}` } }).catch(() => null);
      if (res?.status === 200) break;
      await res?.arrayBuffer();
      if (performance.now() - saved > 60_000) throw new Error(`round ${round}: /orders/${name} not served after 60 s; output:\n${dev.output().slice(mark)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const total = performance.now() - saved;
    // The line comes once the gateway, if replaced, listens again: possibly after the first 200.
    const reloadLine = /^reloaded (.*) in (\d+) ms .*\[(.*)\]$/m;
    while (!reloadLine.test(dev.output().slice(mark)) && performance.now() - saved < 70_000) await new Promise((resolve) => setTimeout(resolve, 20));
    const line = reloadLine.exec(dev.output().slice(mark));
    if (round > warmup) totals.push(total);
    lines.push([round > warmup ? String(round) : `${round} (warm-up)`, String(Math.round(total)), line?.[2] ?? '?', line?.[1] ?? '?', line?.[3] ?? '?']);
  }
  printTable(['round', 'save->200 ms', 'reload ms', 'reloaded', 'steps (from the reload line)'], lines);
  const sorted = [...totals].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(`\nmedian save -> first 200 through the gateway: ${Math.round(median)} ms over ${rounds} rounds after ${warmup} warm-up (goal < ${GOAL_MS} ms); load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
} finally {
  await dev.stop('SIGINT');
  await rm(data, { recursive: true, force: true });
  await project.remove();
}
