// Editing a rendered spec file at a recorded position: replace the scalar printed there, shift a
// line's indentation, duplicate a line. Each edit checks that the text is what the bookkeeping says.
import { scalar, type Position } from '../arbitraries/render-hand.js';

/** Replaces the scalar `old` (as the renderer printed it) at `at` with `replacement`, YAML text inserted as is. */
export function replaceScalar(text: string, at: Position, old: string | number | boolean, replacement: string): string {
  const lines = text.split('\n');
  const line = lines[at.line - 1]!;
  const start = at.col - 1;
  const printed = [scalar(old, true), scalar(old, false)].find((p) => line.startsWith(p, start));
  if (printed === undefined) throw new Error(`mutation bookkeeping: ${JSON.stringify(old)} is not at ${at.line}:${at.col} of ${JSON.stringify(line)}`);
  lines[at.line - 1] = line.slice(0, start) + replacement + line.slice(start + printed.length);
  return lines.join('\n');
}

/** Moves line `n` (1-based) by `delta` spaces (negative: to the left; the line must have that many). */
export function shiftLine(text: string, n: number, delta: number): string {
  const lines = text.split('\n');
  const line = lines[n - 1]!;
  if (delta < 0 && !line.startsWith(' '.repeat(-delta))) throw new Error(`mutation bookkeeping: line ${n} is not indented by ${-delta}`);
  lines[n - 1] = delta > 0 ? ' '.repeat(delta) + line : line.slice(-delta);
  return lines.join('\n');
}

/** Inserts a copy of line `n` (1-based) right after it. */
export function duplicateLine(text: string, n: number): string {
  const lines = text.split('\n');
  lines.splice(n, 0, lines[n - 1]!);
  return lines.join('\n');
}

/** Whether line `n` (1-based) starts with what sits at `col` (a block key, not one inside a flow map). */
export function startsWithKeyAt(text: string, n: number, col: number): boolean {
  const line = text.split('\n')[n - 1] ?? '';
  return line.length - line.trimStart().length === col - 1;
}
