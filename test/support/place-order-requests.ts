// The requests of the placeOrder crash test (issue #12): random placements (known and unknown users,
// declined cards, quantities that run products out of stock, now and then an unknown product), each
// sent to `POST /orders/placements` with an Idempotency-Key and retried with that same key until
// orders answers it (it may be down, killed mid-request, or answer 503), as a client should.
import { sagaIdFromKey } from '../../runtime/saga/ids.js';

/** One placement the test asks for. */
export interface Placement {
  readonly key: string;
  /** The saga id orders derives from the key (anonymous caller). */
  readonly sagaId: string;
  readonly body: { userId: string; items: { productId: string; quantity: number }[]; cardToken: string };
}

/** How orders answered a placement in the end, and what it took. */
export interface PlacementAnswer {
  readonly placement: Placement;
  /** 201, 202, or the error's status (402, 404, 409). */
  readonly status: number;
  /** The error's code (OutOfStock, PaymentDeclined, NotFound, Conflict); undefined for 201 and 202. */
  readonly code: string | undefined;
  /** The saga id in the answer. */
  readonly sagaId: string;
  /** Attempts that got no answer, or a 5xx, before this one. */
  readonly retries: number;
  /** The 5xx statuses among them (503 while orders cannot reach its sagas; a 500 would be a bug). */
  readonly serverErrors: readonly number[];
}

/** What placements are made of; the probabilities are per placement, or per item for the products. */
export interface PlacementMix {
  readonly users: readonly string[];
  /** Product ids and their chance to be picked for an item. */
  readonly products: readonly { readonly id: string; readonly weight: number }[];
  readonly unknownUser: number;
  readonly declinedCard: number;
  readonly unknownProduct: number;
}

/**
 * Draws `count` placements from `mix` with `random`; keys are `<prefix>-<n>`.
 *
 * @param count how many
 * @param mix users, products and the chances of each kind of failure
 * @param random draws in [0, 1)
 * @param prefix of the Idempotency-Keys; default `place`
 * @example
 * const placements = randomPlacements(500, { users, products: [{ id: 'sku-mouse', weight: 1 }], unknownUser: 0.05, declinedCard: 0.1, unknownProduct: 0.01 }, seeded(7));
 */
export function randomPlacements(count: number, mix: PlacementMix, random: () => number, prefix = 'place'): Placement[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const product = () => {
    if (random() < mix.unknownProduct) return 'sku-unknown';
    let draw = random() * mix.products.reduce((sum, p) => sum + p.weight, 0);
    for (const p of mix.products) if ((draw -= p.weight) < 0) return p.id;
    return mix.products[mix.products.length - 1]!.id;
  };
  return Array.from({ length: count }, (_, n) => {
    const key = `${prefix}-${n}`;
    const lines = new Map<string, number>();
    for (let i = 1 + Math.floor(random() * 2); i > 0; i -= 1) lines.set(product(), 1 + Math.floor(random() * 3));
    return {
      key,
      sagaId: sagaIdFromKey({ service: 'orders', saga: 'placeOrder', caller: 'anonymous' }, key),
      body: {
        userId: random() < mix.unknownUser ? crypto.randomUUID() : pick(mix.users),
        items: [...lines].map(([productId, quantity]) => ({ productId, quantity })),
        cardToken: random() < mix.declinedCard ? 'tok_declined' : 'tok_visa',
      },
    };
  });
}

/** An answer a client retries: a 5xx (no answer at all is a TypeError or a TimeoutError of fetch). */
class ServerError extends Error {
  constructor(readonly status: number, text: string) {
    super(`${status} ${text}`);
  }
}

/**
 * Sends `placement` to orders until it answers other than a 5xx, with the same Idempotency-Key
 * every time (a retry finds the saga the first attempt started), giving up after `giveUpMs`.
 *
 * @param ordersUrl orders' HTTP base URL
 * @param placement what to place
 * @param giveUpMs how long to keep retrying; default 120000 (only a hang fails)
 * @example
 * const answer = await sendPlacement(shop.ordersUrl, placements[0]);
 */
export async function sendPlacement(ordersUrl: string, placement: Placement, giveUpMs = 120_000): Promise<PlacementAnswer> {
  const deadline = Date.now() + giveUpMs;
  let retries = 0;
  const serverErrors: number[] = [];
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return { ...(await sendOnce(ordersUrl, placement)), placement, retries, serverErrors };
    } catch (err) {
      if (err instanceof ServerError) serverErrors.push(err.status);
      else if (!(err instanceof TypeError) && (err as Error).name !== 'TimeoutError') throw err;
      last = err;
      retries += 1;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 250));
    }
  }
  throw new Error(`no answer to ${placement.key} within ${giveUpMs} ms: ${String(last)}`);
}

async function sendOnce(ordersUrl: string, placement: Placement): Promise<Omit<PlacementAnswer, 'placement' | 'retries' | 'serverErrors'>> {
  const response = await fetch(`${ordersUrl}/orders/placements`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': placement.key },
    body: JSON.stringify(placement.body),
    // The endpoint waits 8 s at most, then answers 202.
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  if (response.status >= 500) throw new ServerError(response.status, text);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const body: any = JSON.parse(text);
  if (response.status === 201 || response.status === 202) return { status: response.status, code: undefined, sagaId: body.sagaId };
  return { status: response.status, code: body.error?.code, sagaId: body.error?.details?.sagaId };
}
