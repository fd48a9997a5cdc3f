// The small decisions behind saga endpoints: how long a start waits, the id a keyed request derives,
// when the HTTP binding answers 202 and where it points, what a status shows, what a step's call
// options carry, and the timing read from the environment.
import { describe, expect, it } from 'vitest';
import { sagaAccepted } from '../../../runtime/saga/accepted.js';
import { SAGA_WAIT_WITHOUT_DEADLINE_MS, sagaStatusOf, waitMs } from '../../../runtime/saga/endpoints.js';
import { isSagaId, sagaIdFromKey } from '../../../runtime/saga/ids.js';
import { sagaTimingFromEnv, stepCallOptions } from '../../../runtime/host/sagas.js';
import { StartupError } from '../../../runtime/host/startup-error.js';
import { Timeout } from '../../../runtime/errors/index.js';
import { testEndpoint } from '../../support/endpoint.js';

const now = 1_000_000;

describe('waitMs', () => {
  it.each([
    [null, now + 10_000, 0],
    [2_000, null, 2_000],
    [2_000, now + 10_000, 2_000],
    // Capped shortly before the deadline: 500 ms at most, 10 % of what is left when less.
    [8_000, now + 5_000, 4_500],
    [8_000, now + 1_000, 900],
    ['deadline', now + 10_000, 9_500],
    ['deadline', null, SAGA_WAIT_WITHOUT_DEADLINE_MS],
    ['deadline', now - 5, 0],
  ] as const)('wait %s with deadline %s waits %s ms', (wait, deadline, expected) => {
    expect(waitMs(wait, deadline, now)).toBe(expected);
  });
});

