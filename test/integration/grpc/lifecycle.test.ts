// Listening, the health check and shutting down with a grace period.
import { status as Status } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { afterEach, describe, expect, it } from 'vitest';
import { MeshError } from '../../../runtime/errors/index.js';
import { fixtureModel } from '../../unit/proto/model-fixture.js';
import { startHarness, type Harness } from './harness.js';
import { rawCall } from './raw-client.js';

let h: Harness | null = null;

afterEach(async () => {
  await h?.close();
  h = null;
});

const CHECK = '/grpc.health.v1.Health/Check';

function checkRequest(service: string): Buffer {
  return Buffer.from(protobuf.Writer.create().uint32(10).string(service).finish());
}

/** HealthCheckResponse.status. */
function servingStatus(bytes: Buffer | null): number {
  const reader = protobuf.Reader.create(bytes ?? Buffer.alloc(0));
  let status = 0;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === 8) status = reader.int32();
    else reader.skipType(tag & 7);
  }
  return status;
}

describe('gRPC server lifecycle', () => {
  it('listens on the port it reports', async () => {
    h = await startHarness(fixtureModel(), 'catalog');
    expect(h.port).toBeGreaterThan(0);
    h.respond = async () => undefined;
    await expect(h.transport.call(h.endpoint('deleteItem'), { id: 'x' }, {})).resolves.toBeUndefined();
  });

  it('answers the standard health check for the server and for its service', async () => {
    h = await startHarness(fixtureModel(), 'catalog');
    for (const service of ['', 'acme.catalog.v1.CatalogService']) {
      const { error, response } = await rawCall(h.address, CHECK, checkRequest(service));
      expect(error).toBeNull();
      expect([service, servingStatus(response)]).toEqual([service, 1]);
    }
    const unknown = await rawCall(h.address, CHECK, checkRequest('acme.other.v1.OtherService'));
    expect(unknown.error?.code).toBe(Status.NOT_FOUND);
  });

  it('lets an in-flight call finish within the grace period', async () => {
    h = await startHarness(fixtureModel(), 'catalog');
    h.respond = () => new Promise((resolve) => setTimeout(() => resolve(undefined), 150));
    const call = h.transport.call(h.endpoint('deleteItem'), { id: 'x' }, {});
    await expect.poll(() => h!.invocations.length).toBe(1);
    const started = Date.now();
    await h.server.close(5_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(call).resolves.toBeUndefined();
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
    await h.server.close(200);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2_000);
    const err = await settled;
    expect(err).toBeInstanceOf(MeshError);
    expect((err as MeshError).code).toBe('Unavailable');
    await expect.poll(() => h!.invocations[0]!.meta.signal.aborted).toBe(true);
  });
});
