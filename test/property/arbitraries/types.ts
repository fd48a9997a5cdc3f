// The types of one scope (mesh.yaml or a service): enums first, then records that may use the enums,
// the records before them, themselves (through lists and maps) and what the scope can see.
import type { Choose } from './choose.js';
import { enumValues, recordFields, type VisibleType } from './fields.js';
import { pascal, TYPE_NAMES } from './names.js';
import type { TypePlan } from './plan.js';
import { maybeDescription } from './text.js';

export interface DeclaredType extends VisibleType {
  /** A record whose fields a query string can carry (GET and DELETE inputs). */
  queryable: boolean;
}

export interface ScopeOptions {
  /** Types the scope can already see (mesh-level ones, for a service). */
  visible: readonly DeclaredType[];
  /** Names the scope must not take: the mesh's, its own so far, its endpoints' synthesized inputs. */
  taken: Set<string>;
  /** Extra names to try, like the generated names of this spec (a clash is then the checks' to report). */
  tricky: readonly string[];
  /** Records that must exist: [how many queryable, how many of any kind]. */
  minimum: { queryable: number; records: number };
}

export function declareTypes(choose: Choose, options: ScopeOptions): { plans: TypePlan[]; declared: DeclaredType[] } {
  const plans: TypePlan[] = [];
  const declared: DeclaredType[] = [];
  const visible = (): DeclaredType[] => [...options.visible, ...declared];
  const fresh = (): string => freshName(choose, options.taken, options.tricky);

  for (let i = choose.int(0, 2); i > 0; i--) {
    const name = fresh();
    plans.push(withDescription(choose, { name, enum: enumValues(choose) }));
    declared.push({ name, kind: 'enum', queryable: false });
  }
  const queryable = options.minimum.queryable + choose.int(0, 1);
  const records = Math.max(options.minimum.records - queryable, 0) + choose.int(0, 2);
  for (let i = 0; i < queryable + records; i++) {
    const name = fresh();
    const isQueryable = i < queryable;
    const { fields, reserved } = recordFields(choose, { queryable: isQueryable, visible: visible(), self: name });
    // Inline enums are types too, named `<Type><Field>`: one that would take a taken name becomes a string.
    for (const f of fields) {
      if (f.enum === undefined) continue;
      const inline = `${name}${pascal(f.name)}`;
      if (options.taken.has(inline)) convertToString(f);
      else options.taken.add(inline);
    }
    plans.push(withDescription(choose, { name, fields, ...(reserved && { reserved }) }));
    declared.push({ name, kind: 'record', queryable: isQueryable });
  }
  return { plans, declared };
}

function convertToString(f: { enum?: string[]; type?: string }): void {
  delete f.enum;
  f.type = 'string';
}

function freshName(choose: Choose, taken: Set<string>, tricky: readonly string[]): string {
  const pool = choose.chance(0.1) && tricky.length > 0 ? tricky : TYPE_NAMES;
  let name = choose.pick(pool);
  for (let n = 2; taken.has(name); n++) name = `${choose.pick(TYPE_NAMES)}${n}`;
  taken.add(name);
  return name;
}

function withDescription(choose: Choose, plan: TypePlan): TypePlan {
  const description = maybeDescription(choose, 0.25);
  return description === undefined ? plan : { ...plan, description };
}
