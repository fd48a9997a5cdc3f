// MeshError <-> gRPC status. The status code is for generic gRPC tooling; the exact error (code,
// HTTP status, details) rides in trailers so a meshspec client rebuilds the very same MeshError.
import { Metadata, status as Status, type ServerErrorResponse, type ServiceError } from '@grpc/grpc-js';
import { InternalError, MeshError, Timeout, Unavailable } from '../errors/index.js';
import { asciiJson, ERROR_CODE, ERROR_DETAILS, ERROR_STATUS, text } from './metadata.js';

const byHttpStatus: Readonly<Record<number, Status>> = {
  400: Status.INVALID_ARGUMENT,
  401: Status.UNAUTHENTICATED,
  403: Status.PERMISSION_DENIED,
  404: Status.NOT_FOUND,
  409: Status.ALREADY_EXISTS,
  412: Status.FAILED_PRECONDITION,
  422: Status.FAILED_PRECONDITION,
  429: Status.RESOURCE_EXHAUSTED,
  500: Status.INTERNAL,
  501: Status.UNIMPLEMENTED,
  503: Status.UNAVAILABLE,
  504: Status.DEADLINE_EXCEEDED,
};

/** The gRPC status code for an HTTP status. */
export function grpcStatusFor(httpStatus: number): Status {
  return byHttpStatus[httpStatus] ?? Status.UNKNOWN;
}

/** What a server hands grpc-js for a failed call: status, message and the error in trailers. */
export function toGrpcError(err: MeshError): ServerErrorResponse {
  const metadata = new Metadata();
  metadata.set(ERROR_CODE, err.code);
  metadata.set(ERROR_STATUS, String(err.status));
  if (err.details !== undefined) metadata.set(ERROR_DETAILS, asciiJson(err.details));
  return Object.assign(new Error(err.message), { code: grpcStatusFor(err.status), details: err.message, metadata });
}

/** Where a failed call was going, for the messages of errors the callee did not send. */
export interface CallTarget {
  service: string;
  address: string;
  endpoint: string;
}

/** The MeshError a client sees for a failed call. */
export function fromGrpcError(err: ServiceError, target: CallTarget): MeshError {
  const declared = fromTrailers(err);
  if (declared) return declared;
  switch (err.code) {
    // A call the server side cancelled (it went away mid-call) is the service being unavailable too;
    // the caller's own aborts never get here.
    case Status.UNAVAILABLE:
    case Status.CANCELLED:
      return new Unavailable(`service ${target.service} is unavailable at ${target.address}: ${err.details}`);
    case Status.DEADLINE_EXCEEDED:
      return new Timeout(`${target.service}.${target.endpoint} did not answer before the deadline`);
    default:
      return new InternalError(`${target.service}.${target.endpoint} failed: ${Status[err.code] ?? err.code} ${err.details}`);
  }
}

function fromTrailers(err: ServiceError): MeshError | null {
  const metadata = err.metadata ?? new Metadata();
  const code = text(metadata, ERROR_CODE);
  const status = Number(text(metadata, ERROR_STATUS));
  if (code === undefined || !Number.isInteger(status)) return null;
  const details = text(metadata, ERROR_DETAILS);
  return new MeshError(code, err.details, status, details === undefined ? undefined : parseOr(details));
}

/** Details that do not parse are passed on as the raw text rather than dropped. */
function parseOr(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}
