// Readiness checks from spec to type-checked code: `health.checks` gives `<Svc>HealthChecks` (one
// `(ctx) => Promise<void>` per check, the context with `db` for a service with storage), the
// definition carries each check's timeout and criticality with the defaults applied, the host wires
// the hook file's `healthChecks` in with `satisfies`; the stubs the planner writes type-check, and so
// do written checks, while a missing one is reported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHookFile } from '../../../generator/hooks/create.js';
import { createHooksProject, type HooksProject } from '../../support/hooks-project.js';

const SPEC: Record<string, string> = {
  'spec/mesh.yaml': 'mesh: depot\nversion: 1.0.0\n',
  'spec/services/orders.yaml': `service: orders
ports: { http: 3302 }
health:
  checks:
    ledger: { timeout: 500ms, description: The ledger file system is writable. }
    cache: { timeout: 200ms, critical: false }
endpoints:
  getLine: { http: "GET /lines/{id}" }
`,
};

const ORDERS_HOOKS = `import { access, constants } from 'node:fs/promises';
import type { OrdersHandlers, OrdersHealthChecks } from '../generated/orders/handlers.js';

export const handlers: OrdersHandlers = {
  async getLine() {},
};

export const healthChecks: OrdersHealthChecks = {
  async ledger(ctx) {
    await access('.', constants.W_OK);
    ctx.logger.debug('ledger writable');
  },
  async cache(ctx) {
    if (ctx.signal.aborted) throw new Error('gave up');
  },
};
`;

let project: HooksProject;

beforeAll(async () => {
  project = await createHooksProject('health-checks-', SPEC, {});
}, 60_000);

afterAll(() => project?.remove());

describe('readiness checks in the generated TypeScript', () => {
  it('types each check and says its timeout and whether it is critical', () => {
    const handlers = project.generated.get('orders/handlers.ts')!;
    expect(handlers).toContain("import type { HandlerContext, HealthCheckContext } from 'meshspec/runtime';");
    expect(handlers).toContain('export interface OrdersHealthChecks {');
    expect(handlers).toContain(
      ['  /**', '   * The ledger file system is writable.', '   * Times out after 500ms; critical: failing makes the service not ready (503).', '   */', '  ledger(ctx: HealthCheckContext): Promise<void>;'].join('\n'),
    );
    expect(handlers).toContain('Times out after 200ms; not critical: failing only degrades it.');
  });

  it('puts the checks in the definition and wires the hooks in the host', () => {
    const definition = project.generated.get('orders/definition.ts')!.replace(/\s+/g, ' ');
    expect(definition).toContain("healthChecks: [ { name: 'cache', timeoutMs: 200, critical: false }, { name: 'ledger', timeoutMs: 500, critical: true }, ]");
    expect(project.generated.get('orders/host.ts')).toContain('healthChecks: healthChecks satisfies OrdersHealthChecks,');
  });

  it('type-checks the hook file the planner creates, and written checks', () => {
    const orders = project.model.services.find((s) => s.name === 'orders')!;
    expect(project.check('hooks/orders.ts', createHookFile(project.model, orders, '../generated'))).toEqual([]);
    expect(project.check('hooks/orders.ts', ORDERS_HOOKS)).toEqual([]);
  }, 60_000);

  it('reports a declared check the hook file lacks where the host wires it in', () => {
    const lacking = ORDERS_HOOKS.replace('export const healthChecks: OrdersHealthChecks =', 'export const healthChecks =').replace(/  async cache\(ctx\) \{\n.*\n  \},\n/, '').replace('async ledger(ctx)', 'async ledger(ctx: { logger: { debug(message: string): void } })');
    expect(lacking).not.toContain('cache');
    expect(project.check('hooks/orders.ts', lacking)).toEqual([expect.stringMatching(/^generated\/orders\/host\.ts:\d+:\d+ .*cache/s)]);
  }, 60_000);
});
