// The runtime is consumed as TypeScript source (`meshspec/runtime` points at runtime/index.ts), so a
// project's compiler options apply to it as much as to generated code. With every strictness flag a
// careful team turns on (test/support/typecheck.ts, consumerOptions), the runtime, the example's
// generated code and its hooks type-check without a single diagnostic.
import { describe, expect, it } from 'vitest';
import { tsFilesIn, typecheckAsConsumer } from '../../support/typecheck.js';

describe('a consumer with the strictest compiler options', () => {
  it('type-checks the runtime, the generated example and its hooks', () => {
    expect(typecheckAsConsumer(['runtime/index.ts', ...tsFilesIn('generated', 'hooks')])).toEqual([]);
  });

  it('reports what those options forbid (so the clean run above means something)', () => {
    const diagnostics = typecheckAsConsumer(['test/integration/typescript/fixtures/strict-consumer.ts']);
    expect(diagnostics.map((d) => d.split(' ', 1)[0])).toEqual([
      'test/integration/typescript/fixtures/strict-consumer.ts:5:14',
      'test/integration/typescript/fixtures/strict-consumer.ts:8:25',
      'test/integration/typescript/fixtures/strict-consumer.ts:10:40',
    ]);
  });
});
