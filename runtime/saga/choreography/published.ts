// Which events a choreographed step's hook published: the step's outcome is the event it chose
// (`succeeds` or `fails`), read from the publishes made in the hook's async context.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServicePublisher } from '../../service/context.js';

/**
 * One event a hook published.
 *
 * @example
 * const published: Published = { event: 'payment.completed', payload: { orderId: 'o-1' } };
 */
export interface Published {
  readonly event: string;
  readonly payload: unknown;
}

/**
 * Watches a service's publisher: `record(work)` answers what `work` (and only it, not concurrent
 * hooks) published through it.
 *
 * @example
 * const recorder = createPublishRecorder();
 * const publisher = recorder.watch(servicePublisher);
 * const { published } = await recorder.record(() => hook(payload, ctx)); // [{ event: 'payment.completed', ... }]
 */
export interface PublishRecorder {
  /** The publisher hooks get: `publisher` itself, noting each publish made inside `record`. */
  watch(publisher: ServicePublisher): ServicePublisher;
  record(work: () => Promise<unknown>): Promise<{ readonly published: readonly Published[] }>;
}

/**
 * Makes a PublishRecorder (an AsyncLocalStorage per service: a publish outside `record` costs one lookup).
 *
 * @example
 * const recorder = createPublishRecorder();
 */
export function createPublishRecorder(): PublishRecorder {
  const storage = new AsyncLocalStorage<Published[]>();
  return {
    watch: (publisher) => async (event, payload, requestId) => {
      await publisher(event, payload, requestId);
      // Noted once accepted: a publish that threw (an invalid payload) did not happen.
      storage.getStore()?.push({ event, payload });
    },
    async record(work) {
      const published: Published[] = [];
      await storage.run(published, work);
      return { published };
    },
  };
}
