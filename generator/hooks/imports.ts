// Making sure a name a stub needs is imported: nothing when the file already binds it, else added
// to an existing import of the right module, else a new import line after the last import.
import type { Insertion } from './edits.js';
import type { HookFileShape, ImportShape } from './parse.js';
import type { Style } from './style.js';

export interface Wanted {
  /** The names to bring in, all from `module` (e.g. `OrdersSubscriptions`, `OrdersFallbacks`). */
  names: readonly string[];
  module: string;
  typeOnly: boolean;
  /** Prefer adding to the import that brings in this name (e.g. `UsersHandlers`), wherever it comes from. */
  besideOf?: string;
}
/** True when `name` is already a top-level binding: imported (under any module) or declared. */
export function isBound(shape: HookFileShape, name: string): boolean {
  if (shape.declared.has(name)) return true;
  return shape.imports.some(
    (imp) => imp.otherLocals.includes(name) || (imp.named?.elements.some((el) => el.local === name) ?? false),
  );
}

function canTake(imp: ImportShape, wanted: Wanted): boolean {
  // A value cannot join `import type { ... }`; a type may join either kind.
  return imp.named !== null && (wanted.typeOnly || !imp.typeOnly);
}

function target(shape: HookFileShape, wanted: Wanted): ImportShape | undefined {
  const beside = wanted.besideOf;
  const besideImport =
    beside === undefined
      ? undefined
      : shape.imports.find((imp) => imp.named?.elements.some((el) => el.local === beside) && canTake(imp, wanted));
  return besideImport ?? shape.imports.find((imp) => imp.module === wanted.module && canTake(imp, wanted));
}

/**
 * Insertions that bring the names of `wanted` that are not bound yet into scope, all in one import;
 * empty when every one already is.
 *
 * @param shape - the parsed hook file
 * @param wanted - the names and the module they come from
 * @param style - the file's style, for a new import line
 * @example
 * ensureImport(shape, { names: ['NotImplemented'], module: 'meshspec/runtime', typeOnly: false }, style);
 */
export function ensureImport(shape: HookFileShape, wanted: Wanted, style: Style): Insertion[] {
  const names = wanted.names.filter((name) => !isBound(shape, name));
  if (names.length === 0) return [];
  const existing = target(shape, wanted);
  if (existing?.named) {
    // Under verbatimModuleSyntax a type in a value import needs its own `type` marker.
    const entries = names.map((name) => (wanted.typeOnly && !existing.typeOnly ? `type ${name}` : name)).join(', ');
    const { lastEnd, open } = existing.named;
    return [lastEnd === null ? { at: open + 1, text: ` ${entries} ` } : { at: lastEnd, text: `, ${entries}` }];
  }
  const last = shape.imports.at(-1);
  const quote = last?.quote ?? style.quote;
  const semi = (last?.semi ?? style.semi) ? ';' : '';
  const line = `import ${wanted.typeOnly ? 'type ' : ''}{ ${names.join(', ')} } from ${quote}${wanted.module}${quote}${semi}`;
  if (last) return [{ at: last.end, text: style.eol + line }];
  return [{ at: shape.firstStatement, text: line + style.eol + style.eol }];
}
