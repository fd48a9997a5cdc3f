// Many small file operations at once: one after another, each waits on a round trip to the disk
// thread pool; a few dozen in flight keep it busy. Every operation of a batch settles before the next
// batch starts or an error is thrown, so a caller that rolls back sees no operation still running.

const BATCH = 32;

/** Runs `fn` on every item, BATCH at a time; the results in the items' order; rejects with the first failure. */
export async function inBatches<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += BATCH) {
    const settled = await Promise.allSettled(items.slice(start, start + BATCH).map(fn));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    for (const s of settled) results.push((s as PromiseFulfilledResult<R>).value);
  }
  return results;
}
