// `meshspec dev` with an authenticating gateway: a stack that starts and can be called without an
// identity provider. A JWT secret the environment lacks becomes a random one for this run (never
// written anywhere), the identity keys likewise, and one line prints a token to call with. Tokens
// of a JWKS or a public key come from the identity provider: dev only says so.
import { randomBytes } from 'node:crypto';
import { IDENTITY_KEYS_VARIABLE, formatIdentityKeys, generateIdentityKey } from '../../runtime/identity/index.js';

/** The gateway's auth as the model holds it (a MeshModel's `gateway.auth` fits). */
export type DevAuth =
  | {
      readonly jwt: {
        readonly algorithms: readonly string[];
        readonly secretEnv?: string;
        readonly publicKeyEnv?: string;
        readonly jwksUrl?: string;
        readonly issuer?: string;
        readonly audience?: string;
      };
    }
  | { readonly delegate: { readonly service: string; readonly path: string } };

/** How long a development token lasts: a working day. */
export const DEV_TOKEN_TTL_SEC = 12 * 3600;

/** The subject of a development token. */
export const DEV_SUBJECT = 'developer';

/** Random bytes of a development secret: enough for HS512's full strength. */
const DEV_SECRET_BYTES = 64;

/**
 * Fills the environment the stack reads (`env`, which child processes inherit) with what the
 * gateway's auth needs and the developer lacks, and returns the lines to print once the stack is up.
 *
 * @param auth the gateway's auth, or undefined when it has none (then nothing changes)
 * @param env the environment to read and fill; default `process.env`
 * @param now the clock for the token, epoch ms; default `Date.now`
 * @example
 * const notes = await prepareDevAuth(model.gateway?.auth); // sets JWT_SECRET and MESH_IDENTITY_KEYS when unset
 * // ['JWT_SECRET is unset: the gateway verifies tokens with a random secret for this run', 'development token (expires in 12h): eyJ...']
 */
export async function prepareDevAuth(auth: DevAuth | undefined, env: NodeJS.ProcessEnv = process.env, now: () => number = Date.now): Promise<string[]> {
  return (await prepareDevAuthWithToken(auth, env, now)).notes;
}

/**
 * What prepareDevAuth does, answering also the development token it made (undefined when it made
 * none): the dashboard's API explorer sends it.
 *
 * @param auth the gateway's auth, or undefined when it has none (then nothing changes)
 * @param env the environment to read and fill; default `process.env`
 * @param now the clock for the token, epoch ms; default `Date.now`
 * @example
 * const { notes, token } = await prepareDevAuthWithToken(model.gateway?.auth);
 * for (const note of notes) console.log(note);
 * await runStack(stack, { dashboard: { token } });
 */
export async function prepareDevAuthWithToken(
  auth: DevAuth | undefined,
  env: NodeJS.ProcessEnv = process.env,
  now: () => number = Date.now,
): Promise<{ notes: string[]; token: string | undefined }> {
  if (!auth) return { notes: [], token: undefined };
  const notes: string[] = [];
  // The gateway signs the identity it asserts and the services verify it: one key for the whole stack.
  if (!env[IDENTITY_KEYS_VARIABLE]) env[IDENTITY_KEYS_VARIABLE] = formatIdentityKeys([generateIdentityKey('dev')]);
  if ('delegate' in auth) return { notes, token: undefined };
  const { jwt } = auth;
  if (jwt.jwksUrl !== undefined) {
    notes.push(`tokens must come from the identity provider: the gateway verifies them with its keys at ${jwt.jwksUrl}`);
    return { notes, token: undefined };
  }
  if (jwt.publicKeyEnv !== undefined) {
    notes.push(
      env[jwt.publicKeyEnv]
        ? `tokens must come from the identity provider: the gateway verifies them with the public key in ${jwt.publicKeyEnv}`
        : `tokens must come from the identity provider, and ${jwt.publicKeyEnv} is unset: set it to the provider's public key (PEM) for the gateway to start`,
    );
    return { notes, token: undefined };
  }
  const variable = jwt.secretEnv;
  if (variable === undefined) return { notes, token: undefined };
  if (!env[variable]) {
    env[variable] = randomBytes(DEV_SECRET_BYTES).toString('base64url');
    notes.push(`${variable} is unset: the gateway verifies tokens with a random secret for this run`);
  }
  const made = await tokenLine(jwt, env[variable] as string, now);
  notes.push(made.line);
  return { notes, token: made.token };
}

/** `development token (expires in 12h): eyJ...` and the token, or why there is none (a secret of the user's own that is too short). */
async function tokenLine(jwt: Extract<DevAuth, { jwt: unknown }>['jwt'], secret: string, now: () => number): Promise<{ line: string; token: string | undefined }> {
  const claims = { secret, subject: DEV_SUBJECT, ttlSec: DEV_TOKEN_TTL_SEC, now, ...(jwt.issuer !== undefined && { issuer: jwt.issuer }), ...(jwt.audience !== undefined && { audience: jwt.audience }) };
  try {
    const token = jwt.algorithms.includes('HS256') ? await hs256Token(claims) : await hmacToken(jwt.algorithms[0] ?? 'HS256', claims);
    return { line: `development token (expires in ${DEV_TOKEN_TTL_SEC / 3600}h): ${token}`, token };
  } catch (error) {
    return { line: `no development token: ${(error as Error).message}`, token: undefined };
  }
}

type Claims = { secret: string; subject: string; ttlSec: number; now: () => number; issuer?: string; audience?: string };

async function hs256Token(claims: Claims): Promise<string> {
  const { developmentToken } = await import('../../runtime/gateway/auth/index.js');
  return developmentToken(claims);
}

/** The runtime's development token is HS256; a gateway that accepts only HS384 or HS512 gets the same claims signed with its own. */
async function hmacToken(algorithm: string, claims: Claims): Promise<string> {
  const { SignJWT } = await import('jose');
  const issuedAt = Math.floor(claims.now() / 1000);
  const token = new SignJWT({ roles: [] })
    .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + claims.ttlSec);
  if (claims.issuer !== undefined) token.setIssuer(claims.issuer);
  if (claims.audience !== undefined) token.setAudience(claims.audience);
  return token.sign(new TextEncoder().encode(claims.secret));
}
