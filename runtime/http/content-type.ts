// Which requests carry a JSON body we read, decided alike by both bindings: Express's `type-is`
// rules for application/json and application/*+json, and UTF-8 as the only charset.
import type { IncomingHttpHeaders } from 'node:http';
import { UnsupportedMediaType } from '../errors/index.js';

// media-typer's test of a media type (type-is rejects anything else as no type at all).
const MEDIA_TYPE = /^ *([a-z0-9][a-z0-9!#$&^_-]{0,126})\/([a-z0-9][a-z0-9!#$&^_.+-]{0,126}) *$/;

/**
 * True when the request has a body: a Transfer-Encoding, or a Content-Length (even `0`), as type-is says.
 *
 * @param headers - the request's headers
 * @example
 * hasBody({ 'content-length': '0' }); // true
 */
export function hasBody(headers: IncomingHttpHeaders): boolean {
  return headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(headers['content-length']));
}

/**
 * Throws UnsupportedMediaType (415) unless a request with a body says it is JSON in UTF-8.
 * A request without a body passes (its input is validated as `{}`).
 *
 * @param headers - the request's headers
 * @returns whether the request has a body to read
 * @example
 * requireJsonBody({ 'content-type': 'application/json', 'content-length': '2' }); // true
 */
export function requireJsonBody(headers: IncomingHttpHeaders): boolean {
  if (!hasBody(headers)) return false;
  const header = headers['content-type'];
  if (!header) throw notJson('none');
  let refusal = verdicts.get(header);
  if (refusal === undefined) {
    refusal = refusalOf(header);
    // Clients send a handful of distinct values: remembered, they cost a lookup instead of a parse.
    if (header.length <= MAX_REMEMBERED_LENGTH && verdicts.size < MAX_REMEMBERED) verdicts.set(header, refusal);
  }
  if (refusal !== null) throw new UnsupportedMediaType(refusal);
  return true;
}

/** Content-Type values already judged: null for JSON in UTF-8, else why not. */
const verdicts = new Map<string, string | null>();
const MAX_REMEMBERED = 64;
const MAX_REMEMBERED_LENGTH = 128;

function notJson(got: string): UnsupportedMediaType {
  return new UnsupportedMediaType(`expected a JSON body (content-type application/json), got ${got}`);
}

/** Why a Content-Type is refused, or null when it says JSON in UTF-8. */
function refusalOf(header: string): string | null {
  if (!isJsonType(header)) return notJson(header).message;
  const charset = charsetOf(header);
  if (charset !== undefined && charset !== 'utf-8') return `unsupported charset "${charset.toUpperCase()}"`;
  return null;
}

/** application/json or application/<anything>+json, parameters ignored. */
function isJsonType(header: string): boolean {
  const semicolon = header.indexOf(';');
  const type = trimOws(semicolon === -1 ? header : header.slice(0, semicolon)).toLowerCase();
  const match = MEDIA_TYPE.exec(type);
  if (!match || match[1] !== 'application') return false;
  const subtype = match[2] as string;
  return subtype === 'json' || subtype.endsWith('+json');
}

/** The first `charset` parameter, lowercased (quoted values unquoted), as the content-type package reads it. */
function charsetOf(header: string): string | undefined {
  let index = header.indexOf(';');
  while (index !== -1 && index < header.length) {
    const equals = header.indexOf('=', index + 1);
    const nextSemicolon = header.indexOf(';', index + 1);
    if (equals === -1) return undefined;
    if (nextSemicolon !== -1 && nextSemicolon < equals) {
      index = nextSemicolon;
      continue;
    }
    const key = trimOws(header.slice(index + 1, equals)).toLowerCase();
    let start = equals + 1;
    while (header[start] === ' ' || header[start] === '\t') start++;
    let value: string;
    if (header[start] === '"') {
      value = '';
      let i = start + 1;
      for (; i < header.length && header[i] !== '"'; i++) value += header[i] === '\\' && i + 1 < header.length ? header[++i] : header[i];
      const after = header.indexOf(';', i);
      index = after;
    } else {
      const end = header.indexOf(';', start);
      value = trimOws(header.slice(start, end === -1 ? undefined : end));
      index = end;
    }
    if (key === 'charset') return value.toLowerCase();
  }
  return undefined;
}

function trimOws(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}
