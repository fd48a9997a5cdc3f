// The classifier of `meshspec diff` on a table of spec edits: each edit of the base spec must produce
// exactly its findings (classification, code, position in the new spec), and the hints that say what
// to do instead.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffModels } from '../../../generator/diff/index.js';
import { loadSpec } from '../../../generator/language/load.js';
import type { MeshModel } from '../../../generator/model/types.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { baseSpec, edited, writeSpec } from '../../support/diff-spec.js';
import { cases } from './cases.js';

const folders: string[] = [];
let before: MeshModel;

beforeAll(async () => {
  const root = await writeSpec(baseSpec);
  folders.push(root);
  const compiled = await compileSpec('spec', root);
  if (!compiled.model) throw new Error(`the base spec does not compile: ${JSON.stringify(compiled.diagnostics)}`);
  before = compiled.model;
});

afterAll(async () => {
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

async function findingsOf(edits: Parameters<typeof edited>[0]) {
  const root = await writeSpec(edited(edits));
  folders.push(root);
  const compiled = await compileSpec('spec', root);
  if (!compiled.model) throw new Error(`the edited spec does not compile: ${JSON.stringify(compiled.diagnostics)}`);
  return diffModels(before, compiled.model, (await loadSpec('spec', root)).documents);
}

describe('meshspec diff: the classification of spec edits', () => {
  it('has the table the issue asks for: at least 30 edits, breaking, warning and safe ones', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const all = cases.flatMap((c) => c.findings.map((f) => f.split(' ')[0]));
    for (const classification of ['breaking', 'warning', 'safe']) expect(all).toContain(classification);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const findings = await findingsOf(c.edits);
    const shown = findings.map((f) => `${f.classification} ${f.code} ${f.file.replace(/^spec\//, '')}:${f.line}:${f.col}`);
    expect(shown).toEqual(c.findings);
    for (const f of findings) {
      expect(f.message.length).toBeGreaterThan(10);
      // Every break says what to do instead.
      if (f.classification !== 'safe') expect(f.hint, f.code).toBeTruthy();
    }
    if (c.hint !== undefined) expect(findings[0]?.hint).toContain(c.hint);
  });
});
