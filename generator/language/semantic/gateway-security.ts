// Checks of the gateway's authentication, rate limits, CORS and listener limits that the schema cannot
// express: which keys go together, what a reference names, and settings that would quietly weaken
// security (an algorithm mix, a JWKS over plain HTTP, any origin with credentials).
import { MAX_DURATION_MS, parseDuration } from '../../../common/units.js';
import { pathParams } from '../../naming/index.js';
import { didYouMean } from '../diagnostics.js';
import { maybeService, unknownName, type SpecIndex } from '../collect.js';
import { isHmacJwtAlgorithm } from '../gateway-defaults.js';
import type { SpecDocument, SpecPath } from '../load.js';
import type { RawGateway, RawGatewayAuth, RawJwt, RawRateLimit } from '../raw.js';
import type { Reporter } from './reporter.js';

/** The listener limits' defaults the order check compares with (runtime/gateway/limits.ts). */
const DEFAULT_HEADERS_TIMEOUT = '10s';
const DEFAULT_REQUEST_TIMEOUT = '60s';

/**
 * Reports the gateway's security settings that cannot work or would be unsafe: `auth` with both
 * forms, a JWT without a key source or with two, HMAC mixed with asymmetric algorithms, a JWKS URL
 * that is not https (localhost aside), a `delegate.call` that names no GET endpoint without path
 * parameters, a rate limit with neither or both forms, `key: user` without `auth`, a route's
 * `rateLimit: true`, CORS origins that are not exact origins, `*` with credentials, a request
 * timeout below the headers timeout, and durations past the runtime's timers. Warns about a route's
 * `public` or `rateLimit: false` that changes nothing.
 *
 * @param index the spec's declarations (the mesh file's `gateway`, the services a delegate names)
 * @param report where the diagnostics go
 * @example checkGatewaySecurity(index, report) // `jwt: { algorithms: [HS256, RS256], ... }` -> jwt-algorithms-mixed
 */
export function checkGatewaySecurity(index: SpecIndex, report: Reporter): void {
  const gateway = index.mesh?.raw.gateway;
  if (!index.mesh || !gateway) return;
  const doc = index.mesh.doc;
  tooLong(doc, gateway, report);
  if (gateway.auth) checkAuth(index, doc, gateway.auth, report);
  const authenticated = gateway.auth !== undefined;
  if (gateway.rateLimit) checkRateLimit(doc, ['gateway', 'rateLimit'], gateway.rateLimit, authenticated, report);
  gateway.routes.forEach((route, i) => {
    const at = ['gateway', 'routes', i];
    if (route.public === true && !authenticated) {
      report.warning(doc, [...at, 'public'], 'public-without-auth', 'the gateway has no `auth`, so every route is public already; `public: true` changes nothing until `gateway.auth` is set');
    }
    if (route.rateLimit === true) {
      report.error(doc, [...at, 'rateLimit'], 'rate-limit-true', "a route's `rateLimit` is `false` (no limit on this route) or a limit of its own (e.g. `rateLimit: { max: 10, window: 1m }`); leave it out to use the gateway's `rateLimit`");
    } else if (route.rateLimit === false && gateway.rateLimit === undefined) {
      report.warning(doc, [...at, 'rateLimit'], 'rate-limit-nothing-to-disable', 'the gateway has no `rateLimit`, so `rateLimit: false` changes nothing; remove it, or set `gateway.rateLimit`');
    } else if (typeof route.rateLimit === 'object') {
      checkRateLimit(doc, [...at, 'rateLimit'], route.rateLimit, authenticated, report);
    }
  });
  checkCors(doc, gateway, report);
  const headers = parseDuration(gateway.limits?.headersTimeout ?? DEFAULT_HEADERS_TIMEOUT) ?? 0;
  const request = parseDuration(gateway.limits?.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT) ?? 0;
  if (request < headers) {
    const shown = (key: 'headersTimeout' | 'requestTimeout', fallback: string) => `\`${key}\` (${gateway.limits?.[key] ?? `${fallback} by default`})`;
    const key = gateway.limits?.requestTimeout !== undefined ? 'requestTimeout' : 'headersTimeout';
    report.error(
      doc, ['gateway', 'limits', key], 'limits-order',
      `${shown('requestTimeout', DEFAULT_REQUEST_TIMEOUT)} is shorter than ${shown('headersTimeout', DEFAULT_HEADERS_TIMEOUT)}: a whole request includes its headers, so make \`requestTimeout\` at least \`headersTimeout\``,
    );
  }
}

