// The node binding's pieces on their own: route table order, request targets, the JSON content check.
import { describe, expect, it } from 'vitest';
import { requireJsonBody } from '../../../runtime/http/content-type.js';
import { RouteTable, splitPath } from '../../../runtime/http/node/router.js';
import { routingTarget } from '../../../runtime/http/node/target.js';

describe('RouteTable', () => {
  const table = new RouteTable<string>();
  table.add('GET', '/users/me', 'getMe', 0);
  table.add('GET', '/users/{id}', 'getUser', 1);
  table.add('GET', '/a/{x}/c', 'literal-last', 2);
  table.add('GET', '/a/b/{y}', 'extra', 3);
  table.add('GET', '/files/export', 'late-static', 4);
  table.add('GET', '/files/{name}', 'early-param', 0.5);

  it('prefers the route earlier in route order, literal or not', () => {
    expect(table.find('GET', splitPath('/users/me'))?.value).toBe('getMe');
    expect(table.find('GET', splitPath('/users/42'))).toMatchObject({ value: 'getUser', names: ['id'], raw: ['42'] });
    expect(table.find('GET', splitPath('/a/b/c'))?.value).toBe('literal-last');
    expect(table.find('GET', splitPath('/a/b/d'))).toMatchObject({ value: 'extra', raw: ['d'] });
    expect(table.find('GET', splitPath('/files/export'))?.value).toBe('early-param');
  });

  it('matches literals case-insensitively, keeps params as sent, and takes one trailing slash', () => {
    expect(table.find('GET', splitPath('/USERS/Ab%20c/'))).toMatchObject({ value: 'getUser', raw: ['Ab%20c'] });
    expect(table.find('GET', splitPath('/users/42//'))).toBeNull();
    expect(table.find('GET', splitPath('/users//'))).toBeNull();
    expect(table.find('POST', splitPath('/users/42'))).toBeNull();
  });

  it('finds a route whose spec path ends with a slash, with or without it (a property-test counterexample)', () => {
    const slashed = new RouteTable<string>();
    slashed.add('POST', '/..x/delete/', 'close', 0);
    slashed.add('GET', '/reports/{year}/', 'report', 1);
    expect(slashed.find('POST', splitPath('/..x/delete/'))?.value).toBe('close');
    expect(slashed.find('POST', splitPath('/..x/delete'))?.value).toBe('close');
    expect(slashed.find('GET', splitPath('/reports/2026/'))).toMatchObject({ value: 'report', raw: ['2026'] });
    expect(slashed.find('GET', splitPath('/reports/2026'))).toMatchObject({ value: 'report', raw: ['2026'] });
  });
});

describe('routingTarget', () => {
  it('splits at the first ?, drops a fragment and reads an absolute-form target by its path', () => {
    expect(routingTarget('/users?a=1?b=2')).toEqual({ path: '/users', query: 'a=1?b=2' });
    expect(routingTarget('/users#x?y')).toEqual({ path: '/users', query: '' });
    expect(routingTarget('http://host:3000/users/1?limit=2#top')).toEqual({ path: '/users/1', query: 'limit=2' });
    expect(routingTarget('http://host?x=1')).toEqual({ path: '/', query: 'x=1' });
    expect(routingTarget('*')).toEqual({ path: '*', query: '' });
  });
});

describe('requireJsonBody', () => {
  const body = (type?: string) => ({ 'content-length': '2', ...(type === undefined ? {} : { 'content-type': type }) });

  it('passes a request without a body, whatever its type', () => {
    expect(requireJsonBody({ 'content-type': 'text/plain' })).toBe(false);
  });

  it('accepts JSON types in UTF-8 and reads the charset like the content-type package', () => {
    for (const type of ['application/json', 'application/problem+json', ' APPLICATION/JSON ;foo=bar; charset="UTF-8"', 'application/json; a="x;charset=latin1"; charset=utf-8']) {
      expect(requireJsonBody(body(type)), type).toBe(true);
    }
  });

  it('refuses other types, a missing type and other charsets with 415', () => {
    expect(() => requireJsonBody(body('text/json'))).toThrow('expected a JSON body (content-type application/json), got text/json');
    expect(() => requireJsonBody(body())).toThrow('got none');
    expect(() => requireJsonBody(body('application/json+xml'))).toThrow('got application/json+xml');
    expect(() => requireJsonBody(body('application/json; charset=iso-8859-1'))).toThrow('unsupported charset "ISO-8859-1"');
    expect(() => requireJsonBody({ 'transfer-encoding': 'chunked', 'content-type': 'application/json; charset = utf-16' })).toThrow('unsupported charset "UTF-16"');
  });
});
