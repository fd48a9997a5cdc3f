// The emitted protos against the real `buf` binary: STANDARD lint with no findings, they compile,
// and `buf format` would not change them.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSpec } from '../../../generator/pipeline.js';
import type { MeshModel } from '../../../generator/model/types.js';
import { bufIn } from '../../support/buf.js';
import { fixtureModel } from '../../unit/proto/model-fixture.js';
import { writeProtos } from './write-protos.js';

const folders: string[] = [];

afterAll(async () => {
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

async function protoDirOf(model: MeshModel): Promise<string> {
  const out = await writeProtos(model);
  folders.push(out);
  return join(out, 'proto');
}

async function exampleModel(): Promise<MeshModel> {
  const { model, diagnostics } = await compileSpec('spec');
  if (!model) throw new Error(`the example spec does not compile: ${JSON.stringify(diagnostics)}`);
  return model;
}

describe('buf on the emitted protos', () => {
  it.each([
    ['the example spec', exampleModel],
    ['the hand-built model', async () => fixtureModel()],
  ])('%s: lint STANDARD is clean, build succeeds, format is a no-op', async (_name, load) => {
    const dir = await protoDirOf(await load());
    expect(await bufIn(dir, ['lint'])).toEqual({ code: 0, output: '' });
    expect(await bufIn(dir, ['build'])).toEqual({ code: 0, output: '' });
    expect(await bufIn(dir, ['format', '--diff', '--exit-code'])).toEqual({ code: 0, output: '' });
  });

  it('reports findings (so a clean run above means something)', async () => {
    const model = fixtureModel();
    // A snake_case enum name breaks ENUM_PASCAL_CASE.
    model.types.push({ kind: 'enum', name: 'status_kind', owner: null, values: ['a'], inline: false, source: { file: 'mesh.yaml', line: 1, col: 1 } });
    // Only types an rpc reaches are emitted: give the enum a field of a reachable record.
    const item = model.types.find((t) => t.name === 'Item');
    if (item?.kind !== 'record') throw new Error('the fixture has no Item record');
    item.fields.push({ name: 'statusKind', number: 30, optional: true, type: { kind: 'ref', name: 'status_kind' }, constraints: {} });
    const result = await bufIn(await protoDirOf(model), ['lint']);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('status_kind');
  });
});
