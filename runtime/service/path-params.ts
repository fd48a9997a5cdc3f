// What a path param value must be to travel in a URL: one path segment that is not empty (there is
// no segment to put it in) and not `.` or `..` (URL parsers resolve those away). The schema of the
// input cannot say so (the same record may travel in a body), so every transport checks it here.
import type { ValidationIssue } from '../validation/types.js';

const UNCARRIABLE = new Set(['', '.', '..']);

export const PATH_SEGMENT_MESSAGE = 'must be a URL path segment: not empty, "." or ".."';

/** Issues for the path params of `input` no URL can carry. */
export function pathParamIssues(params: readonly string[], input: unknown): ValidationIssue[] {
  if (params.length === 0 || typeof input !== 'object' || input === null) return [];
  const fields = input as Record<string, unknown>;
  return params
    .filter((name) => typeof fields[name] === 'string' && UNCARRIABLE.has(fields[name]))
    .map((name) => ({ path: `/${name}`, message: PATH_SEGMENT_MESSAGE }));
}
