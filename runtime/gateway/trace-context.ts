// W3C Trace Context (https://www.w3.org/TR/trace-context/) at the front door. The gateway takes part
// in a client's trace as one hop: it keeps the trace-id and the sampled flag, and gives the request a
// new parent-id (the gateway's span, named in its access log line). A traceparent it cannot parse
// restarts the trace, and its tracestate goes with it. Nothing is recorded besides the log line, so a
// trace the gateway starts is not sampled (flags 00): the spec's default for a component that leaves
// the recording decision to others; a tracer in the services decides for itself.
import { randomFillSync } from 'node:crypto';

/** Length of a version-00 traceparent: `00-` + 32 + `-` + 16 + `-` + 2. */
const TRACEPARENT_LENGTH = 55;
/** What the spec asks to be propagated at least; longer values lose whole entries (see boundTracestate). */
const MAX_TRACESTATE_CHARS = 512;
/** Entries a tracestate may hold. */
const MAX_TRACESTATE_MEMBERS = 32;
/** Entries longer than this are the first dropped when a tracestate is too long. */
const LONG_TRACESTATE_MEMBER = 128;

// Random ids are cut from a pool of random bytes hex-encoded in one go, refilled in batches: one
// randomFillSync and one encoding per ~170 requests instead of two randomBytes calls per request.
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let poolHex = '';
let used = POOL_BYTES;

function randomHex(bytes: number): string {
  if (used + bytes > POOL_BYTES) {
    randomFillSync(pool);
    poolHex = pool.toString('hex');
    used = 0;
  }
  const hex = poolHex.slice(2 * used, 2 * (used + bytes));
  used += bytes;
  return hex;
}

const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);
/** Hex digits whose low bit is set. */
const SAMPLED_DIGITS = '13579bdf';

/**
 * A random span (parent) id: 16 lowercase hex characters, never all zeros (invalid per the spec).
 *
 * @example
 * newSpanId(); // 'b7ad6b7169203331'
 */
export function newSpanId(): string {
  let id = randomHex(8);
  while (id === ZERO_SPAN_ID) id = randomHex(8);
  return id;
}

/**
 * A random trace id: 32 lowercase hex characters, never all zeros.
 *
 * @example
 * newTraceId(); // '0af7651916cd43dd8448eb211c80319c'
 */
export function newTraceId(): string {
  let id = randomHex(16);
  while (id === ZERO_TRACE_ID) id = randomHex(16);
  return id;
}

/** The version-00 layout, which later versions keep as their start (followed by the end or `-`). */
const LAYOUT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(?:-|$)/;

/**
 * True when `value` is a traceparent the gateway can continue: version 00 exactly as the spec writes
 * it, or a later version whose first 55 characters have the version-00 layout and are followed by
 * the end or a `-` (the spec's rule for versions it does not know yet). Version `ff` is invalid.
 *
 * @param value - the client's `traceparent` header value (repeated headers joined with `,`, so invalid)
 * @example
 * isContinuable('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'); // true
 * isContinuable('00-00000000000000000000000000000000-b7ad6b7169203331-01'); // false
 */
export function isContinuable(value: string): boolean {
  if (value.length < TRACEPARENT_LENGTH || !LAYOUT.test(value)) return false;
  if (value.startsWith('00') ? value.length !== TRACEPARENT_LENGTH : value.startsWith('ff')) return false;
  return !value.startsWith(ZERO_TRACE_ID, 3) && !value.startsWith(ZERO_SPAN_ID, 36);
}

/**
 * The traceparent sent upstream for a continuable one: version 00, the same trace-id, a new
 * parent-id (the gateway's hop), the sampled flag kept and the flags version 00 does not define set
 * to zero. (Keeping the flag leaves the recording decision to whoever made it.)
 *
 * @param parent - a value isContinuable accepted
 * @example
 * childTraceparent('01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03-x'); // '00-0af7651916cd43dd8448eb211c80319c-<new span id>-01'
 */
export function childTraceparent(parent: string): string {
  // The sampled bit is the low bit of the last hex digit.
  const sampled = SAMPLED_DIGITS.includes(parent.charAt(54));
  return `00-${parent.slice(3, 35)}-${newSpanId()}${sampled ? '-01' : '-00'}`;
}

/**
 * A new trace, not sampled (see the file header): version 00, random trace-id and parent-id.
 *
 * @example
 * newTraceparent(); // '00-<new trace id>-<new span id>-00'
 */
export function newTraceparent(): string {
  return `00-${newTraceId()}-${newSpanId()}-00`;
}

/**
 * A tracestate within the spec's limits: at most 32 entries and MAX_TRACESTATE_CHARS characters.
 * Whole entries are dropped, those over 128 characters first, then from the end; empty entries go.
 * A value already within the limits is returned as it came.
 *
 * @param value - the incoming tracestate (repeated headers joined with `,`)
 * @example
 * boundTracestate('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'); // unchanged
 * boundTracestate(`big=${'x'.repeat(600)},small=1`); // 'small=1'
 */
export function boundTracestate(value: string): string {
  if (value.length <= MAX_TRACESTATE_CHARS && commasIn(value) < MAX_TRACESTATE_MEMBERS) return value;
  const members = value
    .split(',')
    .map((member) => member.trim())
    .filter((member) => member !== '');
  let length = members.reduce((sum, member) => sum + member.length, 0) + Math.max(0, members.length - 1);
  while (members.length > MAX_TRACESTATE_MEMBERS || length > MAX_TRACESTATE_CHARS) {
    let drop = members.length - 1;
    for (let i = members.length - 1; i >= 0; i--) {
      if (members[i]!.length > LONG_TRACESTATE_MEMBER) {
        drop = i;
        break;
      }
    }
    length -= members[drop]!.length + (members.length > 1 ? 1 : 0);
    members.splice(drop, 1);
  }
  return members.join(',');
}

function commasIn(value: string): number {
  let count = 0;
  for (let i = value.indexOf(','); i !== -1; i = value.indexOf(',', i + 1)) count++;
  return count;
}
