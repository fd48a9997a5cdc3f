// The gateway's canonical path: what it resolves, what it refuses, and two properties over paths
// built from the pieces tricks are made of.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePath } from '../../../runtime/gateway/normalize-path.js';

describe('normalizePath', () => {
  it.each([
    ['/api/v1/users', '/api/v1/users'],
    ['/api/v1/users/../orders?x=/../', '/api/v1/orders?x=/../'],
    ['/api//v1/%2e%2E/users', '/api/users'],
    ['/api/v1/users/', '/api/v1/users/'],
    ['/api/v1/users/.', '/api/v1/users/'],
    ['//', '/'],
    ['/api/%252e%252e', '/api/%252e%252e'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizePath(input)).toBe(expected);
  });

  it.each(['/..', '/a/../..', '/a%2fb', '/a%2Fb', '/a%5cb', '/a\\b', '/a;b', '/a%00', '/a\tb', 'http://host/a', '*', 'a/b'])('refuses %s', (input) => {
    expect(normalizePath(input)).toBeNull();
  });

  const piece = fc.constantFrom('a', 'B', '.', '..', '%2e', '%2E%2e', '', '%41', '~x');
  const path = fc.array(piece, { maxLength: 8 }).map((pieces) => `/${pieces.join('/')}`);

  it('leaves no dot segment, no empty segment inside, nothing to do a second time', () => {
    fc.assert(
      fc.property(path, (input) => {
        const out = normalizePath(input);
        if (out === null) return;
        expect(out.startsWith('/')).toBe(true);
        expect(out.split('/').slice(1, -1)).not.toContain('');
        expect(out.split('/')).not.toContain('..');
        expect(out.split('/')).not.toContain('.');
        expect(out).not.toMatch(/%2e/i);
        expect(normalizePath(out)).toBe(out);
      }),
    );
  });

  it('refuses exactly the paths whose ".." would climb above the root', () => {
    fc.assert(
      fc.property(path, (input) => {
        let depth = 0;
        let climbs = false;
        for (const segment of input.replace(/%2e/gi, '.').split('/').slice(1)) {
          if (segment === '..') depth === 0 ? (climbs = true) : depth--;
          else if (segment !== '.' && segment !== '') depth++;
        }
        expect(normalizePath(input) === null).toBe(climbs);
      }),
    );
  });
});
