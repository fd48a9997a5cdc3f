// File snapshots of everything meshspec writes, per input spec: for every case folder here,
// `<case>/spec/` is compiled and rendered in memory (compileSpec, every emitter, new hook files;
// nothing is written to the repository) and each file is compared with `<case>/out/<path>` (the path
// a project would have it at, `generated/...` and `hooks/...` or the case's `layout.json`).
// A file the generator produces without a snapshot, or a snapshot it no longer produces, fails too.
// Regenerate after an intended change, then review the diff:  npx vitest run test/snapshots -u
import { readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectLayout, renderProject } from '../../generator/generate.js';
import { defaultLayout, type ProjectLayout } from '../../generator/naming/index.js';
import { compileSpec } from '../../generator/pipeline.js';

const here = import.meta.dirname;
const UPDATE = 'npx vitest run test/snapshots -u';

/** True under `vitest -u`: snapshots are rewritten, added and removed to match the generator. */
function updating(): boolean {
  return expect.getState().snapshotState.snapshotUpdateState === 'all';
}

/** Project-relative path -> content of every file meshspec would write for the case, in memory. */
async function render(caseDir: string): Promise<Map<string, string>> {
  const { model, diagnostics } = await compileSpec('spec', caseDir);
  if (!model) throw new Error(`${path.basename(caseDir)}: the spec does not compile:\n${diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n')}`);
  const { desired, hooks } = renderProject(model, layoutOf(caseDir), { read: () => undefined, list: () => [] });
  return new Map([...desired, ...hooks.writes].map((f) => [f.path, f.content]));
}

function layoutOf(caseDir: string): ProjectLayout {
  const file = path.join(caseDir, 'layout.json');
  if (!existsSync(file)) return defaultLayout;
  const { outDir, hooksDir } = JSON.parse(readFileSync(file, 'utf8')) as { outDir: string; hooksDir: string };
  return projectLayout(outDir, hooksDir);
}

/** Files below `dir`, relative to it, with `/`. */
function filesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** Removes a snapshot and the folders it leaves empty, up to the case's out/. */
function removeSnapshot(outDir: string, file: string): void {
  rmSync(path.join(outDir, file));
  for (let dir = path.dirname(path.join(outDir, file)); dir !== outDir && readdirSync(dir).length === 0; dir = path.dirname(dir)) rmSync(dir, { recursive: true });
}

const cases = readdirSync(here, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(path.join(here, e.name, 'spec')))
  .map((e) => e.name)
  .sort();

describe('file snapshots', () => {
  it('has the cases it is meant to have (so an empty folder cannot pass)', () => {
    expect(cases).toEqual(expect.arrayContaining(['gateway-security', 'groups', 'layout', 'minimal', 'scopes']));
  });
});

for (const name of cases) {
  const caseDir = path.join(here, name);
  const outDir = path.join(caseDir, 'out');
  const files = await render(caseDir);

  describe(`snapshot case ${name}`, () => {
    it('produces exactly the files it has snapshots of', () => {
      const snapshots = filesIn(outDir);
      const stale = snapshots.filter((f) => !files.has(f));
      const unsnapshotted = [...files.keys()].filter((f) => !snapshots.includes(f)).sort();
      if (updating()) {
        for (const file of stale) removeSnapshot(outDir, file);
        return; // the new ones are written by their own tests below
      }
      expect(
        { 'produced without a snapshot': unsnapshotted, 'snapshot no longer produced': stale },
        `${name}: the generated files changed; if that is intended run \`${UPDATE}\` and review the diff`,
      ).toEqual({ 'produced without a snapshot': [], 'snapshot no longer produced': [] });
    });

    for (const [file, content] of files) {
      it(file, async () => {
        const snapshot = path.join(outDir, file);
        // Vitest writes a missing file snapshot unless told not to; here only -u may add one.
        if (!updating() && !existsSync(snapshot)) expect.fail(`${name}: no snapshot of ${file}; if the file is intended run \`${UPDATE}\``);
        await expect(content).toMatchFileSnapshot(snapshot);
      });
    }
  });
}
