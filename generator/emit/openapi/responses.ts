// An operation's responses: the success status with its output, then one response per error status
// it can receive: the errors it declares and those the runtime answers with itself
// (runtime-errors.ts). Error responses are shared: each lives once in `components.responses`, one per
// status and set of codes, named after its codes (`Conflict_OutOfStock`; error names have no `_`),
// and its description and schema name each code it can carry.
import { resolveType } from '../../model/lookup.js';
import type { EndpointModel, MeshModel, ServiceModel } from '../../model/types.js';
import { recordExample } from './examples.js';
import { operationLinks } from './links.js';
import { compare } from '../../model/order.js';
import { isBuiltinError } from '../../../common/errors.js';
import { builtinErrorDescriptions, type ErrorCase, type OperationShape, runtimeErrorCases } from './runtime-errors.js';
import { componentRef, toOpenApiSchema } from './schemas.js';
import type { Reference, Response, Responses, Schema } from './types.js';

const reasons: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content' };

export const responseRefPrefix = '#/components/responses/';

/** The error responses of one document, by name, filled in as operations reference them. */
export type SharedResponses = Map<string, Response>;

export interface ResponseContext {
  errorSchema: string;
  bodyLimitBytes: number;
  shared: SharedResponses;
}

/** `success` is the success response (see successResponse), given so that links and examples can be added to it. */
export function operationResponses(endpoint: EndpointModel, shape: OperationShape, success: Response, context: ResponseContext): Responses {
  const responses: Responses = { [String(endpoint.http.successStatus)]: success, ...(endpoint.startsSaga && { '202': acceptedResponse(endpoint, success) }) };
  const byStatus = errorCasesByStatus(endpoint, shape, context.bodyLimitBytes);
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    responses[String(status)] = sharedErrorResponse(byStatus.get(status) ?? [], context);
  }
  return responses;
}

/** Declared errors and runtime errors, grouped by status; a code declared and also sent by the runtime once. */
export function errorCasesByStatus(endpoint: EndpointModel, shape: OperationShape, bodyLimitBytes: number): Map<number, ErrorCase[]> {
  const byCode = new Map<string, ErrorCase>();
  for (const e of runtimeErrorCases(shape, bodyLimitBytes)) byCode.set(e.code, e);
  for (const e of endpoint.errors) {
    // The spec's description wins; a built-in keeps the runtime's (it may arrive without being thrown) or its own.
    const description = e.description ?? byCode.get(e.name)?.description ?? (isBuiltinError(e.name) ? builtinErrorDescriptions[e.name] : undefined);
    byCode.set(e.name, { code: e.name, status: e.status, ...(description === undefined ? {} : { description }) });
  }
  const byStatus = new Map<number, ErrorCase[]>();
  for (const e of byCode.values()) byStatus.set(e.status, [...(byStatus.get(e.status) ?? []), e]);
  for (const cases of byStatus.values()) cases.sort((a, b) => compare(a.code, b.code));
  return byStatus;
}

export function successResponse(model: MeshModel, service: ServiceModel, endpoint: EndpointModel): Response {
  const status = endpoint.http.successStatus;
  const description = reasons[status] ?? 'Success';
  // 204 must not carry a body even if an output were declared.
  if (!endpoint.output || status === 204) return { description };
  const { type, list } = endpoint.output;
  const ref = { $ref: componentRef(type) };
  const schema: Schema = toOpenApiSchema(list ? { type: 'array', items: ref } : ref);
  const output = resolveType(model, service.name, type);
  const item = output.kind === 'record' ? recordExample(model, output) : undefined;
  const example = item === undefined ? {} : { example: list ? [item] : item };
  const links = operationLinks(model, service, endpoint);
  return {
    description,
    content: { 'application/json': { schema, ...example } },
    ...(Object.keys(links).length > 0 ? { links } : {}),
  };
}

/**
 * The answer of an endpoint that starts a saga still running when the answer is due: the saga's
 * status (the success response's body), and where to follow it when the saga has a status endpoint.
 */
function acceptedResponse(endpoint: EndpointModel, success: Response): Response {
  const statusPath = endpoint.startsSaga?.statusPath ?? null;
  return {
    description: `Accepted: saga \`${endpoint.startsSaga?.saga}\` is still running (\`state\` running or compensating)${statusPath === null ? '' : '; `Location` is its status'}.`,
    ...(statusPath !== null && {
      headers: { Location: { description: `The saga's status: \`${statusPath}\` with its id.`, required: true, schema: { type: 'string' as const } } },
    }),
    ...(success.content !== undefined && { content: success.content }),
  };
}

function sharedErrorResponse(cases: ErrorCase[], context: ResponseContext): Reference {
  const codes = cases.map((c) => c.code);
  const name = codes.join('_');
  if (!context.shared.has(name)) {
    const allowHeader = codes.includes('MethodNotAllowed')
      ? { headers: { Allow: { description: 'The methods the path serves, e.g. `GET, DELETE`.', required: codes.length === 1, schema: { type: 'string' as const } } } }
      : {};
    context.shared.set(name, {
      description: cases.map((c) => (c.description ? `${c.code}: ${c.description}` : c.code)).join('\n'),
      ...allowHeader,
      content: { 'application/json': { schema: errorBodyOf(codes, context.errorSchema) } },
    });
  }
  return { $ref: responseRefPrefix + name };
}

/** The error body, its `error.code` narrowed to the codes this response can carry. */
function errorBodyOf(codes: string[], errorSchema: string): Schema {
  return toOpenApiSchema({
    allOf: [
      { $ref: componentRef(errorSchema) },
      { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: codes } } } } },
    ],
  });
}
