// The example shop as the traces tests run it: in process with its gateway, data in memory, and
// colocation off (users over HTTP, inventory over gRPC, events on the bus), every log line kept.
import { startStack, type RunningStack } from '../../support/runtime.js';
import { SHOP_AUTH_ENV, shopApi, type ShopApi } from '../../support/shop-flow.js';

/** The shop's services, in the order the tests name them. */
export const SHOP_SERVICES = ['inventory', 'orders', 'payments', 'users'] as const;

/**
 * The running shop, its API through the gateway, and every line it logged so far (`[service] ...`).
 *
 * @example
 * const shop = await startTracedShop();
 * await shop.api.products();
 * shop.lines.some((l) => l.startsWith('[gateway]'));
 */
export interface ShopUnderTest {
  readonly running: RunningStack;
  readonly api: ShopApi;
  readonly lines: string[];
}

/**
 * Starts the generated shop with colocation off, logging at info into `lines`.
 *
 * @example
 * const shop = await startTracedShop();
 * afterAll(() => shop.running.close());
 */
export async function startTracedShop(): Promise<ShopUnderTest> {
  const { stack } = await import('../../../generated/stack.js');
  Object.assign(process.env, SHOP_AUTH_ENV);
  const lines: string[] = [];
  const ports = Object.fromEntries(SHOP_SERVICES.map((s) => [s, { http: 0, grpc: 0 }]));
  const output = { write: (text: string) => lines.push(...text.split('\n').filter((l) => l !== '')) };
  const running = await startStack(stack, { ports, gatewayPort: 0, logLevel: 'info', output, data: 'memory', env: {}, colocated: false });
  return { running, api: await shopApi(`${running.gatewayUrl}/api/v1`), lines };
}
