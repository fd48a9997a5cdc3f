// Validation issues as one line of text, and as the ValidationFailed a caller gets. Apart from ajv
// (validation/index.ts) so that the core, which words its own ValidationFailed errors, loads no validator.
import { boundText, ValidationFailed } from '../errors/index.js';
import type { ValidationIssue } from './types.js';

/** Up to this many issues are spelled out in a one-line description; more are summarised. */
const DESCRIBED_ISSUES = 3;
/** Longest single issue in a description (a path may echo a client's long key). */
const MAX_DESCRIBED_CHARS = 200;

/**
 * A short description of `issues`: each of them when there are a few
 * (`/email must match format "email"; must have required property 'name'`), else their count and the
 * first (`130000 issues; first: /items/0 must have required property 'productId'`). Never longer
 * than a few hundred characters, however many issues there are.
 *
 * @param issues - the issues (possibly only the first of them)
 * @param total - how many were found in all; default `issues.length`
 * @param partial - true when there may be more than `total` (`130000+ issues`); default false
 * @example
 * describeIssues([{ path: '/email', message: 'must match format "email"' }]); // '/email must match format "email"'
 */
export function describeIssues(issues: readonly ValidationIssue[], total: number = issues.length, partial = false): string {
  const count = Math.max(total, issues.length);
  if (count <= DESCRIBED_ISSUES && !partial) return issues.map(describeOne).join('; ');
  const counted = `${count}${partial ? '+' : ''} issues`;
  const first = issues[0];
  return first ? `${counted}; first: ${describeOne(first)}` : counted;
}

function describeOne(issue: ValidationIssue): string {
  return boundText(issue.path ? `${issue.path} ${issue.message}` : issue.message, MAX_DESCRIBED_CHARS);
}

/**
 * The ValidationFailed for an input with these issues: a summary message (`invalid input: ...`)
 * and the first issues as details, the rest counted.
 *
 * @param issues - the issues found (validators report at most a few dozen)
 * @param total - how many were found in all; default `issues.length`
 * @param partial - true when there may be more than `total`; default false
 * @param subject - what was invalid, the message's start; default `invalid input`
 * @example
 * throw invalidInput(result.issues, result.total, result.partial);
 */
export function invalidInput(issues: readonly ValidationIssue[], total: number = issues.length, partial = false, subject = 'invalid input'): ValidationFailed {
  return new ValidationFailed(`${subject}: ${describeIssues(issues, total, partial)}`, issues, total, partial);
}
