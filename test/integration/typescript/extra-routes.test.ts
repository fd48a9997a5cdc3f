// The HTTP binding and extra routes from spec to type-checked code: `http.binding` reaches the
// definition (written only for express), `http.extraRoutes` gives the service `<Svc>Routes` typed with
// its own context and wires the hook file's `routes` into the host: handwritten routes type-check,
// a route using an event the service does not publish or a method no route may answer is reported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHooksProject, type HooksProject } from '../../support/hooks-project.js';

const SPEC: Record<string, string> = {
  'spec/mesh.yaml': `mesh: depot
version: 1.0.0
runtime:
  http: { binding: express }
types:
  PaymentCompleted:
    fields:
      orderId: { type: string, field: 1 }
events:
  payment.completed: { payload: PaymentCompleted }
`,
  'spec/services/ledger.yaml': `service: ledger
ports: { http: 3401 }
http: { binding: node }
endpoints:
  getBalance: { http: "GET /balance" }
`,
  'spec/services/payments.yaml': `service: payments
ports: { http: 3402 }
http: { extraRoutes: true }
calls:
  ledger: {}
publishes: [payment.completed]
endpoints:
  getPayment: { http: "GET /payments/{id}" }
`,
};

const LEDGER_HOOKS = `import type { LedgerHandlers } from '../generated/ledger/handlers.js';

export const handlers: LedgerHandlers = {
  async getBalance() {},
};
`;

const PAYMENTS_HOOKS = `import type { PaymentsHandlers, PaymentsRoutes } from '../generated/payments/handlers.js';

export const handlers: PaymentsHandlers = {
  async getPayment() {},
};

export const routes: PaymentsRoutes = [
  {
    method: 'POST',
    path: '/webhooks/{provider}',
    async handle(req, res, params, ctx) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      await ctx.clients.ledger.getBalance({});
      await ctx.publish('payment.completed', { orderId: \`\${params.provider}:\${Buffer.concat(chunks).length}\` });
      res.writeHead(204).end();
    },
  },
];
`;

let project: HooksProject;
let generated: ReadonlyMap<string, string>;

beforeAll(async () => {
  project = await createHooksProject('extra-routes-', SPEC, { 'hooks/ledger.ts': LEDGER_HOOKS });
  generated = project.generated;
}, 60_000);

afterAll(() => project?.remove());

/** Diagnostics of the project's own files with `hooks` as hooks/payments.ts. */
const check = (hooks: string): string[] => project.check('hooks/payments.ts', hooks);

describe('HTTP bindings and extra routes in the generated TypeScript', () => {
  it("writes the binding into the definition only when it is express: the mesh's default, or the service's own", () => {
    expect(generated.get('payments/definition.ts')).toContain("\n  binding: 'express',\n");
    // ledger's own `node` wins over the mesh's express, and node is what a definition without a binding means.
    expect(generated.get('ledger/definition.ts')).not.toContain('binding');
  });

  it("types the routes with the service's own context and wires them into the host", () => {
    expect(generated.get('payments/handlers.ts')).toContain('export type PaymentsRoutes = ExtraRoutes<PaymentsContext>;');
    expect(generated.get('payments/host.ts')).toContain('routes: routes satisfies PaymentsRoutes,');
    expect(generated.get('payments/host.ts')).toMatch(/import \{ handlers, routes \} from '\.\.\/\.\.\/hooks\/payments\.js';/);
    for (const file of ['ledger/handlers.ts', 'ledger/host.ts']) expect(generated.get(file)).not.toMatch(/routes/i);
  });

  it('type-checks with handwritten routes that use the typed clients and publish', () => {
    expect(check(PAYMENTS_HOOKS)).toEqual([]);
  }, 60_000);

  it('reports a route that publishes an event the service does not publish', () => {
    const wrong = PAYMENTS_HOOKS.replace("ctx.publish('payment.completed', { orderId:", "ctx.publish('payment.refunded', { orderId:");
    expect(check(wrong)).toEqual([expect.stringMatching(/^hooks\/payments\.ts:\d+:\d+ .*payment\.refunded/s)]);
  }, 60_000);

  it('reports an unannotated routes list with a method no route may answer where the host wires it in', () => {
    const wrong = PAYMENTS_HOOKS.replace('export const routes: PaymentsRoutes = [', 'export const routes = [')
      .replace("method: 'POST',", "method: 'TRACE' as const,")
      .replace('async handle(req, res, params, ctx) {', 'async handle(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse, params: Record<string, string>) {')
      .replace(/ {6}await ctx\.[^\n]*\n/g, '');
    expect(wrong).not.toContain('ctx');
    // `satisfies` and the assignment to ServiceHostOptions both report it, both at the host's line.
    const found = check(wrong);
    expect(found.length).toBeGreaterThan(0);
    for (const diagnostic of found) expect(diagnostic).toMatch(/^generated\/payments\/host\.ts:\d+:\d+ .*TRACE/s);
  }, 60_000);
});
