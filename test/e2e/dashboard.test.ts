// The dashboard of the example stack in a real browser (Debian's Chromium, headless, driven by
// playwright-core): the topology shows the services and the gateway; the API explorer calls
// users.createUser and shows the 201 and its trace across the gateway and users; a payment whose
// payment.completed orders cannot handle is dead-lettered, shows on the Events view, and its Replay
// button there confirms the order; a placeOrder saga shows its steps on a timeline. A screenshot of
// each view is saved in test-results/dashboard/. The stack runs in this process as `meshspec dev`
// runs it (free ports, databases in memory), with the development token `meshspec dev` makes.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDevAuth, type DevAuth } from '../../generator/cli/dev-auth.js';
import type { DevStack, RunningStack } from '../../runtime/dev/index.js';
import { startStack } from '../../runtime/dev/index.js';
import { createTraceStore } from '../../runtime/dev/dashboard/traces/index.js';
import { setupTracing, type TracingSetup } from '../../runtime/observability/tracing/setup.js';
import { launchChromium, missingBrowser, screenshot, watchedPage, type WatchedPage } from '../support/browser.js';
import { eventually } from '../support/processes.js';
import { withFailingSubscriber } from '../support/failing-subscriber.js';

/** The shop's gateway auth as spec/mesh.yaml declares it (what `meshspec dev` hands prepareDevAuth). */
const SHOP_AUTH: DevAuth = { jwt: { algorithms: ['HS256'], secretEnv: 'JWT_SECRET', issuer: 'shop', audience: 'shop-api' } };
/** How long an effect of an event may take to show: generous, only a hang fails. */
const EFFECT_MS = 30_000;
/** While set, orders' `confirmOrder` throws: its payment.completed deliveries fail until dead-lettered. */
const failing = { on: false };
/** The handler's error: markup in it must show as text, never run (error messages may be hostile). */
const HOSTILE_ERROR = 'orders cannot confirm right now <img src=x onerror="window.__hostile=1">';

const missing = missingBrowser();
if (missing) console.warn(`dashboard browser tests skipped: ${missing}`);

let running: RunningStack;
let tracing: TracingSetup | null = null;
let browser: Browser;
let watched: WatchedPage;
let page: Page;
let token: string;
let dashboard: string;

beforeAll(async () => {
  if (missing) return;
  const notes = await prepareDevAuth(SHOP_AUTH, process.env);
  const line = notes.find((note) => note.startsWith('development token'));
  if (!line) throw new Error(`prepareDevAuth made no token: ${notes.join('; ')}`);
  token = line.slice(line.lastIndexOf(' ') + 1);

  // As runStack does it: every span into the dashboard's trace store.
  const traces = createTraceStore();
  tracing = await setupTracing('shop', { ...process.env, OTEL_TRACES_EXPORTER: 'none' }, { spanProcessors: [traces.processor] });

  const { stack } = (await import('../../generated/stack.js')) as { stack: DevStack };
  const withFlag = withFailingSubscriber(stack, { service: 'orders', handler: 'confirmOrder' }, failing, HOSTILE_ERROR);
  // Free ports for every listener the spec gives one (as `meshspec dev --free-ports`).
  const ports = Object.fromEntries(withFlag.services.map((make) => make().definition).map((d) => [d.name, { http: 0, grpc: d.proto ? 0 : null }]));
  running = await startStack(
    withFlag,
    {
      ports,
      gatewayPort: 0,
      data: 'memory',
      // Info lines, thrown away but heard by the trace store: the trace view lists a span's lines.
      logLevel: 'info',
      output: { write: () => true },
      env: {},
      bus: { retryDelayMs: 5, maxRetryDelayMs: 20 },
      dashboard: { port: 0, token, traces },
    },
  );
  if (!running.dashboardUrl) throw new Error('the stack started no dashboard');
  dashboard = running.dashboardUrl;
  browser = await launchChromium();
  watched = await watchedPage(browser);
  page = watched.page;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  await tracing?.shutdown();
});

