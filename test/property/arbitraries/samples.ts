// A value of a spec type that its validators must accept, built from the plan: the input the checks
// send to every endpoint (the stubs must then answer NotImplemented, not a validation error). String
// values are chosen to be awkward in a URL: slashes, `?`, `#`, `%`, `&`, spaces, non-ASCII.
import { PATTERNS } from './fields.js';
import type { FieldPlan, SpecPlan, TypePlan } from './plan.js';

const AWKWARD = ['a/b?c#d', '100% & more', 'Grüße 🚀', ' ', 'x+y=z', '..', ''];
const FORMAT_SAMPLES: Record<NonNullable<FieldPlan['format']>, string> = {
  uuid: '0b2f7c1e-8d3a-4c5b-9e6f-1a2b3c4d5e6f',
  email: 'ada@example.com',
  'date-time': '2024-02-29T23:59:59Z',
  date: '2024-02-29',
  uri: 'https://example.com/a%20b?c=d#e',
};

export type Sample = string | number | boolean | null | Sample[] | { [key: string]: Sample };

/** Finds the types of a scope: a service's own, then the mesh's. */
export function typeOf(plan: SpecPlan, service: string | null, name: string): TypePlan {
  const own = plan.services.find((s) => s.service === service)?.types?.find((t) => t.name === name);
  const found = own ?? plan.mesh.types?.find((t) => t.name === name);
  if (!found) throw new Error(`sample: no type ${name} in scope ${service ?? 'mesh'}`);
  return found;
}

/** `variant` picks among valid values (0 is the plainest), so that calls differ from one another. */
export function sampleOf(plan: SpecPlan, service: string | null, name: string, variant: number, depth = 0): Sample {
  const type = typeOf(plan, service, name);
  if (type.enum) return type.enum[variant % type.enum.length]!;
  const owner = plan.services.find((s) => s.service === service)?.types?.some((t) => t.name === name) ? service : null;
  const out: Record<string, Sample> = {};
  for (const f of type.fields ?? []) {
    // Optional fields are left out now and then, and always once deep (recursive records end).
    if (f.optional && (depth > 1 || (variant + f.field) % 2 === 0)) continue;
    out[f.name] = fieldSample(plan, owner, f, variant + f.field, depth);
  }
  return out;
}

function fieldSample(plan: SpecPlan, owner: string | null, f: FieldPlan, variant: number, depth: number): Sample {
  if (f.enum) return f.enum[variant % f.enum.length]!;
  if (f.type === 'array') {
    const count = f.minItems ?? (depth > 1 ? 0 : variant % 3);
    return Array.from({ length: count }, (_, i) => scalarOrRef(plan, owner, f.items!, f, variant + i, depth + 1));
  }
  if (f.type === 'map') {
    if (depth > 1 || variant % 2 === 0) return {};
    return { key: scalarOrRef(plan, owner, f.values!, f, variant, depth + 1), 'a b/c': scalarOrRef(plan, owner, f.values!, f, variant + 1, depth + 1) };
  }
  return scalarOrRef(plan, owner, f.type!, f, variant, depth);
}

function scalarOrRef(plan: SpecPlan, owner: string | null, type: string, f: FieldPlan, variant: number, depth: number): Sample {
  switch (type) {
    case 'string':
      return stringSample(f, variant);
    case 'integer':
      return numberSample(f, variant, true);
    case 'number':
      return numberSample(f, variant, false);
    case 'boolean':
      return variant % 2 === 0;
    default:
      return sampleOf(plan, owner, type, variant, depth + 1);
  }
}

/** A value of a primitive field that its own constraints accept (for `example`). */
export function primitiveSample(f: FieldPlan, variant: number): string | number | boolean {
  if (f.type === 'string') return stringSample(f, variant);
  if (f.type === 'integer' || f.type === 'number') return numberSample(f, variant, f.type === 'integer');
  return variant % 2 === 0;
}

function stringSample(f: FieldPlan, variant: number): string {
  // Constraints apply to the field's own strings, not to the items of a list of strings.
  if (f.type === 'string' && f.format) return FORMAT_SAMPLES[f.format];
  if (f.type === 'string' && f.pattern !== undefined) return PATTERNS.find((p) => p.pattern === f.pattern)!.sample;
  const base = AWKWARD[variant % AWKWARD.length]!;
  if (f.type !== 'string') return base;
  const min = f.minLength ?? 0;
  const max = f.maxLength ?? Infinity;
  const padded = [...base].length >= min ? base : base + 'x'.repeat(min - [...base].length);
  return [...padded].length <= max ? padded : 'x'.repeat(min);
}

function numberSample(f: FieldPlan, variant: number, integer: boolean): number {
  const applies = f.type === 'integer' || f.type === 'number';
  const low = applies ? (f.minimum ?? -Infinity) : -Infinity;
  const high = applies ? (f.maximum ?? Infinity) : Infinity;
  const wanted = [0, -1, 7, 2 ** 40, 0.25][variant % 5]!;
  let value = integer ? Math.trunc(wanted) : wanted;
  if (value < low) value = integer ? Math.ceil(low) : low;
  if (value > high) value = integer ? Math.floor(high) : high;
  return value;
}
