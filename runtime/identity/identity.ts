// What the gateway asserts about a request's caller, and what a service gets back once it checked it.

/** The identity the gateway asserts (or a service, for its own calls). */
export interface AssertedIdentity {
  /** User id, or `service:<name>`. */
  readonly subject: string;
  readonly roles: readonly string[];
  /** Set when the caller is a service of the mesh. */
  readonly service?: string;
  /** The request's deadline, epoch ms: bound with the identity so a replay cannot outlive it. */
  readonly deadline?: number;
  /** The request id the identity was issued for. */
  readonly requestId?: string;
}

/** A verified identity: what was asserted, and until when the assertion holds. */
export interface SignedIdentity extends AssertedIdentity {
  /** Epoch ms after which the value is refused. */
  readonly expiresAt: number;
}

/** Why a value was refused. Stable: services log it and tests key on it. */
export type IdentityFailure = 'missing' | 'tooLong' | 'malformed' | 'unknownKey' | 'signature' | 'expired';

/** The outcome of {@link verifyIdentity}: no exception on the hot path. */
export type IdentityCheck = { readonly ok: true; readonly identity: SignedIdentity } | { readonly ok: false; readonly reason: IdentityFailure };
