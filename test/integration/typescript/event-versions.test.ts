// Event versions from spec to type-checked code: an event at version 2 that still accepts version 1
// gives its subscriber a `<Svc>Upgrades` interface (v1 payload in, v2 payload out), the catalog and
// the definition carry the accepted version and the upgrade hook's name, the host wires `upgrades`
// in with `satisfies`, and the hook planner adds the upgrade stub once, leaving the user's code as it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planHooks } from '../../../generator/hooks/index.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { createHooksProject, type HooksProject } from '../../support/hooks-project.js';
import { memoryOptions } from '../../unit/hooks/model.js';

const SPEC: Record<string, string> = {
  'spec/mesh.yaml': `mesh: shop
version: 1.0.0
types:
  OrderCreated:
    fields:
      orderId: { type: string, field: 1 }
      amount: { type: number, field: 2 }
  OrderCreatedV2:
    fields:
      orderId: { type: string, field: 1 }
      amount: { type: number, field: 2 }
      currency: { type: string, field: 3 }
events:
  order.created:
    payload: OrderCreatedV2
    version: 2
    accepts:
      1: { payload: OrderCreated }
`,
  'spec/services/orders.yaml': `service: orders
ports: { http: 3302 }
endpoints:
  createOrder: { http: POST /orders, input: OrderCreatedV2, output: OrderCreatedV2, emits: [order.created] }
`,
  'spec/services/mailer.yaml': `service: mailer
ports: { http: 3303 }
subscribes:
  order.created: confirmOrder
`,
};

const ORDERS_HOOKS = `import type { OrdersHandlers } from '../generated/orders/handlers.js';

export const handlers: OrdersHandlers = {
  async createOrder(input, ctx) {
    await ctx.publish('order.created', input);
    return input;
  },
};
`;

const MAILER_HOOKS = `import type { MailerHandlers, MailerSubscriptions, MailerUpgrades } from '../generated/mailer/handlers.js';

export const handlers: MailerHandlers = {};

export const subscriptions: MailerSubscriptions = {
  async confirmOrder(event, ctx) {
    ctx.logger.info({ version: ctx.event.version }, \`order \${event.orderId}: \${event.amount} \${event.currency}\`);
  },
};

export const upgrades: MailerUpgrades = {
  async orderCreatedFromV1(event) {
    return { ...event, currency: 'EUR' };
  },
};
`;

let project: HooksProject;
let generated: ReadonlyMap<string, string>;

beforeAll(async () => {
  project = await createHooksProject('event-versions-', SPEC, { 'hooks/orders.ts': ORDERS_HOOKS });
  generated = project.generated;
}, 60_000);

afterAll(() => project?.remove());

const check = (hooks: string): string[] => project.check('hooks/mailer.ts', hooks);
const flat = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ');

describe('event versions in the generated TypeScript', () => {
  it('types one upgrade per accepted version, from its payload to the current one', () => {
    const handlers = generated.get('mailer/handlers.ts')!;
    expect(handlers).toContain("import type { OrderCreated, OrderCreatedV2 } from '../types.js';");
    expect(handlers).toContain('orderCreatedFromV1(event: OrderCreated, ctx: MailerEventContext): Promise<OrderCreatedV2>;');
    expect(handlers).toContain('confirmOrder(event: OrderCreatedV2, ctx: MailerEventContext): Promise<void>;');
    // The publisher publishes the current version only: it upgrades nothing.
    expect(generated.get('orders/handlers.ts')).not.toContain('Upgrades');
  });

  it('puts the accepted version in the catalog and the upgrade hook in the definition, and wires the hooks in the host', () => {
    expect(flat(generated.get('events.ts'))).toContain("'order.created': { payload: 'OrderCreatedV2', version: 2, accepts: { '1': 'OrderCreated' } }");
    expect(flat(generated.get('mailer/definition.ts'))).toContain("{ event: 'order.created', handler: 'confirmOrder', upgrades: { '1': 'orderCreatedFromV1' } }");
    expect(generated.get('mailer/host.ts')).toContain('upgrades: upgrades satisfies MailerUpgrades,');
    expect(generated.get('orders/host.ts')).not.toContain('upgrades');
  });

  it('type-checks handwritten upgrades', () => {
    expect(check(MAILER_HOOKS)).toEqual([]);
  }, 60_000);

  it('reports an upgrade that would drop the new field', () => {
    const lossy = MAILER_HOOKS.replace("return { ...event, currency: 'EUR' };", 'return event;');
    expect(check(lossy)).toEqual([expect.stringMatching(/^hooks\/mailer\.ts:\d+:\d+ .*currency/s)]);
  }, 60_000);

  it('reports the missing upgrade of a subscriber that does not say how it takes version 1', () => {
    const missing = MAILER_HOOKS.replace(', MailerUpgrades', '').replace(/export const upgrades[\s\S]*$/, '');
    expect(check(missing)).toEqual([expect.stringMatching(/^generated\/mailer\/host\.ts:\d+:\d+ .*upgrades/s)]);
  }, 60_000);

  it('creates the upgrade stub with the hook file, adds it once to an existing one, and the stubs type-check', async () => {
    const { model } = await compileSpec('spec', project.root);
    const created = planHooks(model!, memoryOptions({})).writes.find((w) => w.path === 'hooks/mailer.ts')!.content;
    expect(created).toContain('  // order.created v1 (OrderCreated) -> v2 (OrderCreatedV2)\n  async orderCreatedFromV1(_event, _ctx) {');
    expect(check(created)).toEqual([]);

    const before = MAILER_HOOKS.replace(', MailerUpgrades', '').replace(/export const upgrades[\s\S]*$/, '').trimEnd() + '\n';
    const plan = planHooks(model!, memoryOptions({ 'hooks/mailer.ts': before, 'hooks/orders.ts': ORDERS_HOOKS }));
    const evolved = plan.writes.find((w) => w.path === 'hooks/mailer.ts')!.content;
    // Only insertions: the type and NotImplemented imported, the object appended; the user's code as it was.
    const [importLine, ...rest] = before.split('\n');
    const userCode = rest.join('\n');
    expect(evolved).toBe(
      `${importLine!.replace('MailerSubscriptions }', 'MailerSubscriptions, MailerUpgrades }')}\nimport { NotImplemented } from 'meshspec/runtime';\n${userCode}\n` +
        'export const upgrades: MailerUpgrades = {\n' +
        '  // order.created v1 (OrderCreated) -> v2 (OrderCreatedV2)\n' +
        '  async orderCreatedFromV1(_event, _ctx) {\n' +
        "    throw new NotImplemented('mailer.orderCreatedFromV1');\n" +
        '  },\n' +
        '};\n',
    );
    expect(plan.changes).toContain('hooks/mailer.ts: added `upgrades` with stubs for `orderCreatedFromV1`');
    expect(check(evolved)).toEqual([]);
    // Once there, it is not added again.
    const again = planHooks(model!, memoryOptions({ 'hooks/mailer.ts': evolved, 'hooks/orders.ts': ORDERS_HOOKS }));
    expect(again.writes.filter((w) => w.path === 'hooks/mailer.ts')).toEqual([]);
  }, 60_000);
});
