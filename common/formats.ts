// The string formats of the spec language, exactly as JSON Schema 2020-12 defines them (and so
// OpenAPI 3.1, whose schemas are JSON Schema): each accepts what its RFC grammar accepts and rejects
// the rest. The runtime's validators and the generator's example checks both register these, so the
// published contract, the enforced one and the spec's examples agree.
//
// The grammars are ASCII only: non-ASCII addresses and IRIs are the separate `idn-email` and `iri`
// formats, which the language does not offer.

/** `uuid`: RFC 9562 (formerly 4122) `UUID`: 8-4-4-4-12 hex digits, any case, any version; no `urn:uuid:` prefix. */
export function isUuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}

/** `date`: RFC 3339 `full-date`, `YYYY-MM-DD` naming a day that exists (leap years counted). */
export function isDate(text: string): boolean {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * `date-time`: RFC 3339 `date-time`: `full-date "T" full-time`, `T` and `Z` in either case, a
 * fraction of any length, an offset `Z` or `±hh:mm`. Second 60 only as a leap second, which is
 * 23:59:60 in UTC. A space instead of `T` is not the grammar, only a note for human readers.
 */
export function isDateTime(text: string): boolean {
  const match = /^([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))$/.exec(text);
  if (!match || !isDate(match[1] as string)) return false;
  const [hour, minute, second] = [Number(match[2]), Number(match[3]), Number(match[4])];
  const [offsetHour, offsetMinute] = match[5] ? [0, 0] : [Number(match[7]), Number(match[8])];
  if (hour > 23 || minute > 59 || second > 60 || offsetHour > 23 || offsetMinute > 59) return false;
  if (second < 60) return true;
  const offset = (match[6] === '-' ? -1 : 1) * (offsetHour * 60 + offsetMinute);
  const utcMinutes = (((hour * 60 + minute - offset) % 1440) + 1440) % 1440;
  return utcMinutes === 23 * 60 + 59;
}

/**
 * `email`: RFC 5321 `Mailbox`: a dot-string or quoted-string local part, `@`, then a domain of one
 * or more labels (letters, digits, inner hyphens; a single label such as `0@com` included) or an
 * address literal: `[192.0.2.1]` or `[IPv6:2001:db8::1]` (IANA registers no other literal tag).
 * The grammar sets no length limits; a field's `maxLength` can.
 */
export function isEmail(text: string): boolean {
  const at = text.lastIndexOf('@');
  if (at <= 0) return false;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  return isMailboxLocalPart(local) && (isMailboxDomain(domain) || isMailboxAddressLiteral(domain));
}

/**
 * `uri`: RFC 3986 `URI`: a scheme, `:`, a hierarchical part (`//authority` and a path, or a path),
 * an optional `?query` and `#fragment`; percent-encoding where a character is not allowed as is.
 * A relative reference (`/a`, `//host/a`) is not a URI: that is the `uri-reference` format.
 */
export function isUri(text: string): boolean {
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s.exec(text);
  if (!match) return false;
  const [, hierPart = '', query, fragment] = match;
  if (query !== undefined && !QUERY_OR_FRAGMENT.test(query)) return false;
  if (fragment !== undefined && !QUERY_OR_FRAGMENT.test(fragment)) return false;
  if (!hierPart.startsWith('//')) return PATH_WITHOUT_AUTHORITY.test(hierPart);
  const slash = hierPart.indexOf('/', 2);
  const authority = slash === -1 ? hierPart.slice(2) : hierPart.slice(2, slash);
  const path = slash === -1 ? '' : hierPart.slice(slash);
  return isUriAuthority(authority) && PATH_ABEMPTY.test(path);
}

/** Every format the language offers, by name: what the validators register. */
export const stringFormats = {
  uuid: isUuid,
  email: isEmail,
  'date-time': isDateTime,
  date: isDate,
  uri: isUri,
} as const satisfies Record<string, (text: string) => boolean>;

export type StringFormatName = keyof typeof stringFormats;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// RFC 5321 4.1.2: Dot-string = Atom *("." Atom), atext of RFC 5322; Quoted-string = DQUOTE
// *(qtextSMTP / quoted-pairSMTP) DQUOTE, printable ASCII with `"` and `\` escaped.
const DOT_STRING = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?:\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;
const QUOTED_STRING = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"$/;
// Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str].
const DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

function isMailboxLocalPart(local: string): boolean {
  return DOT_STRING.test(local) || QUOTED_STRING.test(local);
}

function isMailboxDomain(domain: string): boolean {
  return DOMAIN.test(domain);
}

function isMailboxAddressLiteral(literal: string): boolean {
  if (!literal.startsWith('[') || !literal.endsWith(']')) return false;
  const inner = literal.slice(1, -1);
  if (/^ipv6:/i.test(inner)) return isIpv6(inner.slice(5), { maxCompressedGroups: 6, ipv4: isSmtpIpv4 });
  return isSmtpIpv4(inner);
}

/** RFC 5321 IPv4-address-literal: four `Snum`, one to three digits worth 0-255. */
function isSmtpIpv4(text: string): boolean {
  return /^[0-9]{1,3}(?:\.[0-9]{1,3}){3}$/.test(text) && text.split('.').every((n) => Number(n) <= 255);
}

/** RFC 3986 IPv4address: four `dec-octet`, 0-255 without leading zeros. */
function isUriIpv4(text: string): boolean {
  return /^(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$/.test(text);
}

/**
 * An IPv6 address in text form: eight groups of one to four hex digits, a `::` standing for the
 * missing ones, the last two optionally written as an IPv4 address. RFC 3986 lets `::` stand for one
 * group (at most 7 written); RFC 5321 for two or more (at most 6).
 */
function isIpv6(text: string, rule: { maxCompressedGroups: 6 | 7; ipv4: (text: string) => boolean }): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  let count = 0;
  for (const [i, group] of groups.entries()) {
    const endsTheAddress = i === groups.length - 1 && text.endsWith(group);
    if (endsTheAddress && group.includes('.')) {
      if (!rule.ipv4(group)) return false;
      count += 2;
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(group)) {
      count += 1;
    } else {
      return false;
    }
  }
  return halves.length === 1 ? count === 8 : count <= rule.maxCompressedGroups;
}

// RFC 3986 3.3 and 3.4: pchar = unreserved / pct-encoded / sub-delims / ":" / "@".
const PCHAR = "(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})";
const QUERY_OR_FRAGMENT = new RegExp(`^(?:${PCHAR}|[/?])*$`);
const PATH_ABEMPTY = new RegExp(`^(?:/${PCHAR}*)*$`);
// path-absolute ("/" not followed by "/"), path-rootless or path-empty.
const PATH_WITHOUT_AUTHORITY = new RegExp(`^(?:/(?:${PCHAR}+(?:/${PCHAR}*)*)?|${PCHAR}+(?:/${PCHAR}*)*|)$`);
const USERINFO = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:]|%[0-9A-Fa-f]{2})*$/;
const REG_NAME = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
const IP_FUTURE = /^[vV][0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+$/;

/** authority = [ userinfo "@" ] host [ ":" port ]; host = IP-literal / IPv4address / reg-name. */
function isUriAuthority(authority: string): boolean {
  const at = authority.indexOf('@');
  if (at !== -1 && !USERINFO.test(authority.slice(0, at))) return false;
  const hostPort = authority.slice(at + 1);
  let host: string;
  let port: string;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close === -1) return false;
    const literal = hostPort.slice(1, close);
    if (!IP_FUTURE.test(literal) && !isIpv6(literal, { maxCompressedGroups: 7, ipv4: isUriIpv4 })) return false;
    host = '';
    port = hostPort.slice(close + 1);
  } else {
    const colon = hostPort.indexOf(':');
    host = colon === -1 ? hostPort : hostPort.slice(0, colon);
    port = colon === -1 ? '' : hostPort.slice(colon);
  }
  // An IPv4address is also a reg-name, so the reg-name rule covers both.
  return REG_NAME.test(host) && /^(?::[0-9]*)?$/.test(port);
}
