// The client address for rate limiting: with no trusted proxy the socket peer whatever the client
// sends; with N, the N-th X-Forwarded-For entry from the right, so a forged left part never becomes the
// key; bad or missing entries fall back to the last address a trusted hop vouched for.
import { describe, expect, it } from 'vitest';
import { canonicalIp, clientIp, clientKey } from '../../../runtime/gateway/client-ip.js';

type Row = [what: string, socket: string | undefined, xff: string | string[] | undefined, trusted: number, expected: string];

const rows: Row[] = [
  // No trusted proxy: X-Forwarded-For is whatever the client typed.
  ['direct client', '203.0.113.7', undefined, 0, '203.0.113.7'],
  ['direct client spoofing X-Forwarded-For', '203.0.113.7', '1.1.1.1', 0, '203.0.113.7'],
  ['direct client spoofing a list', '203.0.113.7', '1.1.1.1, 2.2.2.2, 3.3.3.3', 0, '203.0.113.7'],
  ['IPv4-mapped socket address', '::ffff:203.0.113.7', '1.1.1.1', 0, '203.0.113.7'],
  ['IPv6 socket address', '2001:DB8:0:0:0:0:0:1', undefined, 0, '2001:db8::1'],
  ['closed socket', undefined, '1.1.1.1', 0, ''],
  // One trusted proxy (a load balancer): the rightmost entry is what it saw.
  ['behind one proxy', '10.0.0.5', '203.0.113.7', 1, '203.0.113.7'],
  ['behind one proxy, client spoofs the left part', '10.0.0.5', '6.6.6.6, 203.0.113.7', 1, '203.0.113.7'],
  ['behind one proxy, many spoofed entries', '10.0.0.5', `${'6.6.6.6, '.repeat(500)}203.0.113.7`, 1, '203.0.113.7'],
  ['behind one proxy, header missing (falls back to the socket)', '10.0.0.5', undefined, 1, '10.0.0.5'],
  ['behind one proxy, empty header', '10.0.0.5', '', 1, '10.0.0.5'],
  ['behind one proxy, malformed entry', '10.0.0.5', '6.6.6.6, not-an-ip', 1, '10.0.0.5'],
  ['behind one proxy, trailing comma', '10.0.0.5', '203.0.113.7,', 1, '10.0.0.5'],
  ['behind one proxy, entry with a port', '10.0.0.5', '203.0.113.7:51234', 1, '203.0.113.7'],
  ['behind one proxy, bracketed IPv6 with a port', '10.0.0.5', '[2001:db8::7]:443', 1, '2001:db8::7'],
  ['behind one proxy, IPv4-mapped entry', '10.0.0.5', '::FFFF:203.0.113.7', 1, '203.0.113.7'],
  ['behind one proxy, two header lines', '10.0.0.5', ['6.6.6.6', '198.51.100.1, 203.0.113.7'], 1, '203.0.113.7'],
  ['behind one proxy, an entry too long to be an address', '10.0.0.5', `6.6.6.6, ${'1'.repeat(5_000)}`, 1, '10.0.0.5'],
  // Two trusted proxies (CDN, then load balancer): the second entry from the right.
  ['behind two proxies', '10.0.0.5', '203.0.113.7, 192.0.2.10', 2, '203.0.113.7'],
  ['behind two proxies, client spoofs the left part', '10.0.0.5', '6.6.6.6, 7.7.7.7, 203.0.113.7, 192.0.2.10', 2, '203.0.113.7'],
  ['behind two proxies, only one entry (the rightmost trusted value)', '10.0.0.5', '192.0.2.10', 2, '192.0.2.10'],
  ['behind two proxies, malformed second entry', '10.0.0.5', 'garbage, 192.0.2.10', 2, '192.0.2.10'],
  ['behind two proxies, lines split between the hops', '10.0.0.5', ['6.6.6.6, 203.0.113.7', '192.0.2.10'], 2, '203.0.113.7'],
  ['behind two proxies, whitespace and tabs', '10.0.0.5', ' 203.0.113.7 ,\t192.0.2.10 ', 2, '203.0.113.7'],
  ['behind two proxies, IPv6 hops', '::1', '2001:DB8::A, fe80::1%eth0', 2, '2001:db8::a'],
  ['more trusted proxies than entries', '10.0.0.5', '203.0.113.7', 3, '203.0.113.7'],
];

describe('clientIp', () => {
  it.each(rows)('%s', (_what, socket, xff, trusted, expected) => {
    expect(clientIp(socket, xff, trusted)).toBe(expected);
  });

  it('reads a bounded part of a huge header', () => {
    const huge = `${'6.6.6.6,'.repeat(2_000_000)}203.0.113.7`;
    expect(clientIp('10.0.0.5', huge, 1)).toBe('203.0.113.7');
  });

  it('refuses a trusted proxy count that is not a non-negative integer', () => {
    expect(() => clientIp('10.0.0.5', undefined, -1)).toThrow('trustedProxies must be a non-negative integer, got -1');
    expect(() => clientIp('10.0.0.5', undefined, 1.5)).toThrow(RangeError);
  });
});

describe('canonicalIp', () => {
  it('gives one spelling per address, so spellings never split a limit', () => {
    expect(canonicalIp('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canonicalIp('0:0:0:0:0:ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(canonicalIp('::ffff:0102:0304')).toBe('1.2.3.4');
    expect(canonicalIp('fe80::1%eth0')).toBe('fe80::1');
    expect(canonicalIp('1.2.3.4')).toBe('1.2.3.4');
  });

  it('rejects what is not an address', () => {
    for (const text of ['', 'unknown', '01.2.3.4', '256.1.1.1', '1.2.3', 'a::b::c', '[::1]', '1.2.3.4 ', '_hidden']) expect(canonicalIp(text), text).toBeUndefined();
  });
});

describe('clientKey', () => {
  it('keys an IPv6 client by its /64 (or the prefix given), an IPv4 client by its address', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:ffff::1', 48)).toBe('2001:db8:1::/48');
    expect(clientKey('2001:db8:1:2:ffff::1', 56)).toBe('2001:db8:1::/56');
    expect(clientKey('2001:db8:1:ff:ffff::1', 56)).toBe('2001:db8:1::/56');
    expect(clientKey('2001:db8:1:1ff::1', 56)).toBe('2001:db8:1:100::/56');
    expect(clientKey('::1')).toBe('::/64');
    expect(clientKey('2001:db8::1', 128)).toBe('2001:db8::1');
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('')).toBe('');
  });

  it('gives two addresses of one /64 one key, and neighbouring networks different keys', () => {
    const a = clientKey(clientIp('10.0.0.5', '2001:db8:0:7:1::1', 1));
    const b = clientKey(clientIp('10.0.0.5', '2001:DB8:0:7:FFFF:1:2:3', 1));
    expect(a).toBe(b);
    expect(clientKey('2001:db8:0:8::1')).not.toBe(a);
  });

  it('refuses a prefix length out of range', () => {
    expect(() => clientKey('::1', 0)).toThrow('ipv6PrefixLength must be an integer from 1 to 128, got 0');
    expect(() => clientKey('::1', 129)).toThrow(RangeError);
  });
});
