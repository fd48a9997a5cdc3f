// A Location the service answers (a saga's 202 pointing at its status) comes back through the route
// that rewrote the request: under the route's rewrite it gets the route's public prefix; other
// Locations pass unchanged.
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, send, startGateway, startUpstream } from './helpers.js';

afterEach(closeAll);

describe('Location through a rewriting route', () => {
  it('is rewritten back to the public prefix when under the rewrite, and left alone otherwise', async () => {
    const orders = await startUpstream((req, res) => {
      const location = req.url === '/orders/placements' ? '/orders/placements/b0c5' : 'https://elsewhere.example/x';
      res.writeHead(202, { location, 'content-type': 'application/json' });
      res.end('{"sagaId":"b0c5","state":"running"}');
    });
    const gw = await startGateway([{ prefix: '/api/orders', service: 'orders', rewrite: '/orders' }], { orders: orders.origin });
    const started = await send(gw.port, '/api/orders/placements', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(started.status).toBe(202);
    expect(started.headers.location).toBe('/api/orders/placements/b0c5');
    const other = await send(gw.port, '/api/orders/other', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(other.headers.location).toBe('https://elsewhere.example/x');
  });
});
