// What the resilience pipeline and the instance pool report, as log lines of the calling service,
// each with the dependency (the logger's binding) and the instance when one is known. Never a line per
// successful call: retries, refusals, breaker transitions, ejections and fallbacks only.
import type { Logger } from 'pino';
import type { DiscoveryObserver } from '../discovery/events.js';
import type { ResilienceObserver } from '../resilience/events.js';

/**
 * An observer logging every resilience event: retries at info, everything that refuses or degrades a
 * call at warn, a breaker closing again at info.
 *
 * @param logger The caller's logger, bound to the dependency.
 * @example
 * createPipeline(policy, { dependency: 'users', observer: resilienceLogger(logger.child({ dependency: 'users' })) });
 */
export function resilienceLogger(logger: Logger): ResilienceObserver {
  return (event) => {
    switch (event.type) {
      case 'retry':
        logger.info({ instance: event.instance, attempt: event.attempt, reason: event.reason, waitMs: Math.round(event.waitMs) }, `retrying after ${event.reason}`);
        break;
      case 'retry-denied':
        logger.warn({ attempt: event.attempt, reason: event.reason, by: event.by }, `not retrying after ${event.reason}: ${event.by === 'budget' ? 'retry budget spent' : 'no time left'}`);
        break;
      case 'breaker':
        (event.to === 'closed' ? logger.info : logger.warn).call(logger, { instance: event.instance, from: event.from, to: event.to }, `circuit breaker ${event.to}`);
        break;
      case 'rejected':
        logger.warn({ reason: event.reason }, `call rejected: ${event.reason}`);
        break;
      case 'fallback':
        // The dependency is the logger's binding; the line names it too, so it reads on its own.
        logger.warn(
          { endpoint: event.endpoint, reason: event.reason },
          `fallback answered for ${event.dependency}${event.endpoint === undefined ? '' : `.${event.endpoint}`} after ${event.reason}`,
        );
        break;
    }
  };
}

/**
 * An observer logging discovery events: ejections, failed checks and DNS failures at warn, returns,
 * recoveries and instance changes at info.
 *
 * @param logger The caller's logger, bound to the dependency.
 * @example
 * createInstancePool({ service: 'users', source, observer: discoveryLogger(logger.child({ dependency: 'users' })) });
 */
export function discoveryLogger(logger: Logger): DiscoveryObserver {
  return (event) => {
    switch (event.type) {
      case 'ejected':
        logger.warn({ instance: event.address, reason: event.reason, ejections: event.ejections, durationMs: event.durationMs }, 'instance ejected');
        break;
      case 'ejection-skipped':
        logger.warn({ instance: event.address, reason: event.reason, ejected: event.ejected, size: event.size }, 'instance not ejected: too many ejected already');
        break;
      case 'returned':
        logger.info({ instance: event.address, ejections: event.ejections }, 'instance back from ejection');
        break;
      case 'down':
        logger.warn({ instance: event.address, reason: event.reason }, 'instance not ready');
        break;
      case 'up':
        logger.info({ instance: event.address }, 'instance ready');
        break;
      case 'instances-changed':
        logger.info({ source: event.source, added: event.added, removed: event.removed, count: event.count }, 'instances changed');
        break;
      case 'resolve-failed':
        logger.warn({ source: event.source, error: event.error, kept: event.kept }, 'instance lookup failed');
        break;
      case 'resolve-recovered':
        logger.info({ source: event.source, count: event.count }, 'instance lookup recovered');
        break;
    }
  };
}
