// Values through a real grpc-js server and the gRPC transport, in both directions: whatever the
// hook receives or returns must come out on the other side exactly (toStrictEqual: no extra keys,
// no `undefined` stand-ins for absent fields).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationFailed } from '../../../runtime/errors/index.js';
import { fixtureModel } from '../../unit/proto/model-fixture.js';
import { startHarness, type Harness } from './harness.js';
import { fullItem, zeroItem } from './items.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness(fixtureModel(), 'catalog');
});

afterAll(async () => {
  await h.close();
});

/** Calls `endpoint` with `input`, the hook answering `output`; returns what each side saw. */
async function roundTrip(endpoint: string, input: unknown, output: unknown): Promise<{ received: unknown; returned: unknown }> {
  h.invocations.length = 0;
  h.respond = async () => output;
  const returned = await h.transport.call(h.endpoint(endpoint), input, {});
  expect(h.invocations).toHaveLength(1);
  expect(h.invocations[0]!.endpoint).toBe(endpoint);
  return { received: h.invocations[0]!.input, returned };
}

describe('gRPC round trips', () => {
  it('carries nested messages, arrays, maps, every enum and every scalar both ways', async () => {
    const item = fullItem();
    const answer = { ...fullItem(), id: 'answer', kind: 'physical', status: 'active', http: 'ok' };
    const { received, returned } = await roundTrip('putItem', item, answer);
    expect(received).toStrictEqual(fullItem());
    expect(returned).toStrictEqual(answer);
  });

  it('keeps required fields at their zero values, which proto3 leaves off the wire', async () => {
    const { received, returned } = await roundTrip('putItem', zeroItem(), zeroItem());
    expect(received).toStrictEqual(zeroItem());
    expect(returned).toStrictEqual(zeroItem());
  });

  it('leaves unset optional fields absent, and keeps optional fields set to zero values', async () => {
    const zeroOptionals = { ...zeroItem(), notes: '', rating2Value: 0, owner: { partyId: '', vip: false } };
    const { received, returned } = await roundTrip('putItem', zeroOptionals, zeroItem());
    expect(received).toStrictEqual(zeroOptionals);
    expect(returned).toStrictEqual(zeroItem());
    for (const key of ['notes', 'rating2Value', 'owner', 'status', 'http', 'labels', 'extras']) expect(returned).not.toHaveProperty(key);
  });

  it('sends an empty optional list or map as absent: the wire cannot tell them apart', async () => {
    const { received } = await roundTrip('putItem', { ...zeroItem(), labels: [], extras: {} }, zeroItem());
    expect(received).toStrictEqual(zeroItem());
  });

  it('passes an all-optional input through as given, absent fields included', async () => {
    expect((await roundTrip('listItems', {}, [])).received).toStrictEqual({});
    expect((await roundTrip('listItems', { kind: 'digitalDownload', limit: 0 }, [])).received).toStrictEqual({ kind: 'digitalDownload', limit: 0 });
  });

  it('unwraps list outputs, empty ones included', async () => {
    expect((await roundTrip('listItems', {}, [fullItem(), zeroItem()])).returned).toStrictEqual([fullItem(), zeroItem()]);
    expect((await roundTrip('listItems', {}, [])).returned).toStrictEqual([]);
  });

  it('resolves undefined for an endpoint without output, whatever the hook returned', async () => {
    const { received, returned } = await roundTrip('deleteItem', { id: 'gone' }, { ignored: true });
    expect(received).toStrictEqual({ id: 'gone' });
    expect(returned).toBeUndefined();
  });

  it('sends a synthesized input (path params) as its request message', async () => {
    const { received, returned } = await roundTrip('getItem', { id: 'x-1' }, zeroItem());
    expect(received).toStrictEqual({ id: 'x-1' });
    expect(returned).toStrictEqual(zeroItem());
  });

  it('rejects a client input the proto cannot carry before sending, as ValidationFailed naming the full field path', async () => {
    h.invocations.length = 0;
    const child = { ...zeroItem(), id: 'c' };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...zeroItem(), count: 1.5 }, 'PutItemRequest.item.count: expected an integer, got 1.5', '/count'],
      [{ ...zeroItem(), kind: 'bogus' }, 'PutItemRequest.item.kind: "bogus" is not a value of ItemKind: expected one of "physical", "digitalDownload"', '/kind'],
      [{ ...zeroItem(), children: [child, { ...child, kinds: ['physical', 7] }] }, 'PutItemRequest.item.children[1].kinds[1]: 7 is not a value of ItemKind: expected one of "physical", "digitalDownload"', '/children/1/kinds/1'],
      [{ ...zeroItem(), attrs: { color: 1 } }, 'PutItemRequest.item.attrs["color"]: expected a string, got 1', '/attrs/color'],
      [{ ...zeroItem(), parties: { 'x/y': { vip: true } } }, 'PutItemRequest.item.parties["x/y"].party_id: missing required field', '/parties/x~1y/partyId'],
      [{ ...zeroItem(), id: undefined }, 'PutItemRequest.item.id: missing required field', '/id'],
      [{ ...zeroItem(), tags: 'a' }, 'PutItemRequest.item.tags: expected an array, got "a"', '/tags'],
    ];
    for (const [input, message, path] of cases) {
      const err = await h.transport.call(h.endpoint('putItem'), input, {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationFailed);
      expect([(err as ValidationFailed).status, (err as ValidationFailed).message]).toEqual([400, `invalid input: ${message}`]);
      expect((err as ValidationFailed).details).toEqual([{ path, message: message.slice(message.indexOf(': ') + 2) }]);
    }
    // A bad value is shown cut short, never whole.
    const long = await h.transport.call(h.endpoint('putItem'), { ...zeroItem(), count: 'y'.repeat(10_000) }, {}).catch((e: unknown) => e);
    expect((long as ValidationFailed).message).toBe(`invalid input: PutItemRequest.item.count: expected an integer, got "${'y'.repeat(56)}...`);
    expect(h.invocations).toHaveLength(0);
  });
});
