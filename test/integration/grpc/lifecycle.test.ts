// Listening, the standard health service (through the official grpc-health-check definition) and
// shutting down with a grace period.
import { Client, credentials, status as Status, type ServiceError } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { MeshError } from '../../../runtime/errors/index.js';
import { fixtureModel } from '../../unit/proto/model-fixture.js';
import { startHarness, type Harness } from './harness.js';
import { rawCall } from './raw-client.js';
import { check, healthClient, watch } from '../../support/grpc-health.js';

let h: Harness | null = null;

/**
 * A grace period no test waits out: closing returns long before it unless something (a Watch
 * stream, a finished call) wrongly holds the shutdown open until it ends.
 */
const LONG_GRACE_MS = 20_000;

/** A promise and its resolve function, for "this happened" signals between test and server. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

afterEach(async () => {
  await h?.close();
  h = null;
});

describe('gRPC server lifecycle', () => {
  it('listens on the port it reports', async () => {
    h = await startHarness(fixtureModel(), 'catalog');
    expect(h.port).toBeGreaterThan(0);
    h.respond = async () => undefined;
    await expect(h.transport.call(h.endpoint('deleteItem'), { id: 'x' }, {})).resolves.toBeUndefined();
  });

  it('answers the standard health Check and List for the server and for its service', async () => {
    h = await startHarness(fixtureModel(), 'catalog');
    const client = healthClient(h.address);
    for (const service of ['', 'acme.catalog.v1.CatalogService']) expect([service, await check(client, service)]).toEqual([service, { status: 'SERVING' }]);
    expect(await check(client, 'acme.other.v1.OtherService')).toEqual({ code: Status.NOT_FOUND });
    const listed = await new Promise((resolve) => client.List({}, (_err, response) => resolve(response?.statuses)));
    expect(listed).toEqual({ '': { status: 'SERVING' }, 'acme.catalog.v1.CatalogService': { status: 'SERVING' } });
    client.close();
  });

  it('streams the status to Watch, then NOT_SERVING when shutdown starts, and ends the stream so shutdown is not held', async () => {
    h = await startHarness(fixtureModel(), 'catalog');
    const client = healthClient(h.address);
    const server = watch(client, '');
    const own = watch(client, 'acme.catalog.v1.CatalogService');
    // As health.proto says: an unknown service is SERVICE_UNKNOWN and the stream stays open.
    const unknown = watch(client, 'acme.other.v1.OtherService');
    await expect.poll(() => [server.seen, own.seen, unknown.seen]).toEqual([['SERVING'], ['SERVING'], ['SERVICE_UNKNOWN']]);

    const started = Date.now();
    await h.server.close(LONG_GRACE_MS);
    // Held open by the streams, close() would have ended at the grace period, cutting them.
    expect(Date.now() - started).toBeLessThan(LONG_GRACE_MS / 2);
    expect(await server.ended).toBe(Status.OK);
    expect(await own.ended).toBe(Status.OK);
    expect(await unknown.ended).toBe(Status.OK);
    expect([server.seen, own.seen, unknown.seen]).toEqual([['SERVING', 'NOT_SERVING'], ['SERVING', 'NOT_SERVING'], ['SERVICE_UNKNOWN']]);
    client.close();
  });

  it('answers health requests that are not a HealthCheckRequest with INVALID_ARGUMENT', async () => {
    h = await startHarness(fixtureModel(), 'catalog');
    const garbage = Buffer.from([0x0a, 0xff, 0xff]);
    expect((await rawCall(h.address, '/grpc.health.v1.Health/Check', garbage)).error?.code).toBe(Status.INVALID_ARGUMENT);
    const client = new Client(h.address, credentials.createInsecure());
    const same = (b: Buffer) => b;
    const stream = client.makeServerStreamRequest('/grpc.health.v1.Health/Watch', same, same, garbage);
    stream.on('data', () => undefined);
    const code = await new Promise<number>((resolve) => stream.on('error', (err: ServiceError) => resolve(err.code)));
    expect(code).toBe(Status.INVALID_ARGUMENT);
    client.close();
  });

  it('lets an in-flight call finish within the grace period, then closes without waiting it out', async () => {
    h = await startHarness(fixtureModel(), 'catalog');
    const answer = deferred();
    h.respond = () => answer.promise.then(() => undefined);
    const call = h.transport.call(h.endpoint('deleteItem'), { id: 'x' }, {});
    await expect.poll(() => h!.invocations.length).toBe(1);
    const started = Date.now();
    let closed = false;
    const closing = h.server.close(LONG_GRACE_MS).then(() => (closed = true));
    // A round of the event loop for a wrong close() to finish in: it must wait for the call.
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    answer.resolve();
    await expect(call).resolves.toBeUndefined();
    await closing;
    expect(Date.now() - started).toBeLessThan(LONG_GRACE_MS / 2);
  });

  it('cuts calls still running when the grace period ends, aborting their signal', async () => {
    h = await startHarness(fixtureModel(), 'catalog');
    h.respond = () => new Promise(() => undefined);
    const call = h.transport.call(h.endpoint('deleteItem'), { id: 'x' }, {});
    const settled = call.then(
      () => null,
      (e: unknown) => e,
    );
    await expect.poll(() => h!.invocations.length).toBe(1);
    const started = Date.now();
    // The call never answers: close() returning at all means it cut the call.
    await h.server.close(200);
    // Timers may fire a millisecond early; load only makes them later.
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    const err = await settled;
    expect(err).toBeInstanceOf(MeshError);
    expect((err as MeshError).code).toBe('Unavailable');
    await expect.poll(() => h!.invocations[0]!.meta.signal.aborted).toBe(true);
  });
});
