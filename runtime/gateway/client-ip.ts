// The client's address as the gateway should see it for rate limiting and logs: the socket peer,
// unless trusted proxies (load balancers, ingress) sit in front, whose X-Forwarded-For entries say who
// connected to them. Each proxy appends the address of its peer, so only the right end of the list is
// written by proxies we trust; anything left of it was sent by the client and may be forged. Reading
// the N-th entry from the right (never the leftmost) means a client cannot pick its own rate-limit key.
import { isIPv4, isIPv6 } from 'node:net';

/** Longest entry read: a bracketed IPv6 with an IPv4 tail, a zone and a port fits with room to spare. */
const MAX_ENTRY_LENGTH = 100;

/**
 * The address of the client as the outermost trusted proxy saw it.
 *
 * - `trustedProxies` 0: the socket address; X-Forwarded-For is ignored (anyone can send it).
 * - `trustedProxies` N: the N-th entry from the right of X-Forwarded-For (the socket peer being the
 *   nearest proxy); entries further left are the client's own claims and are never read.
 * - An entry that is missing (a shorter list) or not an IP address stops the walk: the answer is the
 *   last address a trusted hop vouched for (the entry to its right, or the socket address).
 * - Addresses are canonical: `::ffff:1.2.3.4` is `1.2.3.4`, IPv6 is lower-case and compressed
 *   (RFC 5952), without zone or brackets; an entry may carry a port (`1.2.3.4:5678`, `[::1]:80`),
 *   which is dropped. Only the last N entries are read, each up to 100 characters, whatever the
 *   header's length.
 *
 * @param socketAddress the TCP peer (`req.socket.remoteAddress`); undefined once the socket closed
 * @param xForwardedFor the X-Forwarded-For header (`req.headers['x-forwarded-for']`), one value or one per line
 * @param trustedProxies how many proxies in front of the gateway append to X-Forwarded-For (0 when clients connect directly)
 * @returns the canonical address, or `` when the socket address is missing or not an IP address and no entry can be trusted
 * @throws RangeError when trustedProxies is not a non-negative integer
 * @example
 * clientIp('10.0.0.5', '6.6.6.6, 203.0.113.7', 1); // '203.0.113.7' (the load balancer saw it; 6.6.6.6 is the client's claim)
 * clientIp('::ffff:203.0.113.7', '6.6.6.6', 0); // '203.0.113.7'
 */
export function clientIp(socketAddress: string | undefined, xForwardedFor: string | readonly string[] | undefined, trustedProxies: number): string {
  if (!(Number.isSafeInteger(trustedProxies) && trustedProxies >= 0)) throw new RangeError(`trustedProxies must be a non-negative integer, got ${String(trustedProxies)}`);
  let address = socketAddress === undefined || socketAddress.length > MAX_ENTRY_LENGTH ? undefined : canonicalIp(socketAddress);
  if (trustedProxies === 0 || xForwardedFor === undefined) return address ?? '';
  // Each line holds at least one entry, so the last N lines hold every entry that can be read.
  const header = typeof xForwardedFor === 'string' ? xForwardedFor : xForwardedFor.slice(-trustedProxies).join(',');
  let end = header.length;
  for (let hop = 0; hop < trustedProxies && end >= 0; hop += 1) {
    // Look for the entry's start within the longest entry read, never scanning the whole header.
    const windowStart = Math.max(0, end - MAX_ENTRY_LENGTH - 1);
    const comma = header.slice(windowStart, end).lastIndexOf(',');
    if (comma === -1 && windowStart > 0) break;
    const start = comma === -1 ? 0 : windowStart + comma + 1;
    const entry = canonicalIp(stripPort(header.slice(start, end).trim()));
    if (entry === undefined) break;
    address = entry;
    end = comma === -1 ? -1 : start - 1;
  }
  return address ?? '';
}

/**
 * The canonical form of an IP address, or undefined when `text` is not one.
 *
 * @param text an IPv4 or IPv6 address, IPv6 possibly with a zone (`fe80::1%eth0`)
 * @example
 * canonicalIp('::FFFF:1.2.3.4'); // '1.2.3.4'
 * canonicalIp('2001:DB8:0:0::1'); // '2001:db8::1'
 */
export function canonicalIp(text: string): string | undefined {
  if (isIPv4(text)) return text;
  const zone = text.indexOf('%');
  const bare = zone === -1 ? text : text.slice(0, zone);
  if (!isIPv6(bare)) return undefined;
  // The WHATWG URL parser serialises IPv6 as RFC 5952 says: lower case, longest zero run compressed.
  const canonical = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (mapped === null) return canonical;
  const high = Number.parseInt(mapped[1]!, 16);
  const low = Number.parseInt(mapped[2]!, 16);
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/**
 * The rate-limit key of a client address: an IPv4 address as it is, an IPv6 address as its network of
 * `ipv6PrefixLength` bits (`2001:db8:1:2::/64`). One IPv6 subscriber usually holds a whole /64 and can
 * pick any address in it, so a limit per address would be a limit per whim.
 *
 * @param ip a canonical address from {@link clientIp} (anything else, such as ``, is returned unchanged)
 * @param ipv6PrefixLength network bits an IPv6 client is identified by, 1-128; default 64
 * @throws RangeError when ipv6PrefixLength is out of range
 * @example
 * clientKey('2001:db8:1:2:aaaa::1'); // '2001:db8:1:2::/64'
 * clientKey('203.0.113.7'); // '203.0.113.7'
 */
export function clientKey(ip: string, ipv6PrefixLength = 64): string {
  if (!(Number.isSafeInteger(ipv6PrefixLength) && ipv6PrefixLength >= 1 && ipv6PrefixLength <= 128)) {
    throw new RangeError(`ipv6PrefixLength must be an integer from 1 to 128, got ${String(ipv6PrefixLength)}`);
  }
  if (!ip.includes(':') || ipv6PrefixLength === 128) return ip;
  const groups = expandIPv6(ip);
  if (groups === undefined) return ip;
  for (let i = 0; i < 8; i += 1) {
    const keep = Math.min(16, Math.max(0, ipv6PrefixLength - i * 16));
    groups[i] = keep === 0 ? 0 : groups[i]! & (0xffff << (16 - keep)) & 0xffff;
  }
  return `${canonicalIp(groups.map((g) => g.toString(16)).join(':'))!}/${ipv6PrefixLength}`;
}

/** The 8 groups of a canonical IPv6 address (hex groups, at most one `::`), else undefined. */
function expandIPv6(ip: string): number[] | undefined {
  const [head, tail, extra] = ip.split('::');
  if (extra !== undefined) return undefined;
  const left = head === '' || head === undefined ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right].map((g) => Number.parseInt(g, 16));
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

/** `1.2.3.4:80` -> `1.2.3.4`, `[::1]:80` and `[::1]` -> `::1`; anything else unchanged. */
function stripPort(entry: string): string {
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    if (close === -1) return entry;
    const rest = entry.slice(close + 1);
    return rest === '' || /^:\d{1,5}$/.test(rest) ? entry.slice(1, close) : entry;
  }
  const colon = entry.indexOf(':');
  // One colon only: IPv4 with a port (an IPv6 address has at least two).
  if (colon !== -1 && entry.indexOf(':', colon + 1) === -1 && /^:\d{1,5}$/.test(entry.slice(colon))) return entry.slice(0, colon);
  return entry;
}
