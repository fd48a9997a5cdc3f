// Failures across the wire: declared errors rebuilt exactly, gRPC status codes for generic tooling,
// malformed requests, outputs the proto cannot carry, deadlines, aborts and an unreachable server.
import { status as Status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMeshError, MeshError, NotFound, ValidationFailed } from '../../../runtime/errors/index.js';
import { createGrpcTransport, grpcStatusFor } from '../../../runtime/grpc/index.js';
import { fixtureModel } from '../../unit/proto/model-fixture.js';
import { startHarness, type Harness } from './harness.js';
import { zeroItem } from './items.js';
import { statusDetailsOf } from '../../support/google-rpc.js';
import { freePort } from '../../support/processes.js';
import { rawCall } from './raw-client.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness(fixtureModel(), 'catalog');
});

afterAll(async () => {
  await h.close();
});

async function failure(promise: Promise<unknown>): Promise<MeshError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  if (!(err instanceof MeshError)) throw new Error(`expected a MeshError, got ${String(err)}`);
  return err;
}

/** Resolves once the server-side signal of the latest invocation is aborted. */
function abortedOnServer(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}

/** The invocation whose input had this id (calls of earlier tests may still trickle in). */
function invocationOf(id: string) {
  const found = h.invocations.find((i) => (i.input as { id?: string }).id === id);
  if (!found) throw new Error(`no invocation with id ${id}`);
  return found;
}

/** A hook that never answers on its own: only when its call is cancelled. */
function hang(): Promise<unknown> {
  return new Promise(() => undefined);
}

/** Like `hang`, noting when the server invoked it (epoch ms) by the input's id. */
function hangNoting(arrivals: Map<string, number>) {
  return (_endpoint: unknown, input: unknown) => {
    arrivals.set((input as { id: string }).id, Date.now());
    return hang();
  };
}

/**
 * Resolves once a call sent after the calls before it on the same channel has reached the hook:
 * had an earlier call reached the server, it would have been invoked by then.
 */
async function drained(): Promise<void> {
  const id = `marker-${h.invocations.length}`;
  h.respond = async () => undefined;
  await h.transport.call(h.endpoint('deleteItem'), { id }, {});
  expect(invocationOf(id)).toBeDefined();
}

/** Long enough that no test waits for it: a call outliving it was not cut short. */
const NEVER_MS = 20_000;

/**
 * A deadline a call is sure to reach the server within, even on a loaded machine (a call whose
 * deadline passes before it is sent is refused by grpc-js without reaching the server).
 */
const DEADLINE_MS = 500;

