// Passive outlier ejection: the pool reports every call's outcome per instance; an instance that
// fails repeatedly leaves the pool for a while (longer each time), then comes back on probation,
// where its first call is the probe (a failure ejects it again at once). A share of the pool is the
// most that can be out, and never the last instance: a struggling instance beats no instance.
import { report, type DiscoveryObserver } from '../events.js';

/** When an instance counts as an outlier, and for how long it is out. */
export interface OutlierOptions {
  /** Failures in a row that eject an instance. Default 5. */
  consecutiveFailures?: number;
  /** Also eject when the share of failures among the last `window` calls (at least `minCalls`) reaches `ratio`. Default: off. */
  failureRatio?: { ratio: number; minCalls: number; window: number };
  /** First ejection time, ms; the n-th ejection lasts n × this. Default 30000. */
  baseEjectionMs?: number;
  /** Longest ejection, ms. Default 300000. */
  maxEjectionMs?: number;
  /** Most of the pool that may be ejected at once, percent (above 0 allows at least one; 0 turns ejection off); one instance is always kept. Default 50. */
  maxEjectedPercent?: number;
  /** Time after a return without a new ejection that takes one off the ejection count, ms. Default 300000. */
  forgiveAfterMs?: number;
  /** Clock, epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Receives `ejected`, `ejection-skipped` and `returned`. */
  observer?: DiscoveryObserver;
}

/** What the detector knows about one instance. */
export interface OutlierState {
  readonly ejected: boolean;
  /** When the ejection ends (epoch ms), while ejected. */
  readonly ejectedUntil: number | undefined;
  /** Ejections so far (after forgiveness): the next one lasts (this + 1) × base. */
  readonly ejections: number;
  readonly consecutiveFailures: number;
}

/** Keeps the outlier state of the members of one pool. */
export interface OutlierDetector {
  /** Sets the pool's members: new ones start healthy, the state of missing ones is dropped. */
  sync(addresses: Iterable<string>): void;
  /** Records a call's outcome. Outcomes of non-members and of calls that end while their instance is ejected are ignored. */
  record(address: string, failed: boolean): void;
  /** True while `address` is ejected; notices (and reports) a return when its time is up. */
  isEjected(address: string): boolean;
  /** The state of a member, or `undefined` for a non-member. */
  state(address: string): OutlierState | undefined;
}

interface Member {
  consecutive: number;
  /** Recent outcomes, true = failed (only kept when a ratio is configured). */
  recent: boolean[];
  ejections: number;
  until: number | undefined;
  /** Back from an ejection and not yet proven: one failure ejects again. */
  probation: boolean;
  returnedAt: number;
  /** An `ejection-skipped` was reported for the current streak. */
  skipReported: boolean;
}

type Reason = 'consecutive-failures' | 'failure-ratio';

/**
 * An outlier detector for one pool.
 *
 * @param options `consecutiveFailures` (default 5), `failureRatio` (default off), `baseEjectionMs` (default 30000),
 *   `maxEjectionMs` (default 300000), `maxEjectedPercent` (default 50), `forgiveAfterMs` (default 300000),
 *   `now` (default `Date.now`), `observer`.
 * @throws Error for an option out of range.
 * @example
 * const outliers = createOutlierDetector({ consecutiveFailures: 3, observer: (e) => logger.warn(e, 'outlier') });
 * outliers.sync(['http://a:3001', 'http://b:3001']);
 * outliers.record('http://a:3001', true);
 */
