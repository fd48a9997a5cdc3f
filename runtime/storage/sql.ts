// The `sql` tag: a query whose interpolated values always travel as parameters ($1, $2, ...), never
// as text. Nothing interpolated can become SQL except another `sql` fragment, so identifiers (table
// and column names) cannot be interpolated at all: they belong in the template's own text.

/**
 * A statement and its parameters, made by the `sql` tag (or combined from fragments it made).
 *
 * @example
 * const query = sql`select * from users where id = ${id}`;
 * query.text; // 'select * from users where id = $1'
 * query.values; // [id]
 */
export class SqlQuery {
  // Kept as pieces so that a fragment nested in another is renumbered by position, not by rewriting `$n` in text.
  readonly #strings: readonly string[];
  readonly #values: readonly unknown[];

  /** @internal use the `sql` tag */
  constructor(strings: readonly string[], values: readonly unknown[]) {
    this.#strings = strings;
    this.#values = values;
  }

  /** The statement with `$1`, `$2`, ... where the values go. */
  get text(): string {
    let text = this.#strings[0] as string;
    for (let i = 1; i < this.#strings.length; i++) text += `$${i}${this.#strings[i] as string}`;
    return text;
  }

  /** The parameters, in the order of their placeholders. */
  get values(): unknown[] {
    return [...this.#values];
  }

  /** @internal the pieces a parent fragment splices in */
  get parts(): { strings: readonly string[]; values: readonly unknown[] } {
    return { strings: this.#strings, values: this.#values };
  }
}

/**
 * Tags a template as a parameterised query: every `${value}` becomes a placeholder and a parameter.
 * A `${fragment}` made by `sql` is spliced in with its own parameters renumbered, so conditions can
 * be composed. Called other than as a tag, it throws (a plain string must not pass for a template).
 *
 * @param strings - the template's literal text (supplied by JavaScript)
 * @param values - the interpolated values; any JS value the engine can send (see README: types)
 * @example
 * const byStatus = status ? sql`and status = ${status}` : sql``;
 * await db.query<{ id: string }>(sql`select id from orders where customer = ${customer} ${byStatus}`);
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlQuery {
  if (!Array.isArray(strings) || !Array.isArray((strings as { raw?: unknown }).raw)) {
    throw new TypeError('sql must be used as a template tag: sql`select ... where id = ${id}`');
  }
  const outStrings: string[] = [strings[0] as string];
  const outValues: unknown[] = [];
  values.forEach((value, i) => {
    const following = strings[i + 1] as string;
    if (value instanceof SqlQuery) {
      const { strings: inner, values: innerValues } = value.parts;
      outStrings[outStrings.length - 1] += inner[0] as string;
      for (let j = 1; j < inner.length; j++) outStrings.push(inner[j] as string);
      outValues.push(...innerValues);
      outStrings[outStrings.length - 1] += following;
    } else {
      outValues.push(value);
      outStrings.push(following);
    }
  });
  return new SqlQuery(outStrings, outValues);
}
