// A tiny expression tree for the input mappings of generated sagas, printed like the rest of the
// generated code: on one line when it fits in WIDTH, else an object gets one entry per line. The
// object entries code.ts's literals cannot express (a field written only when its value is present)
// are why this is not printLiteral.
import { WIDTH, propertyName } from './code.js';

/**
 * An object literal: each entry a `key: value`, or, with `when`, `...(when && { key: value })`.
 *
 * @example
 * const shipTo: ObjectExpr = { kind: 'object', entries: [{ key: 'zip', value: 'input.zip', when: 'input.zip !== undefined' }] };
 */
export interface ObjectExpr {
  kind: 'object';
  entries: { key: string; value: Expr; when?: string }[];
}

/**
 * `list.map((item) => body)`.
 *
 * @example
 * const skus: MapExpr = { kind: 'map', list: 'input.lines', item: 'item', body: 'item.sku' };
 */
export interface MapExpr {
  kind: 'map';
  list: string;
  item: string;
  body: Expr;
}

/**
 * A code fragment printed as it is, an object literal, or a list mapped item by item.
 *
 * @example
 * const id: Expr = 'saga.id';
 */
export type Expr = string | ObjectExpr | MapExpr;

function entryFlat(entry: ObjectExpr['entries'][number]): string {
  const pair = `${propertyName(entry.key)}: ${flat(entry.value)}`;
  return entry.when === undefined ? pair : `...(${entry.when} && { ${pair} })`;
}

/**
 * `expr` on one line.
 *
 * @param expr - the expression
 * @example flat({ kind: 'object', entries: [{ key: 'id', value: 'saga.id' }] }) // '{ id: saga.id }'
 */
export function flat(expr: Expr): string {
  if (typeof expr === 'string') return expr;
  if (expr.kind === 'map') {
    const body = flat(expr.body);
    // An object literal as an arrow's body needs parentheses, or it reads as a block.
    return `${expr.list}.map((${expr.item}) => ${typeof expr.body === 'object' && expr.body.kind === 'object' ? `(${body})` : body})`;
  }
  return expr.entries.length === 0 ? '{}' : `{ ${expr.entries.map(entryFlat).join(', ')} }`;
}

/**
 * `expr` starting at `column` of a line indented by `indent` spaces: flat when it fits with `tail`
 * (what follows it on its line) in WIDTH, else objects broken one entry per line.
 *
 * @param expr - the expression
 * @param indent - the indentation of the line it starts on
 * @param column - where it starts (default: `indent`)
 * @param tail - the characters that follow it on its last line (default: 1, a comma)
 * @example printExpr({ kind: 'object', entries: [{ key: 'id', value: 'saga.id' }] }, 4) // '{ id: saga.id }'
 */
export function printExpr(expr: Expr, indent: number, column = indent, tail = 1): string {
  const line = flat(expr);
  if (typeof expr === 'string' || column + line.length + tail <= WIDTH) return line;
  if (expr.kind === 'map') {
    const head = `${expr.list}.map((${expr.item}) => `;
    if (typeof expr.body === 'object' && expr.body.kind === 'object') return `${head}(${printExpr(expr.body, indent, column + head.length + 1, tail + 2)}))`;
    return `${head}${printExpr(expr.body, indent, column + head.length, tail + 1)})`;
  }
  const inner = ' '.repeat(indent + 2);
  const lines = expr.entries.map((entry) => {
    const key = `${propertyName(entry.key)}: `;
    if (entry.when === undefined) return `${inner}${key}${printExpr(entry.value, indent + 2, indent + 2 + key.length)},\n`;
    const guarded = `${inner}${entryFlat(entry)},\n`;
    if (guarded.length - 1 <= WIDTH) return guarded;
    // Too long for one line: the guarded object gets a line of its own, like any other object.
    const value = printExpr(entry.value, indent + 4, indent + 4 + key.length);
    return `${inner}...(${entry.when} && {\n${inner}  ${key}${value},\n${inner}}),\n`;
  });
  return `{\n${lines.join('')}${' '.repeat(indent)}}`;
}
