// `generate --check` with a file in the output folder that meshspec did not write (no header):
// `generate` leaves such a file alone, so the check must not advise running it. It fails (the
// output folder should hold only what the spec produces) and says what does work: move or delete it.
import { rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meshspecIn } from '../../support/processes.js';
import { tempProject, type TempProject } from '../../support/project.js';

let project: TempProject;

beforeAll(async () => {
  project = await tempProject('check-foreign');
  expect(await meshspecIn(project.root, 'generate').exited).toBe(0);
});
afterAll(async () => {
  await project.remove();
});

describe('generate --check and a foreign file in the output folder', () => {
  it('fails naming the file, and advises moving or deleting it, not running generate', async () => {
    await writeFile(project.file('generated/NOTES.md'), 'my notes\n');
    const check = meshspecIn(project.root, 'generate', '--check');
    expect(await check.exited).toBe(1);
    expect(check.output()).toMatch(/^foreign: +generated\/NOTES\.md \(not written by meshspec\)$/m);
    expect(check.output()).toContain('move or delete it');
    expect(check.output()).not.toContain('run `meshspec generate`');
  });

  it('is still failing after `meshspec generate` (which leaves the file alone), and passes once the file is gone', async () => {
    const generate = meshspecIn(project.root, 'generate');
    expect(await generate.exited).toBe(0);
    expect(generate.output()).toMatch(/warning: generated\/NOTES\.md .*not written by meshspec.*--check/);
    expect(await project.read('generated/NOTES.md')).toBe('my notes\n');
    expect(await meshspecIn(project.root, 'generate', '--check').exited).toBe(1);

    await rm(project.file('generated/NOTES.md'));
    const check = meshspecIn(project.root, 'generate', '--check');
    expect(await check.exited).toBe(0);
    expect(check.output()).toMatch(/generated: up to date/);
  });

  it('gives each kind of problem its own advice when drift and foreign files come together', async () => {
    await writeFile(project.file('generated/NOTES.md'), 'my notes\n');
    await rm(project.file('generated/users/errors.ts'));
    try {
      const check = meshspecIn(project.root, 'generate', '--check');
      expect(await check.exited).toBe(1);
      const output = check.output();
      expect(output).toMatch(/^missing: +generated\/users\/errors\.ts$/m);
      expect(output).toMatch(/^1 file out of date: run `meshspec generate`$/m);
      expect(output).toMatch(/^1 file in generated was not written by meshspec: move or delete it/m);
    } finally {
      await rm(project.file('generated/NOTES.md'));
      expect(await meshspecIn(project.root, 'generate').exited).toBe(0);
    }
  });
});
