// Readiness: a trivial statement that must answer within a bound; never throws.

/**
 * True when `statement` resolves within `timeoutMs`; false when it rejects or takes longer.
 *
 * @param statement - the probe (e.g. `select 1`)
 * @param timeoutMs - how long to wait for it
 * @example
 * await pingWithin(() => pool.query('select 1'), 2000); // true while the database answers
 */
export async function pingWithin(statement: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([statement().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
