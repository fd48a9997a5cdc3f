// What reaches `invoke` besides the input: request id, caller and deadline from gRPC metadata.
import { Metadata } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureModel } from '../../unit/proto/model-fixture.js';
import { startHarness, type Harness } from './harness.js';
import { rawCall } from './raw-client.js';

// `DeleteItemRequest { GetItemInput get_item_input = 1; }` holding an empty input: field 1, length 0.
const emptyInput = Buffer.from([0x0a, 0x00]);

let h: Harness;

beforeAll(async () => {
  h = await startHarness(fixtureModel(), 'catalog');
  h.respond = async () => undefined;
});

afterAll(async () => {
  await h.close();
});

async function metaOf(options: Parameters<Harness['transport']['call']>[2]) {
  h.invocations.length = 0;
  await h.transport.call(h.endpoint('deleteItem'), { id: 'x' }, options);
  expect(h.invocations).toHaveLength(1);
  return h.invocations[0]!.meta;
}

describe('gRPC call metadata', () => {
  it('passes the request id and the caller to invoke, and does not abort an answered call', async () => {
    const caller = { subject: 'user-7', roles: ['admin', 'rôle'], service: 'web' };
    const meta = await metaOf({ requestId: 'req-123', caller });
    expect(meta.requestId).toBe('req-123');
    expect(meta.caller).toStrictEqual(caller);
    // grpc-js reports the stream's close after a normal answer as `cancelled`: that is no abort. By
    // the time a second call on the same connection has been answered, the first stream has closed.
    await h.transport.call(h.endpoint('deleteItem'), { id: 'y' }, {});
    expect(meta.signal.aborted).toBe(false);
  });

  it('leaves them unset when the caller sent none, with no deadline', async () => {
    const meta = await metaOf({});
    expect(meta.requestId).toBeUndefined();
    expect('requestId' in meta).toBe(false);
    expect(meta.caller).toBeNull();
    expect(meta.deadline).toBeNull();
  });

  it('sends the caller as base64url JSON under x-mesh-caller', async () => {
    const caller = { subject: 'service:orders', service: 'orders' };
    const metadata = new Metadata();
    metadata.set('x-mesh-caller', Buffer.from(JSON.stringify(caller)).toString('base64url'));
    metadata.set('x-request-id', 'raw-1');
    h.invocations.length = 0;
    const { error } = await rawCall(h.address, '/acme.catalog.v1.CatalogService/DeleteItem', emptyInput, metadata);
    expect(error).toBeNull();
    expect(h.invocations[0]!.meta.caller).toStrictEqual(caller);
    expect(h.invocations[0]!.meta.requestId).toBe('raw-1');
  });

  it('ignores a caller header that is not a well-formed Caller', async () => {
    for (const value of ['not base64 json', Buffer.from('{"roles":["x"]}').toString('base64url'), Buffer.from('{"subject":1}').toString('base64url')]) {
      const metadata = new Metadata();
      metadata.set('x-mesh-caller', value);
      h.invocations.length = 0;
      const { error } = await rawCall(h.address, '/acme.catalog.v1.CatalogService/DeleteItem', emptyInput, metadata);
      expect(error).toBeNull();
      expect([value, h.invocations[0]!.meta.caller]).toEqual([value, null]);
    }
  });
});
