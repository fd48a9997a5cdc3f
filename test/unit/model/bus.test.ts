// `runtime.bus` and the subscription object form, from spec to model: the defaults are the runtime's,
// units are converted once, and a per-subscription `maxAttempts` is kept only where the spec writes one.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../common/units.js';
import { BUS_DEFAULTS } from '../../../generator/language/bus-defaults.js';
import type { MeshModel } from '../../../generator/model/types.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { BUS_KINDS, DEFAULT_BUS } from '../../../runtime/bus/settings.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'meshspec-bus-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const SERVICE = `service: orders
ports: { http: 3001 }
publishes: [order.placed, order.paid]
subscribes:
  order.placed: onPlaced
  order.paid: { handler: onPaid, maxAttempts: 10 }
`;

let cases = 0;
/** Compiles a spec whose mesh file has `runtime` as given (YAML lines under `runtime:`, or none). */
async function compile(runtime: string | null): Promise<MeshModel> {
  const dir = path.join(root, `case${cases++}`);
  await mkdir(path.join(dir, 'spec/services'), { recursive: true });
  const mesh = [
    'mesh: shop',
    'version: 1.0.0',
    ...(runtime === null ? [] : ['runtime:', ...runtime.split('\n').map((l) => `  ${l}`)]),
    'events:',
    '  order.placed: { payload: OrderPlaced }',
    '  order.paid: { payload: OrderPlaced }',
    'types:',
    '  OrderPlaced:',
    '    fields:',
    '      orderId: { type: string, field: 1 }',
  ].join('\n');
  await writeFile(path.join(dir, 'spec/mesh.yaml'), `${mesh}\n`);
  await writeFile(path.join(dir, 'spec/services/orders.yaml'), SERVICE);
  const result = await compileSpec('spec', dir);
  expect(result.diagnostics).toEqual([]);
  return result.model!;
}

describe('runtime.bus in the model', () => {
  it("is the runtime's DEFAULT_BUS when the spec has no bus", async () => {
    expect((await compile(null)).runtime.bus).toEqual(DEFAULT_BUS);
    expect((await compile('bus: {}')).runtime.bus).toEqual(DEFAULT_BUS);
  });

  it('converts every setting the spec writes', async () => {
    const model = await compile(
      'bus:\n  kind: rabbitmq\n  maxAttempts: 9\n  retryDelay: 2s\n  maxRetryDelay: 1m\n  claimIdle: 2m\n  retention: { maxLength: 500, maxAge: 168h }',
    );
    expect(model.runtime.bus).toEqual({
      kind: 'rabbitmq', maxAttempts: 9, retryDelayMs: 2000, maxRetryDelayMs: 60_000, claimIdleMs: 120_000, maxLength: 500, maxAgeMs: 168 * 3_600_000,
    });
  });

  it('fills in what the spec leaves out, and accepts delays at their bounds', async () => {
    // maxRetryDelay may equal retryDelay; claimIdle need only be 1 ms above the default cap (5s).
    const model = await compile('bus:\n  kind: redis\n  retryDelay: 5s\n  claimIdle: 5001ms');
    expect(model.runtime.bus).toEqual({ ...DEFAULT_BUS, kind: 'redis', retryDelayMs: 5000, claimIdleMs: 5001 });
  });

  it('keeps a per-subscription maxAttempts only where the spec writes one', async () => {
    const orders = (await compile(null)).services.find((s) => s.name === 'orders')!;
    expect(orders.subscribes).toEqual([
      { event: 'order.paid', handler: 'onPaid', maxAttempts: 10 },
      { event: 'order.placed', handler: 'onPlaced' },
    ]);
    expect(orders.subscribes[1]).not.toHaveProperty('maxAttempts');
  });
});

describe("the language's bus and the runtime's", () => {
  const schema = createRequire(import.meta.url)('../../../generator/language/schema/meshspec.schema.json') as {
    $defs: { meshFile: { properties: { runtime: { properties: { bus: { properties: { kind: { enum: string[] } } } } } } } };
  };

  it('offers exactly the kinds the runtime knows', () => {
    expect(schema.$defs.meshFile.properties.runtime.properties.bus.properties.kind.enum).toEqual([...BUS_KINDS]);
  });

  it("writes the runtime's defaults in the spec's units", () => {
    expect({
      kind: BUS_DEFAULTS.kind,
      maxAttempts: BUS_DEFAULTS.maxAttempts,
      retryDelayMs: parseDuration(BUS_DEFAULTS.retryDelay),
      maxRetryDelayMs: parseDuration(BUS_DEFAULTS.maxRetryDelay),
      claimIdleMs: parseDuration(BUS_DEFAULTS.claimIdle),
      maxLength: BUS_DEFAULTS.maxLength,
      maxAgeMs: null,
    }).toEqual(DEFAULT_BUS);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'], [1, '1ms'], [1500, '1500ms'], [10_000, '10s'], [120_000, '2m'], [90_000, '90s'], [7_200_000, '2h'], [5_400_000, '90m'],
  ])('%d ms -> %s, which reads back the same', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});
