// The mesh's JSON Schemas as emitted in generated/schemas.ts: one document, every type under $defs.
export interface SchemaRegistry {
  readonly $id: string;
  readonly $defs: Readonly<Record<string, object>>;
}

export interface ValidationIssue {
  /** JSON pointer into the validated value, `''` for the root. */
  readonly path: string;
  readonly message: string;
}

/**
 * A verdict. A failure lists at most the first few issues (REPORTED_ISSUES in index.ts); `total`
 * counts the issues found, and `partial` says only part of the value was read (long lists are
 * described from their first items), so there may be more than `total`.
 */
export type ValidationResult = { ok: true } | { ok: false; issues: ValidationIssue[]; total: number; partial: boolean };

export interface Validators {
  /** Validates `value` against the type `typeName` (a key of $defs). */
  validate(typeName: string, value: unknown): ValidationResult;
}
