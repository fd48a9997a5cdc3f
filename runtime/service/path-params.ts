// Path param values no URL can carry (common/path-segments.ts). The schema of the input cannot say so
// (the same record may travel in a body), so every transport checks it here.
import { isPathSegment, PATH_SEGMENT_RULE } from '../../common/path-segments.js';
import type { ValidationIssue } from '../validation/types.js';

export const PATH_SEGMENT_MESSAGE = `must be ${PATH_SEGMENT_RULE}`;

/** Issues for the path params of `input` no URL can carry. */
export function pathParamIssues(params: readonly string[], input: unknown): ValidationIssue[] {
  if (params.length === 0 || typeof input !== 'object' || input === null) return NONE;
  const fields = input as Record<string, unknown>;
  let issues: ValidationIssue[] | undefined;
  // A loop rather than filter/map: every request with path params runs this, and nearly all pass.
  for (const name of params) {
    if (!isPathSegment(fields[name])) (issues ??= []).push({ path: `/${name}`, message: PATH_SEGMENT_MESSAGE });
  }
  return issues ?? NONE;
}

const NONE = Object.freeze([]) as unknown as ValidationIssue[];