describe('gRPC errors', () => {
  it('rebuilds a declared error with its code, status, message and details (non-ASCII included)', async () => {
    const details = { id: 'i-1', note: 'déjà vu ✓', list: [1, null, { deep: true }] };
    h.respond = async () => {
      throw new MeshError('ItemGone', 'item i-1 is gone — für immer', 410, details);
    };
    const err = await failure(h.transport.call(h.endpoint('getItem'), { id: 'i-1' }, {}));
    expect(err.code).toBe('ItemGone');
    expect(err.status).toBe(410);
    expect(err.message).toBe('item i-1 is gone — für immer');
    expect(err.details).toStrictEqual(details);
    expect(isMeshError(err, 'ItemGone')).toBe(true);
  });

  it('rebuilds built-in errors, and leaves details absent when there were none', async () => {
    h.respond = async () => {
      throw new NotFound('no item x');
    };
    const notFound = await failure(h.transport.call(h.endpoint('getItem'), { id: 'x' }, {}));
    expect([notFound.code, notFound.status, notFound.message, notFound.details]).toEqual(['NotFound', 404, 'no item x', undefined]);
    expect('details' in notFound && notFound.details !== undefined).toBe(false);

    h.respond = async () => {
      throw new ValidationFailed('input is invalid', [{ path: '/id', message: 'must not be empty' }]);
    };
    const invalid = await failure(h.transport.call(h.endpoint('getItem'), { id: '' }, {}));
    expect([invalid.code, invalid.status, invalid.details]).toEqual(['ValidationFailed', 400, [{ path: '/id', message: 'must not be empty' }]]);
  });

  it('maps HTTP statuses to gRPC status codes (the defaults of common/grpc-status.ts)', () => {
    // 409 was ALREADY_EXISTS for every conflict, "out of stock" too; now ABORTED unless declared otherwise.
    const table: [number, Status][] = [
      [400, Status.INVALID_ARGUMENT],
      [401, Status.UNAUTHENTICATED],
      [403, Status.PERMISSION_DENIED],
      [404, Status.NOT_FOUND],
      [409, Status.ABORTED],
      [412, Status.FAILED_PRECONDITION],
      [422, Status.FAILED_PRECONDITION],
      [429, Status.RESOURCE_EXHAUSTED],
      [500, Status.INTERNAL],
      [501, Status.UNIMPLEMENTED],
      [503, Status.UNAVAILABLE],
      [504, Status.DEADLINE_EXCEEDED],
      [402, Status.FAILED_PRECONDITION],
      [410, Status.NOT_FOUND],
      [507, Status.UNKNOWN],
    ];
    for (const [http, grpc] of table) expect([http, grpcStatusFor(http)]).toEqual([http, grpc]);
  });

  it('puts the status code and the error trailers on the wire for any gRPC client', async () => {
    h.respond = async () => {
      throw new MeshError('OutOfStock', 'only 2 left', 409, { left: 2 });
    };
    const { error } = await rawCall(h.address, '/acme.catalog.v1.CatalogService/GetItem', Buffer.alloc(0));
    // getItem does not declare OutOfStock: the default for 409.
    expect(error?.code).toBe(Status.ABORTED);
    expect(error?.details).toBe('only 2 left');
    expect(error?.metadata.get('x-mesh-error-code')).toEqual(['OutOfStock']);
    expect(error?.metadata.get('x-mesh-error-status')).toEqual(['409']);
    expect(error?.metadata.get('x-mesh-error-details')).toEqual(['{"left":2}']);
    expect(statusDetailsOf(error?.metadata).details).toEqual([
      { '@type': 'google.rpc.ErrorInfo', reason: 'OutOfStock', domain: 'acme.catalog.v1.CatalogService', metadata: { left: '2', httpStatus: '409' } },
    ]);
  });

  it('answers a malformed request with BadRequest (400) without invoking the hook', async () => {
    h.invocations.length = 0;
    const { error } = await rawCall(h.address, '/acme.catalog.v1.CatalogService/GetItem', Buffer.from([0x0a, 0xff, 0xff]));
    expect(error?.code).toBe(Status.INVALID_ARGUMENT);
    expect(error?.metadata.get('x-mesh-error-code')).toEqual(['BadRequest']);
    // protobufjs's own reason is logged, not answered.
    expect(error?.details).toBe('malformed GetItem request: the bytes are not a GetItem request message');
    expect(h.invocations).toHaveLength(0);
  });

  it('turns an output the proto cannot carry into Internal (500), logged but not leaked', async () => {
    h.logs.length = 0;
    h.respond = async () => ({ ...zeroItem(), kind: 'secretValue' });
    const err = await failure(h.transport.call(h.endpoint('getItem'), { id: 'x' }, { requestId: 'req-bad-output' }));
    expect([err.code, err.status, err.message]).toEqual(['Internal', 500, 'internal error']);
    const lines = h.logs.map((l) => JSON.parse(l) as { level: number; msg: string; requestId?: string; err?: { message: string }; grpcStatus?: string });
    // The call's access line says INTERNAL; the error line says why, once.
    expect(lines.filter((l) => l.msg === 'request').map((l) => [l.requestId, l.grpcStatus])).toEqual([['req-bad-output', 'INTERNAL']]);
    const logged = lines.filter((l) => l.msg !== 'request');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.level).toBe(50);
    expect(logged[0]!.requestId).toBe('req-bad-output');
    expect(logged[0]!.err?.message).toBe('GetItemResponse.item.kind: "secretValue" is not a value of ItemKind: expected one of "physical", "digitalDownload"');
  });

  it('rejects with Timeout (504) when the deadline passes, and cancels the call on the server', async () => {
    const arrivals = new Map<string, number>();
    h.respond = hangNoting(arrivals);
    const started = Date.now();
    const err = await failure(h.transport.call(h.endpoint('getItem'), { id: 'slow-1' }, { timeoutMs: DEADLINE_MS }));
    expect([err.code, err.status]).toEqual(['Timeout', 504]);
    // Not before the deadline (timers may fire a millisecond early; load only makes them later).
    // The hook never answers: the rejection itself shows the call did not wait for it.
    expect(Date.now() - started).toBeGreaterThanOrEqual(DEADLINE_MS - 10);
    const meta = invocationOf('slow-1').meta;
    // The server sees the deadline the client set, as epoch ms: DEADLINE_MS from when the client sent
    // the call, so neither before the test started it nor after the server received it.
    expect(meta.deadline).toBeGreaterThanOrEqual(started + DEADLINE_MS);
    expect(meta.deadline).toBeLessThanOrEqual(arrivals.get('slow-1')! + DEADLINE_MS);
    await abortedOnServer(meta.signal);
    expect(meta.signal.aborted).toBe(true);
  });

  it('uses the sooner of the propagated deadline and the call timeout', async () => {
    const arrivals = new Map<string, number>();
    h.respond = hangNoting(arrivals);
    const started = Date.now();
    const deadline = started + DEADLINE_MS;
    const err = await failure(h.transport.call(h.endpoint('getItem'), { id: 'slow-2' }, { deadline, timeoutMs: 60_000 }));
    expect(err.code).toBe('Timeout');
    // gRPC carries a relative timeout: the server's deadline is late by at most the time the call took to arrive.
    const seen = invocationOf('slow-2').meta.deadline!;
    expect(seen).toBeGreaterThanOrEqual(deadline);
    expect(seen).toBeLessThanOrEqual(deadline + (arrivals.get('slow-2')! - started));
    const passed = await failure(h.transport.call(h.endpoint('getItem'), { id: 'late' }, { deadline: Date.now() - 1 }));
    expect(passed.code).toBe('Timeout');
    // Should the request still reach the server, it does not run the hook for a caller that gave up.
    await drained();
    expect(() => invocationOf('late')).toThrow(/no invocation/);
  });

  it('rejects with the abort reason when the caller aborts, and cancels the call on the server', async () => {
    h.respond = hang;
    const controller = new AbortController();
    const reason = new Error('caller went away');
    const call = h.transport.call(h.endpoint('getItem'), { id: 'abort-1' }, { signal: controller.signal });
    await expect.poll(() => h.invocations.some((i) => (i.input as { id: string }).id === 'abort-1')).toBe(true);
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    const { signal } = invocationOf('abort-1').meta;
    await abortedOnServer(signal);
    expect(signal.aborted).toBe(true);
    // Already aborted: nothing is sent.
    await expect(h.transport.call(h.endpoint('getItem'), { id: 'abort-2' }, { signal: controller.signal })).rejects.toBe(reason);
    await drained();
    expect(() => invocationOf('abort-2')).toThrow(/no invocation/);
  });

  it('rejects at once with Unavailable (503) naming the service when nothing listens', async () => {
    const port = await freePort();
    const transport = createGrpcTransport({ address: `127.0.0.1:${port}`, definition: h.definition, schemas: h.schemas });
    try {
      // Waiting for the server to appear would end in Timeout (504) once the call's timeout passed.
      const err = await failure(transport.call(h.endpoint('getItem'), { id: 'x' }, { timeoutMs: NEVER_MS }));
      expect([err.code, err.status]).toEqual(['Unavailable', 503]);
      // The message may reach an end client: the service's name, never its address or grpc-js's words.
      expect(err.message).toBe('service catalog is unavailable');
      expect(JSON.stringify(err.toBody())).not.toContain(String(port));
      expect(String((err.cause as Error).message)).toContain(`127.0.0.1:${port}`);
    } finally {
      await transport.close();
    }
  });
});
