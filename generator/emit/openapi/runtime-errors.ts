// The errors the runtime answers with on its own, and which operations can receive each. Read off
// runtime/http/ (routing: route-plan.ts, node/router.ts; content type: content-type.ts; body parsing and
// size: node/body.ts and express/server.ts), runtime/http/params.ts (path params) and runtime/service/invoke-impl.ts (validation, undeclared errors, pass-through codes);
// statuses and the pass-through list come from the tables both sides read (common/errors.ts).
// test/integration/openapi/fuzz.test.ts sends each kind of request and holds the two to each other.
import { builtinErrorStatus, passthroughErrorCodes, runtimeErrorStatus, type BuiltinErrorCode } from '../../../common/errors.js';
import type { EndpointModel, FieldModel, RecordTypeModel } from '../../model/types.js';

export interface ErrorCase {
  code: string;
  status: number;
  description?: string;
}

/** What decides which runtime errors an operation can receive. */
export interface OperationShape {
  /** Some input the client sends can fail validation. */
  validated: boolean;
  /** Path placeholders, decoded and checked against the query or body. */
  pathParams: boolean;
  /** A JSON body is read (and so limited in size and content type). */
  body: boolean;
  /** A hook answers it (not an endpoint that starts a saga or answers its status): it may be a stub (501). */
  hooked: boolean;
}

export function operationShape(endpoint: EndpointModel, input: RecordTypeModel): OperationShape {
  const { inputSource, pathParams } = endpoint.http;
  return {
    // A query or body can always be wrong (types, unknown keys); path params only when they are
    // more than a non-empty string, which is all a matched path segment is.
    validated: inputSource !== 'none' || input.fields.some((f) => pathParams.includes(f.name) && pathParamCanFail(f)),
    pathParams: pathParams.length > 0,
    body: inputSource === 'body',
    hooked: endpoint.startsSaga === undefined && endpoint.sagaStatus === undefined,
  };
}

function pathParamCanFail(field: FieldModel): boolean {
  const { minLength = 0, ...others } = field.constraints;
  return field.type.kind !== 'primitive' || field.type.name !== 'string' || minLength > 1 || Object.keys(others).length > 0;
}

/** What a built-in error means, for endpoints that declare one (the spec cannot describe built-ins). */
export const builtinErrorDescriptions: Record<BuiltinErrorCode, string> = {
  BadRequest: 'The request cannot be served as sent.',
  Unauthorized: 'The caller is not authenticated.',
  Forbidden: 'The caller may not do this.',
  NotFound: 'The resource does not exist.',
  Conflict: "The request conflicts with the resource's current state.",
  Gone: 'The resource existed but is gone for good.',
  PreconditionFailed: 'A precondition of the request does not hold.',
  Unprocessable: 'The input is well-formed but cannot be processed.',
  TooManyRequests: 'Too many requests; retry later.',
  Unavailable: 'The service or one it depends on is unavailable; retry later.',
};

const passthroughDescriptions: Record<(typeof passthroughErrorCodes)[number], string> = {
  NotImplemented: 'The endpoint is not implemented yet: its hook is missing or still the generated stub.',
  Unavailable: 'A service this one depends on is unavailable; the request may succeed when retried later.',
  Timeout: "The caller's deadline (the `x-mesh-deadline` header, epoch milliseconds) passed before the endpoint finished.",
};

const statusOf = { ...builtinErrorStatus, ...runtimeErrorStatus };
type KnownCode = keyof typeof statusOf;

interface RuntimeCase {
  code: KnownCode;
  when: (shape: OperationShape) => boolean;
  description: (bodyLimitBytes: number) => string;
}

const always = () => true;

/** In the order the runtime checks them; pass-through codes can come from any hook. */
const runtimeCases: RuntimeCase[] = [
  {
    code: 'MethodNotAllowed',
    when: always,
    description: () => "The path does not serve the request's method; the `Allow` header lists the methods it does.",
  },
  {
    code: 'UnsupportedMediaType',
    when: (shape) => shape.body,
    description: () => 'The body is not `application/json` (or `application/*+json`), or its charset or content encoding is not supported.',
  },
  {
    code: 'PayloadTooLarge',
    when: (shape) => shape.body,
    description: (limit) => `The body is larger than the service's limit of ${limit} bytes.`,
  },
  {
    code: 'BadRequest',
    when: (shape) => shape.body || shape.pathParams,
    description: () =>
      'The request cannot be read: a body that is not valid JSON or not a JSON object, a path segment that is not valid percent-encoding, or a path parameter sent again in the query or body with another value.',
  },
  {
    code: 'ValidationFailed',
    when: (shape) => shape.validated,
    description: () => 'The input does not match its schema; `details` lists each problem as `{ path, message }`, `path` a JSON pointer into the input.',
  },
  {
    code: 'Internal',
    when: always,
    description: () => 'An unexpected failure, or an error the endpoint does not declare; no internals are disclosed.',
  },
  ...passthroughErrorCodes.map((code) => ({ code, when: code === 'NotImplemented' ? (shape: OperationShape) => shape.hooked : always, description: () => passthroughDescriptions[code] })),
];

/** Every error the runtime itself may answer `shape` with; `bodyLimitBytes` is the service's limit. */
export function runtimeErrorCases(shape: OperationShape, bodyLimitBytes: number): ErrorCase[] {
  return runtimeCases
    .filter((c) => c.when(shape))
    .map((c) => ({ code: c.code, status: statusOf[c.code], description: c.description(bodyLimitBytes) }));
}
