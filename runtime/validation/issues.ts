// Validation issues as one line of text. Apart from ajv (validation/index.ts) so that the core, which
// words its own ValidationFailed errors, loads no validator.
import type { ValidationIssue } from './types.js';

/** `invalid input: /email must match format "email"; must have required property 'name'`. */
export function describeIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path} ${i.message}` : i.message)).join('; ');
}
