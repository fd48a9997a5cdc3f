// A deadline across three real services: test -> front -> middle -> ledger. The innermost call is cut
// when the outer deadline passes, and not started when it has passed already.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './fixtures.js';
import { startMesh, type Mesh } from './services.js';

let mesh: Mesh;
beforeAll(async () => {
  mesh = await startMesh();
});
afterAll(() => mesh.close());

async function callFront(path: string, deadline: number): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${mesh.front.httpPort}${path}`, { headers: { 'x-mesh-deadline': String(deadline) } });
  return { status: res.status, body: await res.json() };
}

describe('a deadline across three hops', () => {
  it('cuts the innermost call when the outer deadline passes', async () => {
    const deadline = Date.now() + 400;
    const reply = await callFront('/start', deadline);
    expect(reply).toMatchObject({ status: 504, body: { error: { code: 'Timeout' } } });
    await until(() => mesh.state.holds.cut === 1, 'the innermost call to be cut');
    expect(mesh.state.holds.started).toBe(1);
    // The deadline the innermost service saw is the outer one (or sooner), not a fresh 10 s of its own.
    expect(mesh.state.holds.deadlines[0]).toBeLessThanOrEqual(deadline);
    // Nobody retried a call whose deadline passed.
    expect(mesh.front.dependencies().resilience['middle']?.counters).toMatchObject({ calls: 1, attempts: 1, retries: 0 });
    expect(mesh.middle.dependencies().resilience['ledger']?.counters).toMatchObject({ calls: 1, attempts: 1, retries: 0 });
  });

  it('does not start the innermost call once the outer deadline has passed', async () => {
    const started = mesh.state.holds.started;
    const reply = await callFront('/start-late', Date.now() + 300);
    expect(reply.status).toBe(504);
    await until(() => mesh.late.length === 1, 'the late call to fail');
    expect(mesh.late[0]).toEqual({ code: 'Timeout', beforeStart: true });
    expect(mesh.state.holds.started).toBe(started);
    expect(mesh.middle.dependencies().resilience['ledger']?.counters.rejected.deadlinePassed).toBe(1);
    expect(mesh.logs.some((l) => l.msg === 'call rejected: deadline-passed' && l.dependency === 'ledger')).toBe(true);
  });
});
