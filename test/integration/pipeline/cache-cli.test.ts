// The CLI with a warm cache: `generate` on unchanged input answers without loading ts-morph (nor the
// compiler), and still sees every change: a drifted output file fails `--check`, an edited hook file
// or a new endpoint is planned as without a cache, a corrupt stamp is ignored.
import { readdirSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../support/processes.js';
import { repoRoot, tempProject, type TempProject } from '../../support/project.js';

let project: TempProject;
const probe = path.join(repoRoot, 'test/support/module-probe.cjs');

/** Runs `meshspec` in the project; resolves with its exit code, its output, and the ts-morph modules it loaded. */
async function meshspec(...args: string[]): Promise<{ code: number | null; output: string; tsMorph: string[] }> {
  const report = project.file(`probe-${process.hrtime.bigint()}.json`);
  const child = start(['--require', probe, path.join(repoRoot, 'bin/meshspec.js'), ...args], { MESHSPEC_PROBE_OUT: report }, project.root);
  const code = await child.exited;
  const tsMorph = JSON.parse(await readFile(report, 'utf8')) as string[];
  await rm(report);
  return { code, output: child.output(), tsMorph };
}

// The example's output, as checked in: every file in generated/ is meshspec's.
const outputFiles = readdirSync(path.join(repoRoot, 'generated'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
const unchanged = new RegExp(`generated: ${outputFiles} files \\(\\d+ lines\\); 0 created, 0 updated, 0 removed, ${outputFiles} unchanged`);

beforeAll(async () => {
  project = await tempProject('cache-cli');
  await mkdir(project.file('node_modules'));
});
afterAll(async () => {
  await project.remove();
});

describe('generate with a warm cache', () => {
  it('loads ts-morph for hook files it has no verdict on, then never again while nothing changes', async () => {
    // The probe sees ts-morph when it is loaded: a cold run must read the existing hook files.
    const cold = await meshspec('generate');
    expect(cold.code).toBe(0);
    expect(cold.tsMorph.length).toBeGreaterThan(0);

    const warm = await meshspec('generate');
    expect(warm.code).toBe(0);
    expect(warm.output).toMatch(unchanged);
    expect(warm.tsMorph).toEqual([]);
    const check = await meshspec('generate', '--check');
    expect([check.code, check.tsMorph]).toEqual([0, []]);
    expect(check.output).toContain(`generated: up to date (${outputFiles} files`);
  });

  it('compiles a changed spec without ts-morph when the change asks nothing new of the hook files', async () => {
    const spec = project.file('spec/services/users.yaml');
    const text = await readFile(spec, 'utf8');
    expect(text).toContain('  replicas: 2\n');
    await writeFile(spec, text.replace('  replicas: 2\n', '  replicas: 3\n'));
    const run = await meshspec('generate');
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/; 0 created, [1-9]\d* updated, 0 removed/);
    expect(run.tsMorph).toEqual([]);
  });

  it('fails `--check` on a drifted or a foreign file in the output folder', async () => {
    const file = project.file('generated/users/types.ts');
    const original = await readFile(file, 'utf8');
    await writeFile(file, `${original}// edited\n`);
    const drifted = await meshspec('generate', '--check');
    expect(drifted.code).toBe(1);
    expect(drifted.output).toContain('differs:  generated/users/types.ts');
    await writeFile(file, original);

    await writeFile(project.file('generated/notes.txt'), 'mine\n');
    const foreign = await meshspec('generate', '--check');
    expect(foreign.code).toBe(1);
    expect(foreign.output).toContain('foreign:  generated/notes.txt');
    await rm(project.file('generated/notes.txt'));
    expect((await meshspec('generate', '--check')).code).toBe(0);
  });

  it('plans an edited hook file again: a method deleted by hand comes back as a stub', async () => {
    const file = project.file('hooks/users.ts');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/\n  async listUsers\([^)]*\) \{\n[^]*?\n  \},\n/, '\n'));
    const run = await meshspec('generate');
    expect(run.code).toBe(0);
    expect(run.output).toContain('hooks    hooks/users.ts: added stub for endpoint `listUsers`');
    expect(await readFile(file, 'utf8')).toMatch(/async listUsers\(_input, _ctx\) \{\s*throw new NotImplemented\('users\.listUsers'\);/);
  });

  it('adds the stub of a new endpoint, and ignores a corrupt stamp', async () => {
    const spec = project.file('spec/services/users.yaml');
    await writeFile(spec, (await readFile(spec, 'utf8')).replace('  listUsers:', '  countUsers:\n    http: GET /users/count\n  listUsers:'));
    const cacheDir = project.file('node_modules/.cache/meshspec');
    for (const name of await readdir(cacheDir)) if (name.startsWith('stamp-')) await writeFile(path.join(cacheDir, name), '{"format": 1, "inp');
    const run = await meshspec('generate');
    expect(run.code).toBe(0);
    expect(run.output).toContain('hooks    hooks/users.ts: added stub for endpoint `countUsers`');
    expect(await readFile(project.file('generated/users/handlers.ts'), 'utf8')).toContain('countUsers(');
    expect(await readFile(project.file('hooks/users.ts'), 'utf8')).toContain('async countUsers(_input, _ctx)');
  });
});
