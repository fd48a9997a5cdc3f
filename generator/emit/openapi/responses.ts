// An operation's responses: the success status with its output, then one response per error
// status the endpoint can answer with. Several codes may share a status (409 for Conflict and
// OutOfStock); they share the response, whose description names each code.
import type { EndpointModel } from '../../model/types.js';
import { compare } from '../../model/order.js';
import { componentRef, toOpenApiSchema } from './schemas.js';
import type { Response, Responses, Schema } from './types.js';

interface ErrorCase {
  code: string;
  description?: string;
}

const reasons: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content' };

/** `hasInput`: the input has fields, so it is validated and may be rejected with 400. */
export function operationResponses(
  endpoint: EndpointModel,
  hasInput: boolean,
  errorSchema: string,
): Responses {
  const responses: Responses = {};
  responses[String(endpoint.http.successStatus)] = success(endpoint);

  const byStatus = new Map<number, ErrorCase[]>();
  const add = (status: number, error: ErrorCase) => byStatus.set(status, [...(byStatus.get(status) ?? []), error]);
  for (const e of endpoint.errors) add(e.status, { code: e.name, ...(e.description ? { description: e.description } : {}) });
  if (hasInput) add(400, { code: 'ValidationFailed', description: 'The input does not match its schema; `details` lists each problem.' });
  add(500, { code: 'Internal', description: 'An unexpected failure; no internals are disclosed.' });

  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    const cases = byStatus.get(status) ?? [];
    responses[String(status)] = {
      description: cases
        .sort((a, b) => compare(a.code, b.code))
        .map((c) => (c.description ? `${c.code}: ${c.description}` : c.code))
        .join('\n'),
      content: { 'application/json': { schema: toOpenApiSchema({ $ref: componentRef(errorSchema) }) } },
    };
  }
  return responses;
}

function success(endpoint: EndpointModel): Response {
  const status = endpoint.http.successStatus;
  const description = reasons[status] ?? 'Success';
  // 204 must not carry a body even if an output were declared.
  if (!endpoint.output || status === 204) return { description };
  const ref = { $ref: componentRef(endpoint.output.type) };
  const schema: Schema = toOpenApiSchema(endpoint.output.list ? { type: 'array', items: ref } : ref);
  return { description, content: { 'application/json': { schema } } };
}
