// The proto half of `meshspec diff`: the real `buf breaking` (WIRE, no rpc deleted) on both specs' generated
// protos, its findings positioned in the new spec: at the field a message names, at the endpoint of
// an rpc's own message, else at the service's file.
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { SpecLocator } from '../../../generator/diff/index.js';
import { checkProtos, findBuf } from '../../../generator/diff/protos.js';
import { loadSpec } from '../../../generator/language/load.js';
import type { MeshModel } from '../../../generator/model/types.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { baseSpec, edited, writeSpec } from '../../support/diff-spec.js';

const folders: string[] = [];

afterAll(async () => {
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

async function compiled(files: Record<string, string>): Promise<{ model: MeshModel; locator: SpecLocator }> {
  const root = await writeSpec(files);
  folders.push(root);
  const { model, diagnostics } = await compileSpec('spec', root);
  if (!model) throw new Error(`the spec does not compile: ${JSON.stringify(diagnostics)}`);
  return { model, locator: new SpecLocator((await loadSpec('spec', root)).documents) };
}

async function protoFindings(edits: Parameters<typeof edited>[0]) {
  const before = await compiled(baseSpec);
  const after = await compiled(edited(edits));
  const check = await checkProtos(before.model, after.model, after.locator);
  if (!check.ran) throw new Error(check.reason);
  return check.findings.map((f) => `${f.classification} ${f.code} ${f.file}:${f.line}:${f.col}`);
}

describe('buf breaking on the generated protos', () => {
  it('finds buf in @bufbuild/buf', () => {
    expect(findBuf()).toMatch(/@bufbuild[/\\]buf[/\\]bin[/\\]buf$/);
  });

  it('finds nothing when the protos did not change', async () => {
    expect(await protoFindings([])).toEqual([]);
  });

  it('reports a field number changed at the field', async () => {
    const findings = await protoFindings([['services/users.yaml', '      name: { type: string, maxLength: 100, field: 2 }', '      name: { type: string, maxLength: 100, field: 5 }']]);
    expect(findings).toEqual(['breaking proto-field-no-delete-unless-number-reserved spec/services/users.yaml:7:7']);
  });

  it('accepts a removed field whose number is reserved (the hint the model diff gives)', async () => {
    const removed: Parameters<typeof edited>[0] = [['services/users.yaml', '      age: { type: integer, minimum: 0, optional: true, field: 3 }\n      status', '      status']];
    expect(await protoFindings([...removed])).toEqual(['breaking proto-field-no-delete-unless-number-reserved spec/services/users.yaml:5:5']);
    expect(await protoFindings([...removed, ['services/users.yaml', 'reserved: [9]', 'reserved: [3, 9]']])).toEqual([]);
  });

  it('reports a field type changed, and an rpc removed at the service file', async () => {
    expect(await protoFindings([['services/users.yaml', '      id: { type: string, field: 1 }', '      id: { type: integer, field: 1 }']]))
      .toContain('breaking proto-field-wire-compatible-type spec/services/users.yaml:6:7');
    const removed = await protoFindings([['services/users.yaml', '  getUser:\n    http: GET /users/{id}\n    output: User\n    errors: [NotFound]\n', '']]);
    expect(removed).toContain('breaking proto-rpc-no-delete spec/services/users.yaml:1:1');
  });
});
