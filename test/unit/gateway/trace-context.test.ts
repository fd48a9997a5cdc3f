import { describe, expect, it } from 'vitest';
import { boundTracestate, childTraceparent, isContinuable, newSpanId, newTraceparent, newTraceId } from '../../../runtime/gateway/trace-context.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT_ID = 'b7ad6b7169203331';
const VALID = `00-${TRACE_ID}-${PARENT_ID}-01`;
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/;

describe('isContinuable', () => {
  it('accepts version 00 exactly as the spec writes it, whatever the flags', () => {
    expect(isContinuable(VALID)).toBe(true);
    expect(isContinuable(`00-${TRACE_ID}-${PARENT_ID}-00`)).toBe(true);
    expect(isContinuable(`00-${TRACE_ID}-${PARENT_ID}-ff`)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['too short', VALID.slice(0, 54)],
    ['version 00 with more after it', `${VALID}-extra`],
    ['version 00 with a trailing space', `${VALID} `],
    ['all-zero trace-id', `00-${'0'.repeat(32)}-${PARENT_ID}-01`],
    ['all-zero parent-id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['uppercase hex', `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`],
    ['a non-hex character', `00-${TRACE_ID.slice(0, 31)}g-${PARENT_ID}-01`],
    ['version ff', `ff-${TRACE_ID}-${PARENT_ID}-01`],
    ['a version that is not hex', `0x-${TRACE_ID}-${PARENT_ID}-01`],
    ['flags that are not hex', `00-${TRACE_ID}-${PARENT_ID}-0z`],
    ['wrong separators', `00_${TRACE_ID}_${PARENT_ID}_01`],
    ['two headers joined', `${VALID},${VALID}`],
    ['a later version followed by something else than a dash', `01-${TRACE_ID}-${PARENT_ID}-01x`],
  ])('refuses %s', (_name, value) => {
    expect(isContinuable(value)).toBe(false);
  });

  it('accepts a later version whose first fields have the version-00 layout', () => {
    expect(isContinuable(`01-${TRACE_ID}-${PARENT_ID}-01`)).toBe(true);
    expect(isContinuable(`cc-${TRACE_ID}-${PARENT_ID}-01-what-comes-next`)).toBe(true);
  });
});

describe('childTraceparent', () => {
  it('keeps the trace-id, gives a new parent-id, and keeps only the sampled flag', () => {
    const child = childTraceparent(VALID);
    const [, traceId, parentId, flags] = TRACEPARENT.exec(child)!;
    expect(traceId).toBe(TRACE_ID);
    expect(parentId).not.toBe(PARENT_ID);
    expect(flags).toBe('01');
    expect(childTraceparent(`00-${TRACE_ID}-${PARENT_ID}-00`)).toMatch(/-00$/);
    // 0x03 and 0xfe: the bits version 00 does not define are set to zero.
    expect(childTraceparent(`00-${TRACE_ID}-${PARENT_ID}-03`)).toMatch(/-01$/);
    expect(childTraceparent(`00-${TRACE_ID}-${PARENT_ID}-fe`)).toMatch(/-00$/);
  });

  it('downgrades a later version to 00 and drops its extra fields', () => {
    expect(childTraceparent(`cc-${TRACE_ID}-${PARENT_ID}-09-more`)).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
  });
});

describe('random ids', () => {
  it('are well-formed, valid and distinct, across several refills of the pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const traceparent = newTraceparent();
      expect(traceparent).toMatch(TRACEPARENT);
      expect(isContinuable(traceparent)).toBe(true);
      expect(traceparent.endsWith('-00')).toBe(true);
      seen.add(traceparent.slice(3, 35));
    }
    expect(seen.size).toBe(2_000);
    const spans = new Set(Array.from({ length: 2_000 }, () => newSpanId()));
    expect(spans.size).toBe(2_000);
    expect(newTraceId()).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('boundTracestate', () => {
  it('returns a value within the limits as it came', () => {
    expect(boundTracestate('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE')).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    const full = Array.from({ length: 32 }, (_, i) => `k${i}=v`).join(',');
    expect(boundTracestate(full)).toBe(full);
  });

  it('drops whole entries past 512 characters: the long ones first, then from the end', () => {
    const long = `big=${'x'.repeat(200)}`;
    const medium = Array.from({ length: 5 }, (_, i) => `m${i}=${'y'.repeat(90)}`);
    const bounded = boundTracestate([medium[0], long, ...medium.slice(1)].join(','));
    // Without the long entry the five medium ones fit (5 x 93 + 4 commas = 469).
    expect(bounded).toBe(medium.join(','));
    const many = Array.from({ length: 8 }, (_, i) => `k${i}=${'z'.repeat(100)}`);
    const cut = boundTracestate(many.join(','));
    expect(cut).toBe(many.slice(0, 4).join(','));
    expect(cut.length).toBeLessThanOrEqual(512);
  });

  it('keeps at most 32 entries, and drops empty ones when it has to rewrite', () => {
    const members = Array.from({ length: 40 }, (_, i) => `k${i}=v`);
    expect(boundTracestate(members.join(', ,'))).toBe(members.slice(0, 32).join(','));
  });
});
