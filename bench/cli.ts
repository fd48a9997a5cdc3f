// How fast `meshspec generate` answers, as a whole process (issue #6: "a CLI that answers at once").
// Builds once, then times, several runs each, `generate` on the unchanged example, on an unchanged
// synthetic mesh of many services, and on that mesh cold (no generated/, no cache; the hooks exist,
// as in a fresh clone), for the built CLI and, beside it, for the sources through tsx; and, besides
// the goals, the same mesh after an edit to a service's description (the edit-regenerate loop).
//
//   npm run bench:cli -- [--runs=5] [--services=100] [--no-build]
//
// No assertions: it prints a table (median and fastest run) next to the goals. The machine's load
// shows in the numbers; compare the columns of one table, and rerun on a quiet machine to judge goals.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { builtCli, run, sourceCli, type Cli } from './cli/commands.js';
import { exampleProject, repoRoot, syntheticProject, type BenchProject } from './cli/projects.js';
import { arg, printTable, ratio } from './support.js';

const runs = arg('runs', 5);
const services = arg('services', 100);

interface Scenario {
  name: string;
  goalMs: number;
  create(): Promise<BenchProject>;
  /** Once per project, untimed: bring it to the state the timed runs start from. */
  setup(cli: Cli, project: BenchProject): Promise<void>;
  /** Before each timed run, untimed. */
  before(project: BenchProject): Promise<void>;
  /** What the run must have printed, so that a scenario cannot silently measure something else. */
  expect: RegExp;
}

const generate = ['generate'];
// Twice: the first run creates what is missing, the second records the hook verdicts of files it left alone.
const warm = async (cli: Cli, p: BenchProject) => void [run(cli, p.root, generate), run(cli, p.root, generate)];
const unchanged = / 0 created, 0 updated, 0 removed, \d+ unchanged/;

const scenarios: Scenario[] = [
  { name: 'unchanged example', goalMs: 300, create: exampleProject, setup: warm, before: async () => {}, expect: unchanged },
  { name: `unchanged ${services}-service spec`, goalMs: 1000, create: () => syntheticProject(services), setup: warm, before: async () => {}, expect: unchanged },
  {
    // Not a goal of the issue: the edit-and-regenerate loop, where the hook verdicts spare ts-morph.
    name: `${services}-service spec, a description edited`,
    goalMs: 0,
    create: () => syntheticProject(services),
    setup: warm,
    before: (p) => p.editSpec(),
    expect: /; 0 created, [1-9]\d* updated, 0 removed/,
  },
  {
    name: `cold ${services}-service spec`,
    goalMs: 2000,
    create: () => syntheticProject(services),
    setup: async (cli, p) => void run(cli, p.root, generate),
    before: (p) => p.makeCold(),
    expect: /; [1-9]\d* created, 0 updated, 0 removed, 0 unchanged/,
  },
];

function build(): void {
  if (process.argv.includes('--no-build')) return;
  console.log('building dist/ (npm run build)...');
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build.js')], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the build failed');
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Every run's time (ms) for each CLI, the CLIs interleaved run by run so that drifting load hits both alike. */
async function measure(scenario: Scenario, clis: Cli[]): Promise<number[][]> {
  const projects = await Promise.all(clis.map(() => scenario.create()));
  try {
    for (const [i, cli] of clis.entries()) await scenario.setup(cli, projects[i]!);
    const times: number[][] = clis.map(() => []);
    for (let r = 0; r < runs; r++) {
      for (const [i, cli] of clis.entries()) {
        await scenario.before(projects[i]!);
        const { ms, stdout } = run(cli, projects[i]!.root, generate);
        if (!scenario.expect.test(stdout)) throw new Error(`${scenario.name}, ${cli.label}: unexpected output\n${stdout}`);
        times[i]!.push(ms);
      }
    }
    return times;
  } finally {
    await Promise.all(projects.map((p) => p.remove()));
  }
}

build();
const load = loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`\n${runs} runs each; ${cpus().length} cores, load average ${load} at start; node ${process.version}\n`);
const rows: string[][] = [];
for (const scenario of scenarios) {
  const [built, source] = await measure(scenario, [builtCli, sourceCli]);
  rows.push([
    scenario.name,
    scenario.goalMs > 0 ? seconds(scenario.goalMs) : '-',
    seconds(median(built!)),
    seconds(Math.min(...built!)),
    seconds(median(source!)),
    seconds(Math.min(...source!)),
    ratio(median(source!), median(built!)),
  ]);
}
printTable(['generate on', 'goal', 'built median', 'built min', 'tsx median', 'tsx min', 'tsx/built'], rows);
console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
