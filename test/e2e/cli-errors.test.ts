// Mistakes a user can make, seen from the command line: a clear message and a non-zero exit, never
// a stack trace, and nothing written.
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempProject, type TempProject } from '../support/project.js';
import { meshspecIn } from '../support/processes.js';

let project: TempProject;
const STACK_FRAME = /\n\s+at .+:\d+:\d+\)?\n/;

beforeAll(async () => {
  project = await tempProject('cli-errors');
  expect(await meshspecIn(project.root, 'generate').exited).toBe(0);
});
afterAll(async () => {
  await project.remove();
});

describe('the CLI on user errors', () => {
  it('reports a typo in a reference with file:line:col and a suggestion, exits 1 and writes nothing', async () => {
    const before = await project.snapshot('generated');
    const file = project.file('spec/services/orders.yaml');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('input: CreateOrder\n', 'input: CreateOrdr\n'));
    try {
      const run = meshspecIn(project.root, 'generate');
      expect(await run.exited).toBe(1);
      expect(run.output()).toMatch(/^spec\/services\/orders\.yaml:\d+:\d+: error unknown-type: type `CreateOrdr` is not declared; did you mean `CreateOrder`\?$/m);
      expect(run.output()).toContain('nothing was written');
      expect(await project.snapshot('generated')).toEqual(before);
    } finally {
      await writeFile(file, original);
    }
  });

  it('answers a wrong flag with usage and exit 2', async () => {
    const run = meshspecIn(project.root, 'generate', '--output', 'x');
    expect(await run.exited).toBe(2);
    expect(run.output()).toMatch(/Unknown option '--output'/);
    expect(run.output()).toContain('Usage: meshspec generate');
  });

  it('reports a hook that does not load as the user\'s error, with its place, and exits 1', async () => {
    const hook = project.file('hooks/payments.ts');
    const original = await readFile(hook, 'utf8');
    await appendFile(hook, '\nthrow new Error(\'PAYMENTS_KEY is not set\');\n');
    try {
      const run = meshspecIn(project.root, 'dev');
      expect(await run.exited).toBe(1);
      expect(run.output()).toMatch(/cannot load the stack .*PAYMENTS_KEY is not set\nat .*hooks\/payments\.ts:\d+:\d+/);
      expect(run.output()).not.toContain('internal error');
      expect(run.output()).not.toMatch(STACK_FRAME);
    } finally {
      await writeFile(hook, original);
    }
  }, 60_000);
});
