import { Metadata, status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import {
  BadGateway,
  BadRequest,
  Conflict,
  Forbidden,
  InternalError,
  MeshError,
  NotFound,
  NotImplemented,
  Timeout,
  TooManyRequests,
  Unauthorized,
  Unavailable,
  ValidationFailed,
} from '../../../runtime/errors/index.js';
import {
  AttemptTimedOut,
  BulkheadFull,
  CircuitOpen,
  classify,
  DeadlineExceeded,
  parseRetryAfter,
  retryAfterOf,
  withRetryAfter,
} from '../../../runtime/resilience/index.js';

function grpcError(code: number, pushback?: string): Error {
  const metadata = new Metadata();
  if (pushback !== undefined) metadata.set('grpc-retry-pushback-ms', pushback);
  return Object.assign(new Error('grpc'), { code, details: 'x', metadata });
}

function rawSocketError(code: string): Error {
  return Object.assign(new Error(code), { code });
}

describe('classify', () => {
  it.each([
    ['connection refused (transport Unavailable)', new Unavailable('users is unavailable: connection refused')],
    ['a 503 answer', new MeshError('Unavailable', 'down', 503)],
    ['a 502', new BadGateway('bad body')],
    ['a 504 from the callee', new Timeout('users.get did not answer before the deadline')],
    ['the attempt timeout', new AttemptTimedOut('attempt 1')],
    ['a 429', new TooManyRequests('slow down')],
    ['raw ECONNREFUSED', rawSocketError('ECONNREFUSED')],
    ['raw ECONNRESET', rawSocketError('ECONNRESET')],
    ['undici socket error with a cause', Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET', cause: { code: 'ECONNRESET' } })],
    ['undici headers timeout', rawSocketError('UND_ERR_HEADERS_TIMEOUT')],
    ['gRPC UNAVAILABLE', grpcError(status.UNAVAILABLE)],
    ['gRPC RESOURCE_EXHAUSTED', grpcError(status.RESOURCE_EXHAUSTED)],
    ['gRPC DEADLINE_EXCEEDED of an attempt', grpcError(status.DEADLINE_EXCEEDED)],
  ])('retries and counts against the breaker: %s', (_name, error) => {
    const verdict = classify(error);
    expect(verdict.retryable).toBe(true);
    expect(verdict.breakerFailure).toBe(true);
  });

  it.each([
    ['400', new BadRequest()],
    ['401', new Unauthorized()],
    ['403', new Forbidden()],
    ['404', new NotFound()],
    ['409', new Conflict()],
    ['validation', new ValidationFailed('bad', [])],
    ['a declared 4xx', new MeshError('OutOfStock', 'none left', 409)],
  ])('never retries nor counts a 4xx: %s', (_name, error) => {
    const verdict = classify(error);
    expect(verdict).toMatchObject({ kind: 'rejected', retryable: false, breakerFailure: false });
  });

  it.each([
    ['the whole call deadline', new DeadlineExceeded('cut'), 'deadline'],
    ['an open circuit', new CircuitOpen('users'), 'circuitOpen'],
    ['a full bulkhead', new BulkheadFull('users', 1, 0), 'bulkheadFull'],
    ['a 500', new InternalError(), 'failed'],
    ['a 501', new NotImplemented('users.get'), 'failed'],
    ['a bug on this side', new TypeError('x is not a function'), 'unknown'],
    ['gRPC INTERNAL', grpcError(status.INTERNAL), 'failed'],
    ['a string', 'nope', 'unknown'],
  ])('neither retries nor counts %s', (_name, error, kind) => {
    expect(classify(error)).toMatchObject({ kind, retryable: false, breakerFailure: false });
  });
});

describe('Retry-After', () => {
  it('reads the transport mark, which stays out of JSON and the error body', () => {
    const error = withRetryAfter(new TooManyRequests('slow down'), 1500);
    expect(retryAfterOf(error)).toBe(1500);
    expect(classify(error).retryAfterMs).toBe(1500);
    expect(JSON.stringify(error.toBody())).not.toContain('1500');
    expect(Object.keys(error)).not.toContain('retryAfterMs');
  });

  it('ignores a mark that is not a wait', () => {
    expect(retryAfterOf(withRetryAfter(new Unavailable('x'), -1))).toBeUndefined();
    expect(retryAfterOf(withRetryAfter(new Unavailable('x'), Number.NaN))).toBeUndefined();
    expect(retryAfterOf(withRetryAfter(new Unavailable('x'), undefined))).toBeUndefined();
  });

  it("reads retryAfterMs from a callee's error details", () => {
    expect(retryAfterOf(new TooManyRequests('slow down', { retryAfterMs: 2000 }))).toBe(2000);
    expect(retryAfterOf(new TooManyRequests('slow down', { retryAfterMs: '2000' }))).toBeUndefined();
    expect(retryAfterOf(new TooManyRequests('slow down', [1, 2]))).toBeUndefined();
  });

  it("reads a raw gRPC error's grpc-retry-pushback-ms", () => {
    expect(retryAfterOf(grpcError(status.RESOURCE_EXHAUSTED, '250'))).toBe(250);
    expect(retryAfterOf(grpcError(status.RESOURCE_EXHAUSTED, 'soon'))).toBeUndefined();
    expect(retryAfterOf(grpcError(status.RESOURCE_EXHAUSTED))).toBeUndefined();
  });

  it('is not reported for a failure that is not retried', () => {
    expect(classify(withRetryAfter(new BadRequest(), 100)).retryAfterMs).toBeUndefined();
  });

  it('parses delta-seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
