// The one ordering the generator sorts names by: UTF-16 code units, like `Array.prototype.sort()`
// without a comparator, and independent of locale, so output is the same bytes on every machine.

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
