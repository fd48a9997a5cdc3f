// The dashboard's events and dead letters, over the dev stack's memory bus: per event of the spec,
// its rates and per subscribing group its lag (from the bus's counters), the dead letters, and their
// replay through the same function as `meshspec events dlq replay` (runtime/bus/replay.ts).
import type { DeadLetterAdmin } from '../../bus/dead-letters.js';
import { createMemoryDeadLetters, toDeadLetter } from '../../bus/memory-dead-letters.js';
import { ReplayRefused, type EventCounts, type GroupCounts, type MemoryBus } from '../../bus/memory.js';
import { replayDeadLetters } from '../../bus/replay.js';
import type { CatalogEvent, DashboardDeadLetter, EventStats, EventsView, GroupStats, ReplayAnswer, ReplayRequest } from './api-types.js';
import { createRateMeter, type RateMeter } from './rates.js';
import type { EventsSource } from './sources.js';

/**
 * What the events source reads.
 *
 * @example
 * const options: EventsSourceOptions = { bus: running.bus, events: () => catalog.events };
 */
export interface EventsSourceOptions {
  /** The stack's bus. */
  readonly bus: MemoryBus;
  /** The spec's events as the catalog has them (read at each view: a reload may change them). */
  readonly events: () => readonly CatalogEvent[];
  /** Rates' meter; default a fresh one (a test passes its own to control the window). */
  readonly rates?: RateMeter;
  /** The clock, epoch ms; default Date.now. */
  readonly now?: () => number;
}

/** Where the dashboard's replay answer says the dead letters are listed. */
const LISTED_BY = () => 'the dashboard\'s dead letters list';

/**
 * The EventsSource of the dev stack.
 *
 * @param options the bus and the catalog's events
 * @example
 * const events = createEventsSource({ bus: running.bus, events: () => catalog.events });
 * const view = events.view();
 * await events.replay({ service: 'orders', ids: 'all' });
 */
export function createEventsSource(options: EventsSourceOptions): EventsSource {
  const { bus } = options;
  const rates = options.rates ?? createRateMeter();
  const now = options.now ?? Date.now;
  const admin: DeadLetterAdmin = createMemoryDeadLetters(bus);

  return {
    view(): EventsView {
      const at = now();
      const counts = new Map(bus.stats().map((c) => [c.event, c]));
      const events = options.events().map((event) => eventStats(event, counts.get(event.name), rates, at));
      return { at, events };
    },

    deadLetters({ service, event, limit }) {
      const found: DashboardDeadLetter[] = [];
      const max = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
      for (const letter of bus.deadLetters) {
        if (found.length >= max) break;
        if (service !== undefined && letter.group !== service) continue;
        if (event !== undefined && letter.envelope.event !== event) continue;
        found.push({ ...toDeadLetter(letter), service: letter.group });
      }
      return found;
    },

    async replay(request: ReplayRequest): Promise<ReplayAnswer> {
      const service = typeof request?.service === 'string' ? request.service : '';
      const ids = request?.ids === 'all' ? 'all' : Array.isArray(request?.ids) ? request.ids.filter((id): id is string => typeof id === 'string') : [];
      if (service === '') {
        const notFound = ids === 'all' ? [] : ids;
        return { replayed: 0, notFound, message: 'which service? name the service whose dead letters to replay' };
      }
      try {
        const { replayed, notFound, message } = await replayDeadLetters(admin, service, ids, { listedBy: LISTED_BY });
        return { replayed, notFound, message };
      } catch (error) {
        // A refusal is worded for the developer; anything else is said without its internals.
        const message = error instanceof ReplayRefused ? error.message : `could not replay the dead letters of ${service}`;
        return { replayed: 0, notFound: [], message };
      }
    },

    onDeadLetters(listener) {
      return bus.onDeadLetters(listener);
    },
  };
}

const NO_COUNTS: Omit<GroupCounts, 'group'> = { handled: 0, failures: 0, lag: 0, retrying: 0, deadLettered: 0, deadLetters: 0 };

function eventStats(event: CatalogEvent, counts: EventCounts | undefined, rates: RateMeter, at: number): EventStats {
  const published = counts?.published ?? 0;
  const byGroup = new Map(counts?.groups.map((g) => [g.group, g]));
  const seen = new Set<string>();
  const groups: GroupStats[] = [];
  for (const { service, group } of event.subscribers) {
    // A service with two handlers of one event in one group: one line.
    const key = `${service}\u0000${group}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const g = byGroup.get(group) ?? NO_COUNTS;
    groups.push({
      service,
      group,
      handleRate: rates.rate(`handled:${event.name}:${group}`, g.handled, at),
      failureRate: rates.rate(`failures:${event.name}:${group}`, g.failures, at),
      lag: g.lag,
      retrying: g.retrying,
      handled: g.handled,
      deadLetters: g.deadLetters,
    });
  }
  return {
    name: event.name,
    version: event.version,
    publishers: event.publishers,
    publishRate: rates.rate(`published:${event.name}`, published, at),
    published,
    groups,
  };
}
