// `promtool check metrics` (Debian's prometheus package) on a /metrics text. Where promtool is not
// installed the check is skipped, except under CI=true, where a missing promtool fails the test
// (.ci/run installs it).
import { spawnSync } from 'node:child_process';

/** The promtool binary on PATH, or null. */
export function promtoolPath(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

/**
 * What `promtool check metrics` says about `text`: its exit status and output (lint problems).
 *
 * @param text - a Prometheus text exposition
 * @throws Error when promtool is missing
 * @example
 * expect(checkMetrics(await (await fetch(url + '/metrics')).text())).toEqual({ status: 0, output: '' });
 */
export function checkMetrics(text: string): { status: number | null; output: string } {
  const promtool = promtoolPath();
  if (!promtool) throw new Error('promtool is not installed: apt-get install prometheus (Debian), or run .ci/run');
  const run = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

/** True when the promtool check runs here: promtool is installed, or CI=true (where its absence must fail). */
export function promtoolRequired(): boolean {
  return process.env['CI'] === 'true' || promtoolPath() !== null;
}
