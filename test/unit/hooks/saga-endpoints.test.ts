// Endpoints that start a saga or answer its status have no hook: the runtime answers them from the
// saga's log, so the hook planner writes no stub for them (a stub would be dead code the user keeps).
import { describe, expect, it } from 'vitest';
import { planHooks } from '../../../generator/hooks/index.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { repoRoot } from '../../support/project.js';
import { memoryOptions } from './model.js';

describe('planHooks: saga endpoints', () => {
  it('stubs the hooked endpoints only, and counts them so', async () => {
    const { model, diagnostics } = await compileSpec('test/fixtures/sagas/spec', repoRoot);
    if (!model) throw new Error(`test/fixtures/sagas does not compile: ${JSON.stringify(diagnostics)}`);
    const plan = planHooks(model, memoryOptions({}));
    const orders = plan.writes.find((w) => w.path === 'hooks/orders.ts')?.content ?? '';
    expect(orders).toContain('async createOrder(');
    expect(orders).not.toMatch(/placeOrder|getPlacement/);
    expect(plan.changes).toContain('hooks/orders.ts: created with stubs for 1 endpoint(s)');
  });
});
