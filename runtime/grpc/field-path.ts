// Where in a message a value went wrong, in the two spellings callers read: the proto field path
// gRPC tooling uses (`create_order.items[2].product_id`, as google.rpc.BadRequest and protovalidate
// write it) and the JSON pointer into the hook-shaped value that HTTP's ValidationFailed details use
// (`/items/2/productId`).

export type PathSegment =
  /** A field: its name in the .proto and in JSON (the spec's camelCase name). */
  | { readonly field: string; readonly json: string }
  | { readonly index: number }
  | { readonly key: string };

/**
 * A value that does not fit its field. Converters are built once per message type, so the one that
 * finds the problem does not know where its message sits: each enclosing converter puts its own
 * segment in front on the way out (`within`).
 */
export class ConversionError extends Error {
  /** From the outermost message converted so far. */
  readonly path: PathSegment[] = [];

  constructor(readonly problem: string) {
    super(problem);
    this.name = 'ConversionError';
  }

  within(segment: PathSegment): this {
    this.path.unshift(segment);
    return this;
  }
}

/** Re-throws `err` with `segment` in front when it is a ConversionError; anything else as is. */
export function rethrowWithin(err: unknown, segment: PathSegment): never {
  if (err instanceof ConversionError) throw err.within(segment);
  throw err;
}

/** `item.children[0].attrs["color"]`; `''` for the message itself. */
export function protoFieldPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if ('field' in segment) out += out === '' ? segment.field : `.${segment.field}`;
    else if ('index' in segment) out += `[${segment.index}]`;
    else out += `[${JSON.stringify(segment.key)}]`;
  }
  return out;
}

/** `/item/children/0/attrs/color`; `''` for the value itself. */
export function jsonPointer(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    const token = 'field' in segment ? segment.json : 'index' in segment ? String(segment.index) : segment.key;
    out += `/${token.replaceAll('~', '~0').replaceAll('/', '~1')}`;
  }
  return out;
}

/** The tokens of a JSON pointer (`/a/0/b~1c` -> `a`, `0`, `b/c`). */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** A value as an error message shows it: JSON, cut short. */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? (typeof value === 'function' ? 'a function' : String(value));
  } catch {
    text = typeof value === 'bigint' ? `${value}n` : Object.prototype.toString.call(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
