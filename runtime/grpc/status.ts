// MeshError <-> gRPC status. The status code and grpc-status-details-bin are for generic gRPC
// tooling; the exact error (code, HTTP status, details) also rides in meshspec's own trailers so a
// meshspec client rebuilds the very same MeshError.
import { Metadata, status as Status, type ServerErrorResponse, type ServiceError } from '@grpc/grpc-js';
import { defaultGrpcStatus, grpcStatusCodes } from '../../common/grpc-status.js';
import { InternalError, MeshError, Timeout, TooManyRequests, Unavailable } from '../errors/index.js';
import { withRetryAfter } from '../resilience/classify.js';
import type { DeclaredErrorDescriptor } from '../service/definition.js';
import { asciiJson, ERROR_CODE, ERROR_DETAILS, ERROR_STATUS, RETRY_PUSHBACK, STATUS_DETAILS, text } from './metadata.js';
import { statusDetails, type StatusDetailsContext } from './status-details.js';

/** The gRPC status code of an error with this HTTP status that declares none (common/grpc-status.ts). */
export function grpcStatusFor(httpStatus: number): Status {
  return grpcStatusCodes[defaultGrpcStatus(httpStatus)];
}

/** What answering for one endpoint needs to know beyond the error. */
export interface ErrorContext extends StatusDetailsContext {
  /** The endpoint's declared errors: a declared one answers with its own gRPC code. */
  readonly declared: Readonly<Record<string, DeclaredErrorDescriptor>>;
}

/** The gRPC status code `err` answers with: its declaration's, else the default for its HTTP status. */
export function grpcStatusOf(err: MeshError, declared: Readonly<Record<string, DeclaredErrorDescriptor>>): Status {
  const declaration = Object.hasOwn(declared, err.code) ? declared[err.code] : undefined;
  return declaration ? grpcStatusCodes[declaration.grpc] : grpcStatusFor(err.status);
}

/** What a server hands grpc-js for a failed call: status, message and the error in trailers. */
export function toGrpcError(err: MeshError, context: ErrorContext): ServerErrorResponse {
  const code = grpcStatusOf(err, context.declared);
  const metadata = new Metadata();
  metadata.set(ERROR_CODE, err.code);
  metadata.set(ERROR_STATUS, String(err.status));
  if (err.details !== undefined) metadata.set(ERROR_DETAILS, asciiJson(err.details));
  metadata.set(STATUS_DETAILS, statusDetails(err, code, context));
  return Object.assign(new Error(err.message), { code, details: err.message, metadata });
}

/** Where a failed call was going, for the messages of errors the callee did not send. */
export interface CallTarget {
  service: string;
  address: string;
  endpoint: string;
}

/** The MeshError a client sees for a failed call. */
export function fromGrpcError(err: ServiceError, target: CallTarget): MeshError {
  return withRetryAfter(meshErrorOf(err, target), pushbackMs(err));
}

function meshErrorOf(err: ServiceError, target: CallTarget): MeshError {
  const declared = fromTrailers(err);
  if (declared) return declared;
  switch (err.code) {
    // A callee that is not meshspec's saying it is overloaded: retryable, like an HTTP 429.
    // Messages name the service only (they may reach an end client in a body); the address and
    // grpc-js's own text stay in the cause, for logs.
    case Status.RESOURCE_EXHAUSTED:
      return new TooManyRequests(`${target.service}.${target.endpoint} is overloaded (RESOURCE_EXHAUSTED)`, undefined, { cause: callFailure(err, target) });
    // A call the server side cancelled (it went away mid-call) is the service being unavailable too;
    // the caller's own aborts never get here.
    case Status.UNAVAILABLE:
    case Status.CANCELLED:
      return new Unavailable(`service ${target.service} is unavailable`, undefined, { cause: callFailure(err, target) });
    case Status.DEADLINE_EXCEEDED:
      return new Timeout(`${target.service}.${target.endpoint} did not answer before the deadline`, { cause: callFailure(err, target) });
    default:
      return new InternalError(`${target.service}.${target.endpoint} failed: ${Status[err.code] ?? err.code}`, { cause: callFailure(err, target) });
  }
}

/** Where a call went and what grpc-js said: an error's cause, logged and never sent. */
function callFailure(err: ServiceError, target: CallTarget): Error {
  return new Error(`${target.service}.${target.endpoint} at ${target.address}: ${err.details}`, { cause: err });
}

function fromTrailers(err: ServiceError): MeshError | null {
  const metadata = err.metadata ?? new Metadata();
  const code = text(metadata, ERROR_CODE);
  const status = Number(text(metadata, ERROR_STATUS));
  if (code === undefined || !Number.isInteger(status)) return null;
  const details = text(metadata, ERROR_DETAILS);
  return new MeshError(code, err.details, status, details === undefined ? undefined : parseOr(details));
}

/** The callee's `grpc-retry-pushback-ms` trailer, the gRPC spelling of Retry-After. */
function pushbackMs(err: ServiceError): number | undefined {
  const raw = err.metadata ? text(err.metadata, RETRY_PUSHBACK) : undefined;
  const ms = raw === undefined ? Number.NaN : Number(raw);
  return Number.isInteger(ms) && ms >= 0 ? ms : undefined;
}

/** Details that do not parse are passed on as the raw text rather than dropped. */
function parseOr(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}
