// A rollout of an event a choreographed saga's owner or compensations read: they have no upgrade
// hook, so the spec is warned where the rollout is declared (it still compiles).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../generator/language/diagnostics.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { repoRoot } from '../../support/project.js';

const dir = mkdtempSync(path.join(tmpdir(), 'meshspec-event-versions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('event versions read by a choreographed saga', () => {
  it("warns at `accepts` when the saga's owner starts on the event or a compensation runs on it", async () => {
    cpSync(path.join(repoRoot, 'test/fixtures/choreography/spec'), path.join(dir, 'spec'), { recursive: true });
    const mesh = path.join(dir, 'spec/mesh.yaml');
    const text = readFileSync(mesh, 'utf8')
      .replace('  order.created: { payload: OrderCreated, description: An order was placed; the fulfilOrder saga starts. }', '  order.created: { payload: OrderCreated, version: 2, accepts: { 1: { payload: OrderCreated } } }')
      .replace('  stock.failed: { payload: StepFailed }', '  stock.failed: { payload: StepFailed, version: 2, accepts: { 1: { payload: StepFailed } } }');
    writeFileSync(mesh, text);
    const result = await compileSpec('spec', dir);
    expect(result.model).not.toBeNull();
    const warnings = result.diagnostics.filter((d) => d.code === 'accepted-version-in-saga').map(formatDiagnostic);
    expect(warnings).toEqual([
      expect.stringMatching(/^spec\/mesh\.yaml:4:\d+: warning accepted-version-in-saga: saga `fulfilOrder` of `orders` starts on it: a saga's owner and its compensations read only the current version of `order.created`/),
      expect.stringMatching(/^spec\/mesh\.yaml:8:\d+: warning accepted-version-in-saga: saga `fulfilOrder` of `orders` compensates on it: .* `stock.failed` .*change its payload once the sagas in flight have ended$/),
    ]);
  });
});
