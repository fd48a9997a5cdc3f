// Golden error cases: each folder under test/golden/errors holds a broken spec and the exact
// diagnostics (file:line:col, code, message) meshspec must report for it, all of them at once.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSpec } from '../../../generator/pipeline.js';
import { formatDiagnostic } from '../../../generator/spec/diagnostics.js';

const root = path.resolve(import.meta.dirname, '../../golden/errors');
const cases = readdirSync(root).sort();

describe('golden error cases', () => {
  it('has the cases the issue asks for', () => {
    for (const name of ['bad-yaml', 'schema-violation', 'unknown-reference', 'duplicate-field-number', 'illegal-name', 'port-clash']) {
      expect(cases).toContain(name);
    }
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = path.join(root, name);
      const expected = readFileSync(path.join(dir, 'expected.txt'), 'utf8').trimEnd().split('\n');
      const result = await compileSpec('spec', dir);
      expect(result.model).toBeNull();
      expect(result.diagnostics.map(formatDiagnostic)).toEqual(expected);
    });
  }
});