/** A call to the shop's API through the gateway with the development token. */
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${running.gatewayUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** A user with an email of its own. */
async function createUser(name: string): Promise<string> {
  const user = await api('POST', '/users', { email: `${name.toLowerCase()}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`, name });
  expect(user.status).toBe(201);
  return user.body['id'] as string;
}

async function open(hash: string): Promise<void> {
  await page.goto(`${dashboard}/#${hash}`);
}

describe.skipIf(missing !== null)(`the dashboard in Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('shows the four services and the gateway on the topology, each ready', async () => {
    await open('/topology');
    for (const id of ['gateway', 'service:users', 'service:orders', 'service:payments', 'service:inventory']) {
      const node = page.getByTestId(`node-${id}`);
      await expect.poll(() => node.getAttribute('data-health'), { timeout: EFFECT_MS }).toBe('ready');
    }
    await expect.poll(() => page.getByTestId('node-service:users').textContent()).toContain('users');
    expect(await page.getByTestId('node-event:payment.completed').count()).toBe(1);
    await screenshot(page, 'topology');
    await open('/services');
    await page.getByTestId('service-users').waitFor();
    await screenshot(page, 'services');
  }, 60_000);

  it('calls users.createUser from the API explorer and shows the 201 and its trace across the gateway and users', async () => {
    await open('/services/users.createUser');
    const input = page.getByTestId('explorer-input');
    // Prefilled from the input's schema: an object with the fields to fill.
    expect(JSON.parse(await input.inputValue())).toHaveProperty('email');
    await input.fill(JSON.stringify({ email: `explorer-${Date.now()}@example.com`, name: 'Ada Lovelace' }, null, 2));
    await page.getByTestId('explorer-send').click();
    await expect.poll(() => page.getByTestId('explorer-status').textContent(), { timeout: EFFECT_MS }).toBe('201');
    expect(await page.getByTestId('explorer-response-body').textContent()).toContain('Ada Lovelace');
    const trace = page.getByTestId('explorer-trace');
    await trace.locator('[data-testid="span-row"][data-service="gateway"]').first().waitFor({ timeout: EFFECT_MS });
    await trace.locator('[data-testid="span-row"][data-service="users"]').first().waitFor({ timeout: EFFECT_MS });
    await screenshot(page, 'explorer');

    // The same trace on the Traces view, a span of users selected.
    await page.getByTestId('explorer-trace-link').click();
    const waterfall = page.getByTestId('trace-waterfall');
    await waterfall.locator('[data-testid="span-row"][data-service="users"]').first().click();
    expect(await page.getByTestId('span-attributes').count()).toBe(1);
    await screenshot(page, 'trace');
    await open('/traces');
    await page.getByTestId('trace-row').first().waitFor();
    await screenshot(page, 'traces');
  }, 60_000);

  it('shows a dead-lettered payment.completed on the Events view, and its Replay button there confirms the order', async () => {
    const userId = await createUser('Grace');
    const order = await api('POST', '/orders', { userId, items: [{ productId: 'sku-keyboard', quantity: 1 }] });
    expect(order.status).toBe(201);
    const orderId = order.body['id'] as string;
    failing.on = true;
    const paid = await api('POST', '/payments', { orderId, amount: order.body['totalAmount'], cardToken: 'tok_visa' });
    expect(paid.status).toBe(201);

    await open('/events');
    const letter = page.locator('[data-testid="dead-letter"][data-event="payment.completed"]');
    await letter.first().waitFor({ timeout: EFFECT_MS });
    expect(await letter.count()).toBe(1);
    expect(await letter.textContent()).toContain(HOSTILE_ERROR);
    expect(await letter.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __hostile?: unknown }).__hostile)).toBeUndefined();
    expect((await api('GET', `/orders/${orderId}`)).body['status']).toBe('pending');
    await screenshot(page, 'events');

    failing.on = false;
    await letter.getByTestId('replay').click();
    await expect.poll(() => page.getByTestId('replay-message').textContent(), { timeout: EFFECT_MS }).toContain('replayed 1');
    await eventually(async () => (await api('GET', `/orders/${orderId}`)).body['status'] === 'confirmed', EFFECT_MS);
    await page.getByTestId('no-dead-letters').waitFor({ timeout: EFFECT_MS });
  }, 90_000);

  it('lists placeOrder sagas and shows their steps on a timeline, compensations included', async () => {
    const userId = await createUser('Linus');
    const placed = await api('POST', '/orders/placements', { userId, items: [{ productId: 'sku-mouse', quantity: 1 }], cardToken: 'tok_visa' });
    expect(placed.status).toBe(201);
    const sagaId = placed.body['sagaId'] as string;

    await open('/sagas');
    const row = page.locator(`[data-testid="saga-row"][data-saga="placeOrder"]`).first();
    await row.waitFor({ timeout: EFFECT_MS });
    await screenshot(page, 'sagas');
    await open(`/sagas/orders/${sagaId}`);
    await expect.poll(() => page.getByTestId('saga-state').textContent(), { timeout: EFFECT_MS }).toBe('completed');
    const steps = page.getByTestId('saga-step');
    expect(await steps.count()).toBeGreaterThanOrEqual(4);
    expect(new Set(await steps.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outcome'))))).toEqual(new Set(['succeeded']));
    await screenshot(page, 'saga');

    // The request that ran it, as a waterfall: the gateway, orders driving the saga, each step's call.
    await open('/traces');
    await page.getByTestId('trace-row').filter({ hasText: '/api/v1/orders' }).filter({ hasText: 'payments' }).first().click();
    await page.getByTestId('trace-waterfall').locator('[data-testid="span-row"][data-service="payments"]').first().waitFor({ timeout: EFFECT_MS });
    await screenshot(page, 'trace-saga');

    // A declined card: the saga undoes what it did, and the timeline shows the compensations.
    const declined = await api('POST', '/orders/placements', { userId, items: [{ productId: 'sku-mouse', quantity: 1 }], cardToken: 'tok_declined' });
    expect(declined.status).toBe(402);
    const declinedId = (declined.body['error'] as { details: { sagaId: string } }).details.sagaId;
    await open(`/sagas/orders/${declinedId}`);
    await expect.poll(() => page.getByTestId('saga-state').textContent(), { timeout: EFFECT_MS }).toBe('compensated');
    expect(await page.locator('[data-testid="saga-step"][data-outcome="failed"]').count()).toBe(1);
    expect(await page.locator('[data-testid="saga-step"][data-phase="compensate"]').count()).toBeGreaterThan(0);
    await screenshot(page, 'saga-compensated');
  }, 60_000);

  it('shows live rates on the topology once requests flow', async () => {
    for (let i = 0; i < 5; i++) expect((await api('GET', '/products')).status).toBe(200);
    await createUser('Barbara');
    await open('/topology');
    // The stream's next sample counts the requests above: some edge is drawn busy.
    await expect.poll(() => page.locator('path.edge.busy').count(), { timeout: EFFECT_MS }).toBeGreaterThan(0);
    await screenshot(page, 'topology-live');
  }, 60_000);

  it('follows a --watch reload: the catalog shows a restarted service as it now is, an endpoint page offers to', async () => {
    await open('/services');
    await page.getByTestId('service-users').waitFor();
    expect(await page.getByTestId('service-users').textContent()).toContain('v1.0.0');
    const users = running.hosts().find((host) => host.definition.name === 'users')!;
    await running.restartService({ ...users, definition: { ...users.definition, version: '1.0.1' } });
    // The stream's next look at the catalog sees the change; the list is drawn again with it.
    await expect.poll(() => page.getByTestId('service-users').textContent(), { timeout: EFFECT_MS }).toContain('v1.0.1');

    await open('/services/users.createUser');
    await page.getByTestId('explorer-input').waitFor();
    await running.restartService({ ...users, definition: { ...users.definition, version: '1.0.2' } });
    await page.getByTestId('catalog-changed').waitFor({ timeout: EFFECT_MS });
    await page.getByTestId('catalog-changed').getByRole('button').click();
    await expect.poll(() => page.getByTestId('catalog-changed').count()).toBe(0);
    await page.getByTestId('explorer-input').waitFor();
  }, 60_000);

  it('ran without an error in the page', () => {
    expect(watched.problems).toEqual([]);
  });
});
