// Routes and input assembly for the HTTP binding, prepared once per endpoint at startup.
import { BadRequest, boundText, ValidationFailed } from '../errors/index.js';
import type { EndpointDescriptor } from '../service/definition.js';
import type { SchemaRegistry, Validators } from '../validation/types.js';

/** `/users/{id}` -> `/users/:id` (Express 5 path syntax). */
export function toExpressPath(path: string): string {
  return path.replace(/\{([A-Za-z_$][A-Za-z0-9_$]*)\}/g, ':$1');
}

/**
 * Orders spec paths so that, segment by segment, a literal comes before a parameter: Express tries
 * routes in order and `/users/{id}` would otherwise swallow `/users/me`. A total order (each path read
 * as its sequence of literal/parameter marks, compared as sequences, the shorter first on a tie), so a
 * sort gives the same answer whatever else is in the list: `/orders/placements` before `/orders/{id}`
 * even with `/orders` and `/orders/{id}/cancel` beside them.
 */
export function bySpecificity(a: string, b: string): number {
  const sa = a.split('/');
  const sb = b.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const pa = (sa[i] as string).startsWith('{');
    const pb = (sb[i] as string).startsWith('{');
    if (pa !== pb) return pa ? 1 : -1;
  }
  return sa.length - sb.length;
}

type Params = Record<string, string>;
type Query = Record<string, unknown>;

/**
 * An endpoint's input as the binding assembled it, and whether the coercing pass already found it
 * valid: then it is valid for the strict check too (the two differ only in coercion), and invoke
 * skips that second check.
 *
 * @example
 * const assembled: AssembledInput = { value: { id: 'sku-1' }, checked: true };
 */
export interface AssembledInput {
  readonly value: unknown;
  readonly checked: boolean;
}

/** Builds an endpoint's input from a request's path params, query and parsed body. */
export type InputAssembler = (params: Params, query: Query, body: unknown) => AssembledInput;

/**
 * Path params and query values arrive as strings; the coercing validators turn them into what the
 * input type says (integer fields become numbers, single query values of array fields become
 * arrays). Coercion only rewrites: reporting what is still invalid is the strict check's job in
 * invoke. Rejects here what only the HTTP shape explains: a path param that contradicts a body or
 * query field of the same name, a scalar query parameter given more than once, a JSON body that is
 * not an object.
 *
 * @param endpoint - the endpoint whose input is assembled
 * @param schemas - the mesh's schemas (which query fields take one value)
 * @param coercing - the coercing validators
 * @example
 * const assemble = createInputAssembler(endpoint, schemas, coercing);
 * assemble({ id: '42' }, {}, undefined); // { value: { id: 42 }, checked: true }
 */
export function createInputAssembler(endpoint: EndpointDescriptor, schemas: SchemaRegistry, coercing: Validators): InputAssembler {
  const names = endpoint.pathParams;
  const coerce = (value: Record<string, unknown>): AssembledInput => ({ value, checked: coercing.validate(endpoint.input, value).ok });
  const paramsOf = (params: Params) => {
    const values: Record<string, unknown> = {};
    for (const name of names) values[name] = params[name];
    return values;
  };

  switch (endpoint.inputSource) {
    case 'none':
      return names.length === 0 ? () => ({ value: {}, checked: false }) : (params) => coerce(paramsOf(params));
    case 'query': {
      const scalars = scalarFields(schemas, endpoint.input);
      return (params, query) => {
        rejectRepeated(query, scalars);
        const input: Record<string, unknown> = { ...query };
        for (const name of names) {
          if (Object.hasOwn(input, name) && input[name] !== params[name]) throw conflict(name, 'query parameter');
          input[name] = params[name];
        }
        return coerce(input);
      };
    }
    case 'body':
      return (params, _query, body) => {
        if (body === undefined) return names.length === 0 ? { value: {}, checked: false } : coerce(paramsOf(params));
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          throw new BadRequest(`the JSON body must be an object, got ${kindOf(body)}`);
        }
        if (names.length === 0) return { value: body, checked: false };
        // The params are coerced on their own (the body's fields are JSON already), so the whole is checked in invoke.
        const values = coerce(paramsOf(params)).value as Record<string, unknown>;
        const fields = body as Record<string, unknown>;
        for (const name of names) {
          if (Object.hasOwn(fields, name) && fields[name] !== values[name]) throw conflict(name, 'body field');
        }
        return { value: { ...fields, ...values }, checked: false };
      };
  }
}

function conflict(name: string, where: string): InstanceType<typeof BadRequest> {
  return new BadRequest(`path parameter '${name}' conflicts with the ${where} '${name}'`);
}

/** The input's fields that take one value (all but lists), as its schema says. */
function scalarFields(schemas: SchemaRegistry, input: string): Set<string> {
  const schema = schemas.$defs[input] as { properties?: Record<string, { type?: unknown }> } | undefined;
  const properties = Object.entries(schema?.properties ?? {});
  return new Set(properties.filter(([, property]) => property.type !== 'array').map(([name]) => name));
}

/** A repeated query key arrives as a list: for a field that takes one value, say so (not "must be integer"). */
function rejectRepeated(query: Query, scalars: Set<string>): void {
  const repeated = Object.entries(query).filter(
    (entry): entry is [string, unknown[]] => Array.isArray(entry[1]) && scalars.has(entry[0]),
  );
  if (repeated.length === 0) return;
  const [name, values] = repeated[0] as [string, unknown[]];
  // The first one named in full, the others counted: a query string can repeat hundreds of keys.
  const more = repeated.length > 1 ? ` (and ${repeated.length - 1} more repeated)` : '';
  throw new ValidationFailed(
    `invalid input: query parameter '${boundText(name, 100)}' is given ${values.length} times; it takes one value${more}`,
    repeated.map(([key, list]) => ({ path: `/${escapePointer(key)}`, message: `is given ${list.length} times in the query string; it takes one value` })),
  );
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
