/** A mistake in how meshspec was called (exit 2), as opposed to a mistake in the spec (exit 1). */
export class UsageError extends Error {}
