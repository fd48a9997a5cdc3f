// The two ways the benchmark runs `meshspec`, each as a whole process timed by the wall clock: the
// built CLI (dist/, what an installed package runs) and this repository's sources through tsx.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './projects.js';

export interface Cli {
  label: string;
  /** The node arguments that run `meshspec` with `args`. */
  argv(args: string[]): string[];
}

const builtMain = pathToFileURL(path.join(repoRoot, 'dist/generator/cli/main.js')).href;

/** dist/generator/cli/main.js, as bin/meshspec.js runs it in an installed package. */
export const builtCli: Cli = {
  label: 'built',
  argv: (args) => [
    '--input-type=module',
    '-e',
    `const { main } = await import(${JSON.stringify(builtMain)}); process.exitCode = await main(process.argv.slice(1));`,
    ...args,
  ],
};

/** bin/meshspec.js in this repository: the TypeScript sources through tsx. */
export const sourceCli: Cli = {
  label: 'source (tsx)',
  argv: (args) => [path.join(repoRoot, 'bin/meshspec.js'), ...args],
};

export interface Run {
  ms: number;
  stdout: string;
}

/** Runs the CLI in `cwd` and times the whole process; a failure stops the benchmark with its output. */
export function run(cli: Cli, cwd: string, args: string[]): Run {
  const started = performance.now();
  const result = spawnSync(process.execPath, cli.argv(args), { cwd, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(`${cli.label} \`meshspec ${args.join(' ')}\` in ${cwd} exited with ${result.status}:\n${result.stdout}${result.stderr}`);
  }
  return { ms, stdout: result.stdout };
}
