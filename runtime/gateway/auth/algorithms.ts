// Which JWS algorithms a verifier accepts, checked when it is built: `none` never, and never an HMAC
// algorithm beside an asymmetric one (with both allowed, a token signed with HS256 using the public
// key as the secret would be checked with the public key: the classic RS/HS confusion).

/** HMAC algorithms: the key is a shared secret. */
export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
/** Asymmetric algorithms: the key is a public key (PEM, certificate, or JWKS). */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;

export type HmacAlgorithm = (typeof HMAC_ALGORITHMS)[number];
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];
export type JwtAlgorithm = HmacAlgorithm | AsymmetricAlgorithm;

const HMAC: ReadonlySet<string> = new Set(HMAC_ALGORITHMS);
const ASYMMETRIC: ReadonlySet<string> = new Set(ASYMMETRIC_ALGORITHMS);

/**
 * True for HS256/384/512.
 *
 * @param alg A JWS `alg` value.
 * @example
 * isHmacAlgorithm('HS384'); // true
 * isHmacAlgorithm('RS256'); // false
 */
export function isHmacAlgorithm(alg: string): alg is HmacAlgorithm {
  return HMAC.has(alg);
}

/**
 * The allowlist, checked: not empty, every entry a known algorithm, no `none`, no mix of HMAC and
 * asymmetric algorithms, no duplicates.
 *
 * @param algorithms What the configuration lists.
 * @returns `kind`: which kind of key the list needs.
 * @throws Error naming the offending entry.
 * @example
 * checkAlgorithms(['RS256', 'PS256']); // { algorithms: ['RS256', 'PS256'], kind: 'asymmetric' }
 * checkAlgorithms(['HS256', 'RS256']); // throws: HMAC and asymmetric algorithms cannot be mixed
 */
export function checkAlgorithms(algorithms: readonly string[]): { algorithms: JwtAlgorithm[]; kind: 'hmac' | 'asymmetric' } {
  if (!Array.isArray(algorithms) || algorithms.length === 0) throw new Error('jwt: algorithms must list at least one algorithm');
  for (const alg of algorithms) {
    if (typeof alg === 'string' && alg.toLowerCase() === 'none') throw new Error('jwt: algorithm "none" is never accepted (unsigned tokens)');
    if (!HMAC.has(alg) && !ASYMMETRIC.has(alg)) {
      throw new Error(`jwt: unknown algorithm ${JSON.stringify(String(alg)).slice(0, 40)}; expected one of ${[...HMAC_ALGORITHMS, ...ASYMMETRIC_ALGORITHMS].join(', ')}`);
    }
  }
  if (new Set(algorithms).size !== algorithms.length) throw new Error('jwt: algorithms lists an algorithm twice');
  const hmac = algorithms.filter((alg) => HMAC.has(alg));
  if (hmac.length > 0 && hmac.length < algorithms.length) {
    throw new Error('jwt: HMAC (HS*) and asymmetric algorithms cannot be mixed: a token signed with the public key as an HMAC secret would pass');
  }
  return { algorithms: [...algorithms] as JwtAlgorithm[], kind: hmac.length > 0 ? 'hmac' : 'asymmetric' };
}
