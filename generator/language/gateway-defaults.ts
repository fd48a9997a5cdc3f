// What the gateway's security keys mean when the spec leaves them out, and the facts about them the
// checks, the model and `meshspec dev` share: which algorithms take a shared secret, which variable
// `keys: env:NAME` names, and what a token bucket's `refill` means.

/** JWT algorithms whose key is a shared secret; every other one the schema allows takes a public key. */
export const HMAC_JWT_ALGORITHMS: readonly string[] = ['HS256', 'HS384', 'HS512'];

/** The prefix of `auth.jwt.keys`: the key is read from the environment variable it names. */
export const ENV_KEY_PREFIX = 'env:';

/**
 * Whether an algorithm takes a shared secret (HS*) rather than a public key.
 *
 * @param algorithm a JWS `alg` the spec lists
 * @example isHmacJwtAlgorithm('HS256') // true
 */
export function isHmacJwtAlgorithm(algorithm: string): boolean {
  return HMAC_JWT_ALGORITHMS.includes(algorithm);
}

/**
 * The variable `keys: env:NAME` names, or undefined for another value.
 *
 * @param keys the spec's `auth.jwt.keys`
 * @example keyVariable('env:JWT_SECRET') // 'JWT_SECRET'
 */
export function keyVariable(keys: string | undefined): string | undefined {
  return keys?.startsWith(ENV_KEY_PREFIX) ? keys.slice(ENV_KEY_PREFIX.length) : undefined;
}

/** Seconds per unit of a token bucket's `refill` (`5/s`, `30/m`, `100/h`). */
const REFILL_UNITS_SEC: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 };

/**
 * Tokens per second of a `refill` rate, or undefined when `text` is not one.
 *
 * @param text the spec's `refill`, e.g. `5/s`
 * @example refillPerSecond('30/m') // 0.5
 */
export function refillPerSecond(text: string): number | undefined {
  const match = /^([1-9][0-9]*)\/(s|m|h)$/.exec(text);
  return match ? Number(match[1]) / REFILL_UNITS_SEC[match[2]!]! : undefined;
}