function checkAuth(index: SpecIndex, doc: SpecDocument, auth: RawGatewayAuth, report: Reporter): void {
  if (auth.jwt && auth.delegate) {
    report.error(doc, ['gateway', 'auth', 'delegate'], 'auth-both', 'the gateway verifies tokens itself (`jwt`) or asks a service (`delegate`), not both; keep one', { key: true });
  }
  if (auth.jwt) checkJwt(doc, auth.jwt, report);
  const delegate = auth.delegate;
  if (!delegate) return;
  const at = ['gateway', 'auth', 'delegate', 'call'];
  const [serviceName = '', endpointName = ''] = delegate.call.split('.');
  const service = index.services.get(serviceName);
  if (!service) {
    if (!maybeService(index, serviceName)) report.error(doc, at, 'unknown-service', unknownName('service', serviceName, index.services.keys()));
    return;
  }
  const endpoints = service.raw.endpoints ?? {};
  const endpoint = endpoints[endpointName];
  if (!endpoint) {
    const names = Object.keys(endpoints);
    const hint = didYouMean(endpointName, names) || (names.length > 0 ? ` (its endpoints: ${names.map((e) => `\`${e}\``).join(', ')})` : ' (it has no endpoints)');
    report.error(doc, at, 'unknown-endpoint', `\`${serviceName}\` has no endpoint \`${endpointName}\`${hint}`);
    return;
  }
  const [method = '', path = ''] = endpoint.http.split(' ');
  if (method !== 'GET') {
    report.error(doc, at, 'delegate-not-get', `the gateway asks \`${delegate.call}\` with GET (the client's Authorization header, no body), but it is \`${endpoint.http}\`; name a GET endpoint`);
  } else if (pathParams(path).length > 0) {
    report.error(doc, at, 'delegate-path-params', `the gateway calls \`${delegate.call}\` at one fixed path, but \`${path}\` has path parameters (${pathParams(path).map((p) => `\`{${p}}\``).join(', ')}); name an endpoint without them`);
  }
}

function checkJwt(doc: SpecDocument, jwt: RawJwt, report: Reporter): void {
  const at = ['gateway', 'auth', 'jwt'];
  if (jwt.keys !== undefined && jwt.jwks !== undefined) {
    report.error(doc, [...at, 'jwks'], 'jwt-keys-both', 'the keys come from an environment variable (`keys: env:NAME`) or from the identity provider (`jwks: https://...`), not both; keep one', { key: true });
  } else if (jwt.keys === undefined && jwt.jwks === undefined) {
    report.error(doc, at, 'jwt-no-keys', 'the gateway needs a key to verify tokens: add `keys: env:JWT_SECRET` (the variable holding the secret, or the public key for RS*/PS*/ES*/EdDSA) or `jwks: https://idp.example.com/.well-known/jwks.json`', { key: true });
  }
  const hmac = jwt.algorithms.filter(isHmacJwtAlgorithm);
  if (hmac.length > 0 && hmac.length < jwt.algorithms.length) {
    report.error(
      doc, [...at, 'algorithms'], 'jwt-algorithms-mixed',
      `HMAC algorithms (${hmac.join(', ')}) and asymmetric ones (${jwt.algorithms.filter((a) => !isHmacJwtAlgorithm(a)).join(', ')}) cannot be mixed: a token signed with the public key as its HMAC secret would pass; keep one kind`,
    );
  } else if (hmac.length > 0 && jwt.jwks !== undefined) {
    report.error(doc, [...at, 'jwks'], 'jwks-hmac', `a JWKS publishes public keys, and ${hmac.join(', ')} verify with a shared secret: use \`keys: env:NAME\` for a secret, or list the provider's asymmetric algorithms (e.g. \`algorithms: [RS256]\`)`, { key: true });
  }
  if (jwt.jwks !== undefined) checkJwksUrl(doc, [...at, 'jwks'], jwt.jwks, report);
}

