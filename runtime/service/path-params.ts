// Path param values no URL can carry (common/path-segments.ts). The schema of the input cannot say so
// (the same record may travel in a body), so every transport checks it here.
import { isPathSegment, PATH_SEGMENT_RULE } from '../../common/path-segments.js';
import type { ValidationIssue } from '../validation/types.js';

export const PATH_SEGMENT_MESSAGE = `must be ${PATH_SEGMENT_RULE}`;

/** Issues for the path params of `input` no URL can carry. */
export function pathParamIssues(params: readonly string[], input: unknown): ValidationIssue[] {
  if (params.length === 0 || typeof input !== 'object' || input === null) return [];
  const fields = input as Record<string, unknown>;
  return params.filter((name) => !isPathSegment(fields[name])).map((name) => ({ path: `/${name}`, message: PATH_SEGMENT_MESSAGE }));
}