export function createOutlierDetector(options: OutlierOptions = {}): OutlierDetector {
  const threshold = options.consecutiveFailures ?? 5;
  const ratio = options.failureRatio;
  const base = options.baseEjectionMs ?? 30_000;
  const max = options.maxEjectionMs ?? 300_000;
  const percent = options.maxEjectedPercent ?? 50;
  const forgiveAfter = options.forgiveAfterMs ?? 300_000;
  const now = options.now ?? Date.now;
  const { observer } = options;
  checkOptions(threshold, ratio, base, max, percent, forgiveAfter);

  const members = new Map<string, Member>();

  const returnIfDue = (address: string, m: Member, at: number) => {
    if (m.until === undefined || m.until > at) return;
    m.until = undefined;
    m.probation = true;
    m.returnedAt = at;
    report(observer, { type: 'returned', address, ejections: m.ejections });
  };

  const ejectedCount = (at: number) => {
    let count = 0;
    for (const [address, m] of members) {
      returnIfDue(address, m, at);
      if (m.until !== undefined) count++;
    }
    return count;
  };

  const eject = (address: string, m: Member, reason: Reason, at: number) => {
    const size = members.size;
    const ejected = ejectedCount(at);
    // Any share above 0% allows one ejection even in a small pool (50% of 3 is 1, not 1.5).
    const allowed = size <= 1 || percent === 0 ? 0 : Math.min(size - 1, Math.max(1, Math.floor((size * percent) / 100)));
    if (ejected >= allowed) {
      if (!m.skipReported) report(observer, { type: 'ejection-skipped', address, reason, ejected, size });
      m.skipReported = true;
      return;
    }
    const forgiven = m.ejections > 0 && m.until === undefined ? Math.floor((at - m.returnedAt) / forgiveAfter) : 0;
    m.ejections = Math.max(0, m.ejections - forgiven) + 1;
    const durationMs = Math.min(base * m.ejections, max);
    m.until = at + durationMs;
    m.consecutive = 0;
    m.recent = [];
    m.probation = false;
    m.skipReported = false;
    report(observer, { type: 'ejected', address, reason, ejections: m.ejections, durationMs, until: m.until });
  };

  const ratioReached = (m: Member) => {
    if (!ratio || m.recent.length < ratio.minCalls) return false;
    const failed = m.recent.reduce((n, f) => n + (f ? 1 : 0), 0);
    return failed / m.recent.length >= ratio.ratio;
  };

  return {
    sync(addresses) {
      const keep = new Set(addresses);
      for (const address of members.keys()) if (!keep.has(address)) members.delete(address);
      for (const address of keep) {
        if (!members.has(address)) {
          members.set(address, { consecutive: 0, recent: [], ejections: 0, until: undefined, probation: false, returnedAt: now(), skipReported: false });
        }
      }
    },

    record(address, failed) {
      const m = members.get(address);
      if (!m) return;
      const at = now();
      returnIfDue(address, m, at);
      // A call picked before the ejection that ends during it says nothing new.
      if (m.until !== undefined) return;
      if (ratio) {
        m.recent.push(failed);
        if (m.recent.length > ratio.window) m.recent.shift();
      }
      if (!failed) {
        m.consecutive = 0;
        m.probation = false;
        m.skipReported = false;
        return;
      }
      m.consecutive++;
      if (m.probation || m.consecutive >= threshold) eject(address, m, 'consecutive-failures', at);
      else if (ratioReached(m)) eject(address, m, 'failure-ratio', at);
    },

    isEjected(address) {
      const m = members.get(address);
      if (!m) return false;
      returnIfDue(address, m, now());
      return m.until !== undefined;
    },

    state(address) {
      const m = members.get(address);
      if (!m) return undefined;
      returnIfDue(address, m, now());
      return { ejected: m.until !== undefined, ejectedUntil: m.until, ejections: m.ejections, consecutiveFailures: m.consecutive };
    },
  };
}

function checkOptions(
  threshold: number,
  ratio: OutlierOptions['failureRatio'],
  base: number,
  max: number,
  percent: number,
  forgiveAfter: number,
): void {
  const problems: string[] = [];
  if (!Number.isInteger(threshold) || threshold < 1) problems.push(`consecutiveFailures must be a whole number >= 1, got ${threshold}`);
  if (ratio) {
    if (!(ratio.ratio > 0 && ratio.ratio <= 1)) problems.push(`failureRatio.ratio must be in (0, 1], got ${ratio.ratio}`);
    if (!Number.isInteger(ratio.window) || ratio.window < 1) problems.push(`failureRatio.window must be a whole number >= 1, got ${ratio.window}`);
    if (!Number.isInteger(ratio.minCalls) || ratio.minCalls < 1 || ratio.minCalls > ratio.window) {
      problems.push(`failureRatio.minCalls must be a whole number in 1..window, got ${ratio.minCalls}`);
    }
  }
  if (!(base > 0)) problems.push(`baseEjectionMs must be positive, got ${base}`);
  if (!(max >= base)) problems.push(`maxEjectionMs must be at least baseEjectionMs (${base}), got ${max}`);
  if (!(percent >= 0 && percent <= 100)) problems.push(`maxEjectedPercent must be in 0..100, got ${percent}`);
  if (!(forgiveAfter > 0)) problems.push(`forgiveAfterMs must be positive, got ${forgiveAfter}`);
  if (problems.length > 0) throw new Error(`outlier ejection: ${problems.join('; ')}`);
}