/** The hosts a JWKS may be fetched from over plain HTTP: this machine only. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function checkJwksUrl(doc: SpecDocument, at: SpecPath, text: string, report: Reporter): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    report.error(doc, at, 'invalid-value', `\`${shown(text)}\` is not a URL: \`jwks\` is the identity provider's JWKS URL (e.g. \`https://idp.example.com/.well-known/jwks.json\`)`);
    return;
  }
  if (url.username !== '' || url.password !== '') {
    report.error(doc, at, 'jwks-credentials', 'the JWKS URL holds a user name or password, which would end up in generated code and logs; a JWKS is public: remove them');
  } else if (url.protocol === 'http:' && !LOCAL_HOSTS.has(url.hostname)) {
    report.error(doc, at, 'jwks-insecure', `the keys that decide who may call must not travel over plain HTTP, where anyone on the way can replace them; did you mean \`${shown(text.replace(/^http:/, 'https:'))}\`? (http is allowed for localhost only)`);
  }
}

function checkRateLimit(doc: SpecDocument, at: SpecPath, limit: RawRateLimit, authenticated: boolean, report: Reporter): void {
  const window = limit.max !== undefined || limit.window !== undefined;
  const bucket = limit.burst !== undefined || limit.refill !== undefined;
  const example = 'e.g. `{ max: 100, window: 1m }` (a sliding window) or `{ burst: 20, refill: 5/s }` (a token bucket)';
  if (window && bucket) {
    report.error(doc, at, 'rate-limit-form', `a rate limit is \`max\` per \`window\` or a bucket of \`burst\` refilled at \`refill\`, not both; keep one (${example})`, { key: true });
  } else if (!window && !bucket) {
    report.error(doc, at, 'rate-limit-form', `a rate limit needs \`max\` and \`window\`, or \`burst\` and \`refill\` (${example})`, { key: true });
  } else if (window && (limit.max === undefined || limit.window === undefined)) {
    const missing = limit.max === undefined ? 'max' : 'window';
    report.error(doc, at, 'rate-limit-form', `a sliding-window limit needs \`max\` and \`window\`: add \`${missing}\` (e.g. \`{ max: 100, window: 1m }\`)`, { key: true });
  } else if (bucket && (limit.burst === undefined || limit.refill === undefined)) {
    const missing = limit.burst === undefined ? 'burst' : 'refill';
    report.error(doc, at, 'rate-limit-form', `a token bucket needs \`burst\` and \`refill\`: add \`${missing}\` (e.g. \`{ burst: 20, refill: 5/s }\`)`, { key: true });
  }
  if (limit.key === 'user' && !authenticated) {
    report.error(doc, [...at, 'key'], 'rate-limit-key-user', 'counting per user needs to know the user: set `gateway.auth`, or count per client address with `key: ip`');
  }
}

function checkCors(doc: SpecDocument, gateway: RawGateway, report: Reporter): void {
  const cors = gateway.cors;
  if (!cors) return;
  const at = ['gateway', 'cors', 'origins'];
  cors.origins.forEach((origin, i) => {
    if (origin === '*') {
      if (cors.credentials === true) {
        report.error(doc, [...at, i], 'cors-wildcard-credentials', 'any origin (`*`) with `credentials: true` would let every website call the API as the signed-in user; list the origins of your own pages');
      } else if (cors.origins.length > 1) {
        report.error(doc, [...at, i], 'cors-wildcard', '`*` allows any origin, so the other origins listed mean nothing; keep `*` alone, or list exact origins');
      }
      return;
    }
    const problem = originProblem(origin);
    if (problem) report.error(doc, [...at, i], 'cors-origin', problem);
  });
}

/** What is wrong with an allowed origin, with the exact origin it most likely means; undefined when it is one. */
function originProblem(text: string): string | undefined {
  const rule = 'an origin is exactly `scheme://host[:port]`, as a browser sends it (e.g. `https://shop.example.com`)';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `\`${shown(text)}\` is not an origin: ${rule}`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `\`${shown(text)}\` is not an origin: ${rule}, with scheme http or https`;
  if (url.username !== '' || url.password !== '') return `\`${shown(url.origin)}\` with a user name or password is not an origin: ${rule}`;
  // URL normalises case and default ports: an origin a browser sends is already in that form.
  return url.origin === text ? undefined : `\`${shown(text)}\` is not an origin: ${rule}; did you mean \`${shown(url.origin)}\`?`;
}

/** A value as a message quotes it: a long one cut, so a message stays a line. */
function shown(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** Durations the gateway waits with a timer: no longer than a timer can count. */
function tooLong(doc: SpecDocument, gateway: RawGateway, report: Reporter): void {
  const durations: [SpecPath, string | undefined][] = [
    [['limits', 'headersTimeout'], gateway.limits?.headersTimeout],
    [['limits', 'requestTimeout'], gateway.limits?.requestTimeout],
    [['limits', 'bodyIdleTimeout'], gateway.limits?.bodyIdleTimeout],
    [['limits', 'keepAliveTimeout'], gateway.limits?.keepAliveTimeout],
    [['auth', 'jwt', 'clockSkew'], gateway.auth?.jwt?.clockSkew],
    [['auth', 'delegate', 'cache'], gateway.auth?.delegate?.cache],
    [['auth', 'delegate', 'timeout'], gateway.auth?.delegate?.timeout],
    [['rateLimit', 'window'], gateway.rateLimit?.window],
    [['cors', 'maxAge'], gateway.cors?.maxAge],
    ...gateway.routes.map((r, i): [SpecPath, string | undefined] => [['routes', i, 'rateLimit', 'window'], typeof r.rateLimit === 'object' ? r.rateLimit.window : undefined]),
  ];
  for (const [path, text] of durations) {
    const ms = text === undefined ? undefined : parseDuration(text);
    if (ms !== undefined && ms > MAX_DURATION_MS) {
      report.error(doc, ['gateway', ...path], 'duration-too-long', `\`${text}\` is longer than the runtime can wait: at most ${MAX_DURATION_MS} ms (about 596h)`);
    }
  }
}
