import { describe, expect, it } from 'vitest';
import { pathOf, rewriteLocation, rewritePath, Router } from '../../../runtime/gateway/router.js';

const router = new Router([
  { prefix: '/api/v1/users/admin', service: 'admin', rewrite: '/' },
  { prefix: '/api/v1/users', service: 'users', rewrite: '/users' },
  { prefix: '/api/v1/orders', service: 'orders', rewrite: '/api/v1/orders' },
  { prefix: '/api', service: 'fallback', rewrite: '' },
]);

function route(url: string): string | undefined {
  return router.match(url)?.service;
}

function forward(url: string): string | undefined {
  const match = router.match(url);
  return match && rewritePath(match, url);
}

describe('Router.match', () => {
  it.each([
    ['/api/v1/users', 'users'],
    ['/api/v1/users/', 'users'],
    ['/api/v1/users/42', 'users'],
    ['/api/v1/users?x=1', 'users'],
    ['/api/v1/users/admin', 'admin'],
    ['/api/v1/users/admin/x?y', 'admin'],
    ['/api/v1/users/adminx', 'users'],
    ['/api/v1/usersx', 'fallback'],
    ['/api/v1/users%2F1', 'fallback'],
    ['/api', 'fallback'],
    ['/api?q', 'fallback'],
  ])('%s -> %s', (url, service) => {
    expect(route(url)).toBe(service);
  });

  it.each(['/', '/apix', '/ap', '/API/v1/users', '', 'http://host/api/v1/users', '*'])('%s matches nothing', (url) => {
    expect(route(url)).toBeUndefined();
  });

  it('takes the first match in the given order (the generator sorts longest first)', () => {
    const unsorted = new Router([
      { prefix: '/a', service: 'short', rewrite: '/a' },
      { prefix: '/a/b', service: 'long', rewrite: '/a/b' },
    ]);
    expect(unsorted.match('/a/b/c')?.service).toBe('short');
  });

  it('returns the same compiled route object for every match (no allocation per request)', () => {
    expect(router.match('/api/v1/users/1')).toBe(router.match('/api/v1/users?x'));
    expect(router.match('/api/v1/users/1')?.index).toBe(1);
  });
});

describe('rewritePath', () => {
  it.each([
    ['/api/v1/users', '/users'],
    ['/api/v1/users/', '/users/'],
    ['/api/v1/users/42/orders', '/users/42/orders'],
    ['/api/v1/users?x=1&y=%20', '/users?x=1&y=%20'],
    ['/api/v1/users/42?x=1', '/users/42?x=1'],
    // rewrite `/`: the prefix is removed, never leaving `//`
    ['/api/v1/users/admin', '/'],
    ['/api/v1/users/admin/', '/'],
    ['/api/v1/users/admin/7', '/7'],
    ['/api/v1/users/admin?q=1', '/?q=1'],
    // rewrite equal to the prefix: unchanged
    ['/api/v1/orders/9?z', '/api/v1/orders/9?z'],
    // empty rewrite behaves like `/`
    ['/api', '/'],
    ['/api?x', '/?x'],
    ['/api/other', '/other'],
  ])('%s -> %s', (url, upstream) => {
    expect(forward(url)).toBe(upstream);
  });

  it('keeps a trailing slash of the rewrite from doubling', () => {
    const r = new Router([{ prefix: '/p', service: 's', rewrite: '/inner/' }]);
    expect(rewritePath(r.match('/p/x')!, '/p/x')).toBe('/inner/x');
    expect(rewritePath(r.match('/p')!, '/p')).toBe('/inner');
  });
});

describe('rewriteLocation', () => {
  const back = (url: string, location: string) => rewriteLocation(router.match(url)!, location);

  it.each([
    // A path under the route's rewrite comes back under its prefix (what nginx's proxy_redirect default does).
    ['/api/v1/users', '/users/placements/b0c5', '/api/v1/users/placements/b0c5'],
    ['/api/v1/users', '/users', '/api/v1/users'],
    ['/api/v1/users', '/users?x=1', '/api/v1/users?x=1'],
    ['/api/v1/users', '/users#top', '/api/v1/users#top'],
    // An empty rewrite has every path of the service under it.
    ['/api/v1/users/admin', '/settings/1', '/api/v1/users/admin/settings/1'],
    ['/api/v1/users/admin', '/', '/api/v1/users/admin/'],
    ['/api', '/x', '/api/x'],
  ])('behind %s, %s becomes %s', (url, location, expected) => {
    expect(back(url, location)).toBe(expected);
  });

  it.each([
    ['/api/v1/users', '/usersx/1'],
    ['/api/v1/users', '/other/1'],
    ['/api/v1/users', 'https://example.com/users/1'],
    ['/api/v1/users', '//example.com/users/1'],
    ['/api/v1/users', 'users/1'],
    // A route that does not rewrite leaves every Location alone.
    ['/api/v1/orders', '/api/v1/orders/1'],
  ])('behind %s, %s stays', (url, location) => {
    expect(back(url, location)).toBe(location);
  });
});

describe('pathOf', () => {
  it('drops the query string', () => {
    expect(pathOf('/a/b?token=1')).toBe('/a/b');
    expect(pathOf('/a/b')).toBe('/a/b');
    expect(pathOf('/?')).toBe('/');
  });
});
