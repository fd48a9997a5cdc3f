// `meshspec dev` calls between services skip the network: front's call to users reaches users' hook
// with the request id, caller and deadline, and users' access log (one line per HTTP request) never
// hears of it. With co-location off the same call shows up there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type DevStack, type RunningStack } from '../../support/runtime.js';
import { frontHost, jsonOf, usersHost } from './fixtures.js';

const stack: DevStack = {
  mesh: 'test',
  services: [usersHost, frontHost],
  gateway: null,
  runtime: { bodyLimitBytes: 1024, shutdownGraceMs: 1000 },
};
const anyPorts = { users: { http: 0 }, front: { http: 0 } };

interface Started {
  running: RunningStack;
  output: string[];
}

const start = async (colocated?: false): Promise<Started> => {
  const output: string[] = [];
  const running = await startStack(stack, {
    ports: anyPorts,
    output: { write: (t: string) => output.push(t) },
    logLevel: 'info',
    ...(colocated === false ? { colocated } : {}),
  });
  return { running, output };
};

/** The access-log lines users wrote for `requestId`. */
const usersRequests = (output: string[], requestId: string) => output.filter((line) => line.startsWith('[users] ') && line.includes(`request requestId=${requestId} `));

let together: Started;
let apart: Started;

beforeAll(async () => {
  [together, apart] = await Promise.all([start(), start(false)]);
});
afterAll(() => Promise.all([together.running.close(), apart.running.close()]));

describe('the dev stack', () => {
  it('calls a service of the stack in process: the hook gets request id, caller and deadline, no HTTP request reaches it', async () => {
    const res = await fetch(`${together.running.urls.front?.http}/via-echo`, { headers: { 'x-request-id': 'colo-1' } });
    expect(res.status).toBe(200);
    const echoed = await jsonOf(res);
    expect(echoed.requestId).toBe('colo-1');
    expect(echoed.caller).toEqual({ subject: 'service:front', service: 'front' });
    expect(echoed.deadline).toEqual(expect.any(Number));
    // front's own request is logged; users' hook ran without an HTTP request.
    expect(together.output.some((line) => line.startsWith('[front] ') && line.includes('request requestId=colo-1 '))).toBe(true);
    expect(usersRequests(together.output, 'colo-1')).toEqual([]);
  });

  it('goes over loopback HTTP with co-location off', async () => {
    const res = await fetch(`${apart.running.urls.front?.http}/via-echo`, { headers: { 'x-request-id': 'colo-2' } });
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).caller).toEqual({ subject: 'service:front', service: 'front' });
    expect(usersRequests(apart.output, 'colo-2')).toHaveLength(1);
  });

  it('answers a declared error of the callee as over HTTP', async () => {
    const [inProcess, overHttp] = await Promise.all(
      [together, apart].map(async ({ running }) => {
        const res = await fetch(`${running.urls.front?.http}/via/999`);
        return { status: res.status, body: await jsonOf(res) };
      }),
    );
    expect(inProcess!.status).toBe(404);
    expect({ ...inProcess!.body.error, requestId: undefined }).toEqual({ ...overHttp!.body.error, requestId: undefined });
  });
});
