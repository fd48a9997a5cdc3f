// Values of the fixture model's catalog types, from the emptiest legal one to a full one.

/** Every required field at its zero value; no optional field. */
export function zeroItem(): Record<string, unknown> {
  return { id: '', count: 0, price: 0, active: false, tags: [], attrs: {}, kind: 'physical', children: [], scores: {}, kinds: [], parties: {} };
}

/** Every field set, nested three deep, with every enum and map kind. */
export function fullItem(): Record<string, unknown> {
  return {
    id: 'item-1',
    count: 2 ** 53 - 1,
    price: -9.75,
    active: true,
    tags: ['a', 'b', ''],
    attrs: { color: 'red', empty: '' },
    kind: 'digitalDownload',
    status: 'retired',
    owner: { partyId: 'p-1', vip: true },
    children: [{ ...zeroItem(), id: 'child', count: -3, children: [{ ...zeroItem(), id: 'grandchild', kinds: ['digitalDownload'] }] }],
    scores: { a: 1, b: -2, zero: 0 },
    notes: 'ünïcödé ✓',
    rating2Value: 0.25,
    kinds: ['physical', 'digitalDownload', 'physical'],
    parties: { x: { partyId: 'x' }, y: { partyId: 'y', vip: false } },
    http: 'v2Gone',
    labels: ['l'],
    extras: { pi: 3.14, zero: 0 },
  };
}