describe('sagaIdFromKey', () => {
  const scope = { service: 'orders', saga: 'placeOrder', caller: 'user:42' };

  it('gives the same UUID for the same scope and key, and another for any other', () => {
    const id = sagaIdFromKey(scope, 'k-1');
    expect(id).toBe(sagaIdFromKey({ ...scope }, 'k-1'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isSagaId(id)).toBe(true);
    const others = [sagaIdFromKey(scope, 'k-2'), sagaIdFromKey({ ...scope, caller: 'user:43' }, 'k-1'), sagaIdFromKey({ ...scope, saga: 'refund' }, 'k-1'), sagaIdFromKey({ ...scope, service: 'shop' }, 'k-1')];
    expect(new Set([id, ...others]).size).toBe(5);
    // Parts are length-prefixed: moving text between them changes the id.
    expect(sagaIdFromKey({ ...scope, caller: 'user:4' }, '2k-1')).not.toBe(sagaIdFromKey({ ...scope, caller: 'user:42' }, 'k-1'));
  });
});

describe('sagaAccepted', () => {
  const sketch = { name: 'placeOrder', method: 'POST', path: '/orders/placements', input: 'PlaceOrder' } as const;
  const defaults = { output: { type: 'PlaceOrderStatus', list: false }, grpcRequest: null, grpcResponse: 'status' };
  const starts = testEndpoint({ ...sketch, startsSaga: { saga: 'placeOrder', wait: null, statusPath: '/orders/placements/{placementId}' } }, defaults);

  it('answers 202 with the status path of a saga in flight, the id in place of its placeholder', () => {
    expect(sagaAccepted(starts, { sagaId: 'b0c5:x', state: 'running' })).toEqual({ status: 202, location: '/orders/placements/b0c5%3Ax' });
    expect(sagaAccepted(starts, { sagaId: 'b0c5', state: 'compensating' })).toEqual({ status: 202, location: '/orders/placements/b0c5' });
    const noStatus = testEndpoint({ ...sketch, startsSaga: { saga: 'placeOrder', wait: null, statusPath: null } }, defaults);
    expect(sagaAccepted(noStatus, { sagaId: 'b0c5', state: 'running' })).toEqual({ status: 202, location: null });
  });

  it('leaves a final saga, and any other endpoint, to the usual answer', () => {
    expect(sagaAccepted(starts, { sagaId: 'b0c5', state: 'completed' })).toBeNull();
    expect(sagaAccepted(testEndpoint(sketch, defaults), { sagaId: 'b0c5', state: 'running' })).toBeNull();
  });
});

describe('sagaStatusOf', () => {
  const base = { id: 's-1', saga: 'placeOrder', input: { card: 'secret' }, createdAt: 1, updatedAt: 2, steps: [] };

  it('shows the id, state, output once completed and failure, never the input', () => {
    expect(sagaStatusOf({ ...base, state: 'running' })).toEqual({ sagaId: 's-1', state: 'running' });
    expect(sagaStatusOf({ ...base, state: 'completed', output: { orderId: 'o-1' } })).toEqual({ sagaId: 's-1', state: 'completed', output: { orderId: 'o-1' } });
    expect(sagaStatusOf({ ...base, state: 'completed', output: null })).toEqual({ sagaId: 's-1', state: 'completed' });
    const failure = { step: 'charge', code: 'Declined', message: 'card declined' };
    expect(sagaStatusOf({ ...base, state: 'compensated', failure })).toEqual({ sagaId: 's-1', state: 'compensated', failure });
  });
});

describe('stepCallOptions', () => {
  it('carries the key, deadline, request id and the service as caller, and aborts with a Timeout at the deadline', async () => {
    const caller = { subject: 'service:orders', service: 'orders' };
    const options = stepCallOptions({ idempotencyKey: 'saga:s-1:charge', deadline: Date.now() + 30, requestId: 's-1' }, caller);
    expect(options).toMatchObject({ idempotencyKey: 'saga:s-1:charge', requestId: 's-1', caller });
    expect(options.signal!.aborted).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(options.signal!.aborted).toBe(true);
    expect(options.signal!.reason).toBeInstanceOf(Timeout);
  });
});

describe('sagaTimingFromEnv', () => {
  it('reads MESH_SAGA_LEASE_MS and MESH_SAGA_RESUME_MS as durations, unset keeping the defaults', () => {
    expect(sagaTimingFromEnv({})).toEqual({});
    expect(sagaTimingFromEnv({ MESH_SAGA_LEASE_MS: '2s', MESH_SAGA_RESUME_MS: '250' })).toEqual({ leaseMs: 2_000, resumeIntervalMs: 250 });
    expect(() => sagaTimingFromEnv({ MESH_SAGA_LEASE_MS: 'soon' })).toThrow(StartupError);
    expect(() => sagaTimingFromEnv({ MESH_SAGA_RESUME_MS: '0' })).toThrow(/MESH_SAGA_RESUME_MS must be at least 1 ms/);
  });

  it('reads the compensation attempts as a whole number and the backoff as durations, a lone one completed by the default', () => {
    expect(sagaTimingFromEnv({ MESH_SAGA_COMPENSATION_ATTEMPTS: '3', MESH_SAGA_BACKOFF_MS: '0', MESH_SAGA_BACKOFF_MAX_MS: '20ms' }))
      .toEqual({ compensationAttempts: 3, backoff: { initialMs: 0, maxMs: 20 } });
    expect(sagaTimingFromEnv({ MESH_SAGA_BACKOFF_MS: '10s' })).toEqual({ backoff: { initialMs: 10_000, maxMs: 10_000 } });
    expect(sagaTimingFromEnv({ MESH_SAGA_BACKOFF_MAX_MS: '50' })).toEqual({ backoff: { initialMs: 50, maxMs: 50 } });
    for (const bad of ['0', '2.5', 'many', '-1']) {
      expect(() => sagaTimingFromEnv({ MESH_SAGA_COMPENSATION_ATTEMPTS: bad })).toThrow(/MESH_SAGA_COMPENSATION_ATTEMPTS must be a whole number of attempts, at least 1/);
    }
    expect(() => sagaTimingFromEnv({ MESH_SAGA_BACKOFF_MS: '2s', MESH_SAGA_BACKOFF_MAX_MS: '1s' })).toThrow(/MESH_SAGA_BACKOFF_MAX_MS \(1000 ms\) must be at least MESH_SAGA_BACKOFF_MS \(2000 ms\)/);
  });
});
