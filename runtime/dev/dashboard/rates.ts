// Per-second rates from ever-growing totals (a counter's value, a bus's handled count), over a
// sliding window: each reading is kept with its time, and the rate is the growth since the oldest
// reading still inside the window. Any number of readers may ask at any time (the stream every 2 s,
// a page's GET in between) without shortening each other's window.

/** Default window: long enough to smooth single requests, short enough to follow a change. */
export const RATE_WINDOW_MS = 5000;

/**
 * Rates of many totals, each named by a key.
 *
 * @example
 * const rates = createRateMeter();
 * rates.rate('gateway->service:users', 120); // 0 (first reading)
 * rates.rate('gateway->service:users', 130); // 10 more over the time since: per second
 */
export interface RateMeter {
  /**
   * Records `total` for `key` now and answers its growth per second over the window (0 on the first
   * reading; a total that went down, as after a restart's fresh counter, starts over).
   *
   * @param key - what the total counts
   * @param total - its value now
   * @param now - the reading's time, epoch ms (default Date.now())
   */
  rate(key: string, total: number, now?: number): number;
}

/**
 * Makes a RateMeter.
 *
 * @param windowMs - how far back a rate looks, ms (default RATE_WINDOW_MS)
 * @example
 * const rates = createRateMeter(5000);
 */
export function createRateMeter(windowMs: number = RATE_WINDOW_MS): RateMeter {
  const readings = new Map<string, { time: number; total: number }[]>();
  return {
    rate(key, total, now = Date.now()) {
      let list = readings.get(key);
      if (list === undefined) readings.set(key, (list = []));
      const last = list.at(-1);
      if (last !== undefined && total < last.total) list.length = 0;
      list.push({ time: now, total });
      // Keep one reading at or before the window's start, so the window is covered in full.
      while (list.length > 2 && list[1]!.time <= now - windowMs) list.shift();
      const first = list[0]!;
      const seconds = (now - first.time) / 1000;
      return seconds > 0 ? (total - first.total) / seconds : 0;
    },
  };
}
