import { describe, expect, it } from 'vitest';
import { createRateMeter } from '../../../runtime/dev/dashboard/rates.js';

describe('dashboard rate meter', () => {
  it('answers 0 on the first reading, then the growth per second', () => {
    const rates = createRateMeter(5000);
    expect(rates.rate('a', 100, 1000)).toBe(0);
    expect(rates.rate('a', 120, 3000)).toBe(10);
  });

  it('looks back over the window only', () => {
    const rates = createRateMeter(5000);
    rates.rate('a', 0, 0);
    rates.rate('a', 1000, 1000); // a burst long ago
    rates.rate('a', 1000, 7000);
    // The reading at 1000 is the one at or before the window's start (2000): nothing grew since.
    expect(rates.rate('a', 1000, 8000)).toBe(0);
    // Readings are sparse here: the rate runs from the last reading before the window (at 1000).
    expect(rates.rate('a', 1050, 9000)).toBeCloseTo(50 / 8);
  });

  it('starts over when a total goes down (a restarted service counts from 0)', () => {
    const rates = createRateMeter(5000);
    rates.rate('a', 500, 0);
    expect(rates.rate('a', 3, 1000)).toBe(0);
    expect(rates.rate('a', 13, 2000)).toBe(10);
  });

  it('keeps keys apart, and readers do not shorten each other', () => {
    const rates = createRateMeter(5000);
    rates.rate('a', 0, 0);
    rates.rate('b', 0, 0);
    rates.rate('a', 10, 1000);
    rates.rate('a', 10, 1001);
    expect(rates.rate('a', 20, 2000)).toBe(10);
    expect(rates.rate('b', 4, 2000)).toBe(2);
  });
});
