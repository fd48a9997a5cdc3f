// The gateway's security settings in the runtime's terms: units converted (ms, seconds), `key: user`
// as `subject`, `keys: env:NAME` as the variable of a secret or of a public key by the algorithms,
// a delegate's `service.endpoint` as the service and the endpoint's path. Keys the spec leaves out
// stay out, so the runtime's defaults apply and a spec without them generates what it did before.
import { parseDuration } from '../../common/units.js';
import type { SpecIndex } from '../language/collect.js';
import { isHmacJwtAlgorithm, keyVariable, refillPerSecond } from '../language/gateway-defaults.js';
import type { RawCors, RawGateway, RawGatewayAuth, RawGatewayLimits, RawRateLimit } from '../language/raw.js';
import type { CorsModel, GatewayAuthModel, GatewayLimitsModel, GatewayModel, RateLimitModel } from './types.js';

/** The variable the gateway reads the Redis URL of `store: redis` limits from (runtime/gateway/run.ts reads the same). */
export const RATE_LIMIT_REDIS_VARIABLE = 'RATE_LIMIT_REDIS_URL';

/** The variable with the keys that sign (gateway) and verify (services) the identity the gateway asserts (runtime/identity reads the same). */
export const IDENTITY_KEYS_VARIABLE = 'MESH_IDENTITY_KEYS';

/** The security part of a gateway's model: only the keys the spec sets. */
export type GatewaySecurityModel = Pick<GatewayModel, 'trustedProxies' | 'limits' | 'auth' | 'rateLimit' | 'cors'>;

/**
 * The gateway's trusted proxies, limits, auth, default rate limit and CORS, from a spec that passed
 * every check.
 *
 * @param index the checked spec (a delegate's endpoint is looked up in its service)
 * @param raw the mesh file's `gateway`
 * @example buildGatewaySecurity(index, { port: 8080, routes, rateLimit: { max: 100, window: '1m' } }).rateLimit
 * // { algorithm: 'sliding-window', limit: 100, windowMs: 60000, store: 'memory', key: 'ip' }
 */
export function buildGatewaySecurity(index: SpecIndex, raw: RawGateway): GatewaySecurityModel {
  return {
    ...(raw.trustedProxies !== undefined && raw.trustedProxies > 0 && { trustedProxies: raw.trustedProxies }),
    ...(raw.limits && Object.keys(raw.limits).length > 0 && { limits: buildLimits(raw.limits) }),
    ...(raw.auth && { auth: buildAuth(index, raw.auth) }),
    ...(raw.rateLimit && { rateLimit: buildRateLimit(raw.rateLimit) }),
    ...(raw.cors && { cors: buildCors(raw.cors) }),
  };
}

/**
 * A route's own limit: `false` for none, undefined when the route uses the gateway's.
 *
 * @param raw the route's `rateLimit` (`true` never passes the checks)
 * @example routeRateLimit(false) // false
 */
export function routeRateLimit(raw: RawRateLimit | boolean | undefined): RateLimitModel | false | undefined {
  if (raw === undefined || raw === true) return undefined;
  return raw === false ? false : buildRateLimit(raw);
}

function buildRateLimit(raw: RawRateLimit): RateLimitModel {
  const common = {
    store: raw.store ?? 'memory',
    key: raw.key === 'user' ? 'subject' : 'ip',
    ...(raw.failOpen !== undefined && { failOpen: raw.failOpen }),
  } as const;
  if (raw.burst !== undefined && raw.refill !== undefined) {
    return { algorithm: 'token-bucket', capacity: raw.burst, refillPerSec: refillPerSecond(raw.refill) ?? internal(raw.refill), ...common };
  }
  if (raw.max === undefined || raw.window === undefined) throw new Error('internal: a rate limit passed the checks without a form');
  return { algorithm: 'sliding-window', limit: raw.max, windowMs: ms(raw.window), ...common };
}

function buildAuth(index: SpecIndex, raw: RawGatewayAuth): GatewayAuthModel {
  if (raw.delegate) {
    const [service = '', endpoint = ''] = raw.delegate.call.split('.');
    const http = index.services.get(service)?.raw.endpoints?.[endpoint]?.http;
    if (http === undefined) throw new Error(`internal: delegate ${raw.delegate.call} passed the checks but names no endpoint`);
    return {
      delegate: {
        service,
        path: http.split(' ')[1] ?? '/',
        ...(raw.delegate.cache !== undefined && { cacheTtlMs: ms(raw.delegate.cache) }),
        ...(raw.delegate.timeout !== undefined && { timeoutMs: ms(raw.delegate.timeout) }),
      },
    };
  }
  const jwt = raw.jwt;
  if (!jwt) throw new Error('internal: auth passed the checks with neither jwt nor delegate');
  const variable = keyVariable(jwt.keys);
  const hmac = jwt.algorithms.every(isHmacJwtAlgorithm);
  return {
    jwt: {
      algorithms: [...jwt.algorithms],
      ...(variable !== undefined && (hmac ? { secretEnv: variable } : { publicKeyEnv: variable })),
      ...(jwt.jwks !== undefined && { jwksUrl: jwt.jwks }),
      ...(jwt.issuer !== undefined && { issuer: jwt.issuer }),
      ...(jwt.audience !== undefined && { audience: jwt.audience }),
      ...(jwt.clockSkew !== undefined && { clockToleranceSec: ms(jwt.clockSkew) / 1000 }),
      ...(jwt.rolesClaim !== undefined && { rolesClaim: jwt.rolesClaim }),
    },
  };
}

function buildCors(raw: RawCors): CorsModel {
  return {
    origins: [...raw.origins],
    ...(raw.credentials !== undefined && { credentials: raw.credentials }),
    ...(raw.headers && { headers: raw.headers.map((h) => h.toLowerCase()) }),
    ...(raw.expose && { exposeHeaders: raw.expose.map((h) => h.toLowerCase()) }),
    // Access-Control-Max-Age counts whole seconds; a part of one still asks the browser to cache.
    ...(raw.maxAge !== undefined && { maxAgeSec: Math.ceil(ms(raw.maxAge) / 1000) }),
  };
}

function buildLimits(raw: RawGatewayLimits): GatewayLimitsModel {
  return {
    ...(raw.headersTimeout !== undefined && { headersTimeoutMs: ms(raw.headersTimeout) }),
    ...(raw.requestTimeout !== undefined && { requestTimeoutMs: ms(raw.requestTimeout) }),
    ...(raw.bodyIdleTimeout !== undefined && { bodyIdleTimeoutMs: ms(raw.bodyIdleTimeout) }),
    ...(raw.keepAliveTimeout !== undefined && { keepAliveTimeoutMs: ms(raw.keepAliveTimeout) }),
    ...(raw.maxConnections !== undefined && { maxConnections: raw.maxConnections }),
    ...(raw.upstreamConnections !== undefined && { upstreamConnections: raw.upstreamConnections }),
    ...(raw.upstreamQueue !== undefined && { upstreamQueue: raw.upstreamQueue }),
  };
}

function ms(text: string): number {
  return parseDuration(text) ?? internal(text);
}

function internal(text: string): never {
  throw new Error(`internal: ${text} passed the checks but cannot be read`);
}
