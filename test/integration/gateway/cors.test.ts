// CORS at the gateway: preflights answered there (before authentication, never forwarded), answers
// readable by the allowed origins only, `*` never with credentials.
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway } from '../../../runtime/gateway/index.js';
import { SECRET, signToken } from '../../support/jwt.js';
import { closeAll, echo, send, startGateway, startUpstream } from './helpers.js';
import { pino } from 'pino';

afterEach(closeAll);

const SHOP = 'https://shop.example.com';
const auth = { jwt: { algorithms: ['HS256'] as const, secretEnv: 'JWT_SECRET' } };

async function corsStack() {
  const users = await startUpstream(echo);
  const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, {
    auth: { jwt: { ...auth.jwt, algorithms: ['HS256'] } },
    env: { JWT_SECRET: SECRET },
    cors: { origins: [SHOP], credentials: true, maxAgeSec: 300 },
  });
  return { users, gw };
}

const preflight = (origin: string) => ({ method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });

describe('CORS', () => {
  it('answers a preflight from an allowed origin itself, without a token, cached by the browser', async () => {
    const { users, gw } = await corsStack();
    const reply = await send(gw.port, '/api/orders', preflight(SHOP));
    expect(reply.status).toBe(204);
    expect(reply.headers['access-control-allow-origin']).toBe(SHOP);
    expect(reply.headers['access-control-allow-credentials']).toBe('true');
    expect(reply.headers['access-control-allow-methods']).toContain('POST');
    expect(reply.headers['access-control-allow-headers']).toContain('authorization');
    // A page traced in the browser may send its trace context (the gateway continues it).
    expect(reply.headers['access-control-allow-headers']).toContain('traceparent');
    expect(reply.headers['access-control-allow-headers']).toContain('tracestate');
    expect(reply.headers['access-control-max-age']).toBe('300');
    expect(reply.headers['vary']).toBe('Origin');
    expect(users.requests).toBe(0);
  });

  it('refuses a preflight from another origin, and gives its pages nothing to read', async () => {
    const { users, gw } = await corsStack();
    const refused = await send(gw.port, '/api/orders', preflight('https://evil.example'));
    expect(refused.status).toBe(403);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    const token = await signToken(SECRET, 'HS256');
    const actual = await send(gw.port, '/api/orders', { headers: { origin: 'https://evil.example', authorization: `Bearer ${token}` } });
    expect(actual.headers['access-control-allow-origin']).toBeUndefined();
    expect(actual.headers['vary']).toBe('Origin');
    expect(users.requests).toBe(1);
  });

  it('lets a page from the allowed origin read answers, errors included', async () => {
    const { gw } = await corsStack();
    const token = await signToken(SECRET, 'HS256');
    const ok = await send(gw.port, '/api/orders', { headers: { origin: SHOP, authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(SHOP);
    expect(ok.headers['access-control-expose-headers']).toContain('x-request-id');
    const denied = await send(gw.port, '/api/orders', { headers: { origin: SHOP } });
    expect(denied.status).toBe(401);
    expect(denied.headers['access-control-allow-origin']).toBe(SHOP);
  });

  it("refuses '*' with credentials, and an origin with a path, at start", () => {
    const base = { mesh: 't', port: 0, timeoutMs: 1000, bodyLimitBytes: 1000, routes: [], services: {} };
    const logger = pino({ level: 'silent' });
    expect(() => createGateway({ ...base, cors: { origins: ['*'], credentials: true } }, { logger })).toThrow(/list the origins/);
    expect(() => createGateway({ ...base, cors: { origins: ['https://shop.example.com/app'] } }, { logger })).toThrow(/without a path/);
  });
});
