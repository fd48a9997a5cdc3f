// A route's methods compiled to a mask (HEAD with GET, always OPTIONS) and its `Allow`; the router's
// per-route body limit and timeout, the gateway's where the route sets none; invalid values refused.
import { describe, expect, it } from 'vitest';
import { allowOf, methodBit, methodMask } from '../../../runtime/gateway/route-methods.js';
import { Router } from '../../../runtime/gateway/router.js';

describe('route methods', () => {
  it('adds HEAD to GET and always OPTIONS, and names them in a fixed order', () => {
    expect(allowOf(methodMask(['POST', 'GET']))).toBe('GET, HEAD, POST, OPTIONS');
    expect(allowOf(methodMask(['DELETE']))).toBe('DELETE, OPTIONS');
    expect(allowOf(methodMask(['PATCH', 'PUT', 'DELETE', 'GET', 'POST']))).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
  });

  it('takes exactly the listed methods', () => {
    const mask = methodMask(['POST']);
    for (const method of ['POST', 'OPTIONS']) expect(mask & methodBit(method)).not.toBe(0);
    for (const method of ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE']) expect(mask & methodBit(method)).toBe(0);
  });

  it('gives no bit to methods a route cannot list, so a mask never takes them', () => {
    for (const method of ['TRACE', 'CONNECT', 'PROPFIND', 'get', '', undefined]) expect(methodBit(method)).toBe(0);
    expect(() => methodMask(['GET', 'TRACE'])).toThrow(/`TRACE` is not a method a route can take/);
    expect(() => methodMask([])).toThrow(/the list is empty/);
  });
});

describe('Router route settings', () => {
  const defaults = { timeoutMs: 10_000, bodyLimitBytes: 1_048_576 };

  it("compiles a route's methods, body limit and timeout, and the gateway's where it sets none", () => {
    const router = new Router(
      [
        { prefix: '/api/upload', service: 'files', rewrite: '/files', methods: ['POST'], bodyLimitBytes: 8 * 1_048_576, timeoutMs: 60_000 },
        { prefix: '/api', service: 'users', rewrite: '/users' },
      ],
      defaults,
    );
    const [upload, api] = router.routes;
    expect(upload).toMatchObject({ allow: ['allow', 'POST, OPTIONS'], bodyLimitBytes: 8 * 1_048_576, timeoutMs: 60_000 });
    expect(upload!.methods).toBe(methodMask(['POST']));
    expect(api).toMatchObject({ methods: 0, allow: [], bodyLimitBytes: 1_048_576, timeoutMs: 10_000 });
  });

  it('refuses invalid route settings at start, naming the route', () => {
    const route = { prefix: '/api', service: 'users', rewrite: '/users' };
    expect(() => new Router([{ ...route, methods: ['GET', 'TRACE'] as never }], defaults)).toThrow('gateway: route /api: methods: `TRACE` is not a method');
    expect(() => new Router([{ ...route, bodyLimitBytes: 0 }], defaults)).toThrow('gateway: route /api: bodyLimitBytes: must be a whole number above 0, got 0');
    expect(() => new Router([{ ...route, timeoutMs: Number.NaN }], defaults)).toThrow('gateway: route /api: timeoutMs: must be a whole number above 0, got NaN');
  });
});
