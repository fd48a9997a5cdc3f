// The methods a gateway route takes, as a bitmask compiled once per route: checking a request's
// method is a switch and an AND, with no allocation on the hot path.

/** The methods a route may list, in the order `Allow` names them. */
export const GATEWAY_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * A method a gateway route may take.
 *
 * @example
 * const read: GatewayMethod = 'GET';
 */
export type GatewayMethod = (typeof GATEWAY_METHODS)[number];

const GET = 1 << 0;
const HEAD = 1 << 1;
const OPTIONS = 1 << 6;

/**
 * The bit of a request method, 0 for any method a route cannot list (TRACE, CONNECT, WebDAV's).
 *
 * @param method - `req.method` as node:http gives it (upper case)
 * @example
 * methodBit('GET'); // 1
 * methodBit('TRACE'); // 0
 */
export function methodBit(method: string | undefined): number {
  switch (method) {
    case 'GET':
      return GET;
    case 'HEAD':
      return HEAD;
    case 'POST':
      return 1 << 2;
    case 'PUT':
      return 1 << 3;
    case 'PATCH':
      return 1 << 4;
    case 'DELETE':
      return 1 << 5;
    case 'OPTIONS':
      return OPTIONS;
    default:
      return 0;
  }
}

/**
 * The mask of a route's `methods`: the listed ones, HEAD with GET (a HEAD is a GET without its body)
 * and always OPTIONS (the gateway answers it with `Allow`).
 *
 * @param methods - the route's list
 * @throws Error for an empty list, or naming the first method a route cannot list
 * @example
 * methodMask(['GET']); // GET | HEAD | OPTIONS
 */
export function methodMask(methods: readonly string[]): number {
  // An empty list would refuse everything but OPTIONS: a mistake, not a route.
  if (methods.length === 0) throw new Error('the list is empty: name at least one method, or leave `methods` out to forward every method');
  let mask = OPTIONS;
  for (const method of methods) {
    const bit = methodBit(method);
    if (bit === 0) throw new Error(`\`${method}\` is not a method a route can take: ${GATEWAY_METHODS.join(', ')}`);
    mask |= bit;
  }
  if ((mask & GET) !== 0) mask |= HEAD;
  return mask;
}

/**
 * The `Allow` value of a mask, methods in GATEWAY_METHODS order.
 *
 * @param mask - from methodMask
 * @example
 * allowOf(methodMask(['POST', 'GET'])); // 'GET, HEAD, POST, OPTIONS'
 */
export function allowOf(mask: number): string {
  return GATEWAY_METHODS.filter((method) => (mask & methodBit(method)) !== 0).join(', ');
}
