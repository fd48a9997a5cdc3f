// A bus for the outbox suites that records what it accepted, in order, and can refuse on demand.
import type { EventBus, EventEnvelope } from '../../../runtime/bus/types.js';

/**
 * A recording bus: `accepted` in order; `refuseNext(n)` makes the next n publishes fail.
 *
 * @example
 * expect(bus.accepted.map((e) => e.payload)).toEqual([{ n: 1 }]);
 */
export interface RecordingBus extends EventBus {
  readonly accepted: EventEnvelope[];
  /** Publishes refused so far. */
  readonly refusals: number;
  refuseNext(count: number): void;
}

/**
 * Creates a recording bus (publish only: the outbox suites check what the relay handed over).
 *
 * @example
 * const bus = recordingBus();
 * bus.refuseNext(3); // the broker is down for three attempts
 */
export function recordingBus(): RecordingBus {
  const accepted: EventEnvelope[] = [];
  let toRefuse = 0;
  let refusals = 0;
  return {
    accepted,
    get refusals() {
      return refusals;
    },
    refuseNext(count) {
      toRefuse = count;
    },
    async publish(envelope) {
      if (toRefuse > 0) {
        toRefuse -= 1;
        refusals += 1;
        throw new Error('the broker is unreachable');
      }
      accepted.push(envelope);
    },
    async subscribe() {
      throw new Error('the recording bus only records publishes');
    },
    async close() {},
  };
}
