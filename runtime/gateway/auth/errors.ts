// Every way authentication fails, as one error class with a stable reason code. The message is short
// and safe to send to a client; what the library underneath said (jose's text, a URL, a socket error)
// stays in `cause`, for the gateway's log only.
import { MeshError } from '../../errors/index.js';

/** Why a request was not authenticated. Stable: the gateway, its logs and its tests key on these. */
export type AuthFailureReason =
  | 'missing'
  | 'malformed'
  | 'algorithm'
  | 'signature'
  | 'expired'
  | 'notYetValid'
  | 'issuer'
  | 'audience'
  | 'claims'
  | 'keysUnavailable'
  | 'rejected'
  | 'forbidden'
  | 'unavailable';

const MESSAGES: Readonly<Record<AuthFailureReason, string>> = {
  missing: 'missing bearer token',
  malformed: 'malformed bearer token',
  algorithm: 'token algorithm not accepted',
  signature: 'token signature not valid',
  expired: 'token expired',
  notYetValid: 'token not yet valid',
  issuer: 'token issuer not accepted',
  audience: 'token audience not accepted',
  claims: 'token claims not valid',
  keysUnavailable: 'token keys unavailable, try again later',
  rejected: 'credentials rejected',
  forbidden: 'credentials not allowed here',
  unavailable: 'authentication unavailable, try again later',
};

/** The reasons that say "we could not check" rather than "the token is bad": answered 503, never 401. */
const UNAVAILABLE: ReadonlySet<AuthFailureReason> = new Set(['keysUnavailable', 'unavailable']);

function statusOf(reason: AuthFailureReason): number {
  if (UNAVAILABLE.has(reason)) return 503;
  return reason === 'forbidden' ? 403 : 401;
}

function codeOf(status: number): string {
  return status === 503 ? 'Unavailable' : status === 403 ? 'Forbidden' : 'Unauthorized';
}

/**
 * An authentication failure. `status` is what the gateway answers (401, 403 for `forbidden`, 503 for
 * `keysUnavailable` and `unavailable`), `code` the matching mesh error code, `message` client-safe.
 */
export class AuthError extends MeshError {
  readonly reason: AuthFailureReason;

  /**
   * @param reason Why authentication failed.
   * @param cause What the library underneath reported; logged by the gateway, never sent to a client. Default none.
   * @example
   * throw new AuthError('expired');
   * err.toBody(requestId); // { error: { code: 'Unauthorized', message: 'token expired', requestId } }
   */
  constructor(reason: AuthFailureReason, cause?: unknown) {
    const status = statusOf(reason);
    super(codeOf(status), MESSAGES[reason], status);
    this.reason = reason;
    if (cause !== undefined) this.cause = cause;
  }

  /**
   * True when the failure says nothing about the token: the client should retry later (503).
   *
   * @example
   * if (err.unavailable) logger.warn({ err: err.cause }, 'authentication could not be checked');
   */
  get unavailable(): boolean {
    return UNAVAILABLE.has(this.reason);
  }
}

/**
 * True when `err` is an {@link AuthError}, and (when given) has `reason`.
 *
 * @param err Anything caught.
 * @param reason The reason to match. Default any.
 * @example
 * if (isAuthError(err, 'keysUnavailable')) logger.warn({ err: err.cause }, 'JWKS unreachable');
 */
export function isAuthError(err: unknown, reason?: AuthFailureReason): err is AuthError {
  return err instanceof AuthError && (reason === undefined || err.reason === reason);
}
