// Browsers on other origins: preflights answered by the gateway itself (never forwarded, never
// authenticated: a browser sends no credentials on one) and cached by the browser; actual requests
// from an allowed origin get the headers that let the page read the answer. An origin not allowed
// gets no CORS headers: the browser keeps the answer from the page.
import type { GatewayCors } from './types.js';

// traceparent and tracestate: a page traced in the browser sends them, and a preflight that does not
// allow them blocks the request itself.
const DEFAULT_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'x-request-id', 'traceparent', 'tracestate'];
const DEFAULT_EXPOSED = ['x-request-id', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-policy'];
const METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/;

/**
 * The CORS answers of one gateway, prepared once.
 *
 * @example
 * const cors = new CorsPolicy({ origins: ['https://shop.example.com'], credentials: true });
 * cors.forResponse('https://shop.example.com'); // ['access-control-allow-origin', 'https://shop.example.com', ...]
 */
export class CorsPolicy {
  readonly #any: boolean;
  readonly #origins: ReadonlySet<string>;
  readonly #credentials: boolean;
  readonly #preflight: readonly string[];
  readonly #response: readonly string[];

  /**
   * @param cors - the config's `cors`
   * @throws Error for `*` with credentials, or an origin that is not `scheme://host[:port]`
   */
  constructor(cors: GatewayCors) {
    this.#any = cors.origins.includes('*');
    this.#credentials = cors.credentials === true;
    if (this.#any && this.#credentials) throw new Error("gateway: cors allows any origin ('*') with credentials; list the origins instead");
    for (const origin of cors.origins) {
      if (origin !== '*' && !ORIGIN.test(origin)) throw new Error(`gateway: cors origin '${origin}' must be scheme://host[:port], without a path`);
    }
    this.#origins = new Set(cors.origins);
    const credentials = this.#credentials ? ['access-control-allow-credentials', 'true'] : [];
    this.#preflight = [
      'access-control-allow-methods', METHODS,
      'access-control-allow-headers', (cors.headers ?? DEFAULT_HEADERS).join(', '),
      'access-control-max-age', String(cors.maxAgeSec ?? 600),
      ...credentials,
    ];
    this.#response = ['access-control-expose-headers', (cors.exposeHeaders ?? DEFAULT_EXPOSED).join(', '), ...credentials];
  }

  /** True when a page from `origin` may read the gateway's answers. */
  allows(origin: string): boolean {
    return this.#any || this.#origins.has(origin);
  }

  /** What makes the answer to a preflight from `origin`, or null when the origin is not allowed. */
  forPreflight(origin: string): string[] | null {
    if (!this.allows(origin)) return null;
    return [...this.#allowOrigin(origin), ...this.#preflight];
  }

  /** The headers an answer to `origin` carries (`origin` '' when the request had none): always `Vary: Origin`. */
  forResponse(origin: string): string[] {
    if (origin === '' || !this.allows(origin)) return this.#any ? [] : ['vary', 'Origin'];
    return [...this.#allowOrigin(origin), ...this.#response];
  }

  #allowOrigin(origin: string): string[] {
    // A fixed `*` needs no Vary; an echoed origin makes the answer differ by Origin.
    return this.#any ? ['access-control-allow-origin', '*'] : ['access-control-allow-origin', origin, 'vary', 'Origin'];
  }
}
