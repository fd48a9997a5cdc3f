// What a path param value must be to travel in a URL: one path segment that is not empty (there is
// no segment to put it in) and not `.` or `..` (URL parsers resolve those away). The runtime refuses
// other values on every transport; the generator refuses them as examples of path params.

const UNCARRIABLE = new Set(['', '.', '..']);

export const PATH_SEGMENT_RULE = 'a URL path segment: not empty, "." or ".."';

/** True when a string value can be one path segment (numbers and enum values always can). */
export function isPathSegment(value: unknown): boolean {
  return typeof value !== 'string' || !UNCARRIABLE.has(value);
}
