// The dashboard page's modules that need no browser, run as the browser runs them (plain ES
// modules): the topology's layout (gateway first, callees right of callers, each event right of
// its publisher, no two nodes overlapping) and the explorer's sample values from JSON Schemas.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript of the page (type-checked by its own tsconfig), no declarations here
import { layOut } from '../../runtime/dev/dashboard/page/layout.js';
// @ts-expect-error: as above
import { sampleOf } from '../../runtime/dev/dashboard/page/sample.js';
import { schemas } from '../../generated/schemas.js';

type Kind = 'gateway' | 'service' | 'event';
type EdgeKind = 'route' | 'call' | 'publish' | 'subscribe';
type Box = { x: number; y: number; width: number; height: number; column: number };

const node = (id: string, kind: Kind) => ({ id, kind });
const edge = (from: string, to: string, kind: EdgeKind) => ({ id: `${from}->${to}`, from, to, kind });

/** The shop's shape: orders and payments call each other (a cycle), three services publish. */
const nodes = [
  node('gateway', 'gateway'),
  ...['users', 'orders', 'payments', 'inventory'].map((s) => node(`service:${s}`, 'service')),
  ...['user.created', 'order.confirmed', 'payment.completed'].map((e) => node(`event:${e}`, 'event')),
];
const edges = [
  ...['users', 'orders', 'payments', 'inventory'].map((s) => edge('gateway', `service:${s}`, 'route')),
  edge('service:orders', 'service:users', 'call'),
  edge('service:orders', 'service:inventory', 'call'),
  edge('service:orders', 'service:payments', 'call'),
  edge('service:payments', 'service:orders', 'call'),
  edge('service:users', 'event:user.created', 'publish'),
  edge('service:orders', 'event:order.confirmed', 'publish'),
  edge('event:order.confirmed', 'service:inventory', 'subscribe'),
  edge('service:payments', 'event:payment.completed', 'publish'),
  edge('event:payment.completed', 'service:orders', 'subscribe'),
];

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('the topology layout', () => {
  const layout = layOut(nodes, edges) as { boxes: Map<string, Box>; waypoints: Map<string, { x: number; y: number }[]>; width: number; height: number };
  const box = (id: string) => layout.boxes.get(id)!;

  it('places every node inside the drawing, none overlapping another', () => {
    expect([...layout.boxes.keys()].sort()).toEqual(nodes.map((n) => n.id).sort());
    const all = [...layout.boxes.entries()];
    for (const [id, b] of all) {
      expect(b.x, id).toBeGreaterThanOrEqual(0);
      expect(b.y, id).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width, id).toBeLessThanOrEqual(layout.width);
      expect(b.y + b.height, id).toBeLessThanOrEqual(layout.height);
    }
    for (const [i, [a, boxA]] of all.entries()) for (const [b, boxB] of all.slice(i + 1)) expect(overlap(boxA, boxB), `${a} and ${b}`).toBe(false);
  });

  it('puts the gateway first, callees right of their callers (a cycle cut once), each event right of its publisher', () => {
    for (const service of ['users', 'orders', 'payments', 'inventory']) expect(box(`service:${service}`).column).toBeGreaterThan(box('gateway').column);
    const orders = box('service:orders').column;
    const payments = box('service:payments').column;
    expect(orders).not.toBe(payments);
    const caller = orders < payments ? 'service:orders' : 'service:payments';
    expect(box('service:users').column).toBeGreaterThan(box(caller).column);
    expect(box('service:inventory').column).toBeGreaterThan(box('service:orders').column);
    expect(box('event:user.created').column).toBe(box('service:users').column + 1);
    expect(box('event:payment.completed').column).toBe(box('service:payments').column + 1);
    // Events in a band below the services: calls never cross them.
    const lowestService = Math.max(...['users', 'orders', 'payments', 'inventory'].map((s) => box(`service:${s}`).y + box(`service:${s}`).height));
    for (const e of ['user.created', 'order.confirmed', 'payment.completed']) expect(box(`event:${e}`).y).toBeGreaterThan(lowestService);
  });

  it('routes a call that skips columns through a waypoint in each, clear of the nodes there', () => {
    const long = edges.filter((e) => (e.kind === 'route' || e.kind === 'call') && box(e.to).column - box(e.from).column > 1);
    expect(long.length).toBeGreaterThan(0);
    for (const e of long) {
      const points = layout.waypoints.get(e.id)!;
      expect(points, e.id).toHaveLength(box(e.to).column - box(e.from).column - 1);
      for (const p of points) for (const [id, b] of layout.boxes) expect(p.x >= b.x && p.x <= b.x + b.width && p.y >= b.y && p.y <= b.y + b.height, `${e.id} through ${id}`).toBe(false);
    }
  });

  it('gives the same layout for the same graph, whatever the order of its nodes and edges', () => {
    const again = layOut([...nodes].reverse(), [...edges].reverse()) as typeof layout;
    expect([...again.boxes.entries()].sort()).toEqual([...layout.boxes.entries()].sort());
  });
});

describe('the explorer sample values', () => {
  const defs = schemas.$defs as Record<string, object>;

  it('fills users.CreateUser with a value its schema accepts (email format, required fields)', () => {
    const sample = sampleOf({ $ref: '#/$defs/users.CreateUser' }, defs) as Record<string, unknown>;
    expect(sample['email']).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
    expect(typeof sample['name']).toBe('string');
  });

  it('follows references into the catalog and prefers the schema\'s own examples', () => {
    const sample = sampleOf({ $ref: '#/$defs/payments.CreatePayment' }, defs) as Record<string, unknown>;
    expect(sample['cardToken']).toBe('tok_visa');
    const order = sampleOf({ $ref: '#/$defs/orders.CreateOrder' }, defs) as { items: { productId: unknown }[] };
    expect(order.items.length).toBeGreaterThan(0);
    expect(typeof order.items[0]!.productId).toBe('string');
  });

  it('stops at a recursive type instead of looping, and answers null for what it cannot read', () => {
    const recursive = { Node: { type: 'object', properties: { next: { $ref: '#/$defs/Node' } } } };
    expect(JSON.stringify(sampleOf({ $ref: '#/$defs/Node' }, recursive))).toMatch(/null/);
    expect(sampleOf({ $ref: '#/$defs/Missing' }, {})).toBeNull();
    expect(sampleOf({ enum: ['a', 'b'] }, {})).toBe('a');
    expect(sampleOf({ type: 'integer', minimum: 3 }, {})).toBe(3);
  });
});
