// Routes and input assembly for the HTTP binding, prepared once per endpoint at startup.
import { BadRequest } from '../errors/index.js';
import type { EndpointDescriptor } from '../service/definition.js';
import type { Validators } from '../validation/types.js';

/** `/users/{id}` -> `/users/:id` (Express 5 path syntax). */
export function toExpressPath(path: string): string {
  return path.replace(/\{([A-Za-z_$][A-Za-z0-9_$]*)\}/g, ':$1');
}

/**
 * Orders spec paths so that, segment by segment, a literal comes before a parameter: Express tries
 * routes in order and `/users/{id}` would otherwise swallow `/users/me`.
 */
export function bySpecificity(a: string, b: string): number {
  const sa = a.split('/');
  const sb = b.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const pa = (sa[i] as string).startsWith('{');
    const pb = (sb[i] as string).startsWith('{');
    if (pa !== pb) return pa ? 1 : -1;
  }
  return 0;
}

type Params = Record<string, string>;
type Query = Record<string, unknown>;

/** Builds an endpoint's input from a request's path params, query and parsed body. */
export type InputAssembler = (params: Params, query: Query, body: unknown) => unknown;

/**
 * Path params and query values arrive as strings; the coercing validators turn them into what the
 * input type says (integer fields become numbers, single query values of array fields become
 * arrays). Coercion only rewrites: reporting what is still invalid is the strict check's job in
 * invoke. Throws BadRequest when a path param contradicts a body or query field of the same name.
 */
export function createInputAssembler(endpoint: EndpointDescriptor, coercing: Validators): InputAssembler {
  const names = endpoint.pathParams;
  const coerce = (value: Record<string, unknown>) => {
    coercing.validate(endpoint.input, value);
    return value;
  };
  const paramsOf = (params: Params) => {
    const values: Record<string, unknown> = {};
    for (const name of names) values[name] = params[name];
    return coerce(values);
  };

  switch (endpoint.inputSource) {
    case 'none':
      return names.length === 0 ? () => ({}) : (params) => paramsOf(params);
    case 'query':
      return (params, query) => {
        const input: Record<string, unknown> = { ...query };
        for (const name of names) {
          if (Object.hasOwn(input, name) && input[name] !== params[name]) throw conflict(name, 'query parameter');
          input[name] = params[name];
        }
        return coerce(input);
      };
    case 'body':
      return (params, _query, body) => {
        if (body === undefined) return names.length === 0 ? {} : paramsOf(params);
        // A non-object body cannot take params: leave it for validation to reject.
        if (names.length === 0 || typeof body !== 'object' || body === null || Array.isArray(body)) return body;
        const values = paramsOf(params);
        const fields = body as Record<string, unknown>;
        for (const name of names) {
          if (Object.hasOwn(fields, name) && fields[name] !== values[name]) throw conflict(name, 'body field');
        }
        return { ...fields, ...values };
      };
  }
}

function conflict(name: string, where: string): InstanceType<typeof BadRequest> {
  return new BadRequest(`path parameter '${name}' conflicts with the ${where} '${name}'`);
}
