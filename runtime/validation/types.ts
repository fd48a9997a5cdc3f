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

export type ValidationResult = { ok: true } | { ok: false; issues: ValidationIssue[] };

export interface Validators {
  /** Validates `value` against the type `typeName` (a key of $defs). */
  validate(typeName: string, value: unknown): ValidationResult;
}
