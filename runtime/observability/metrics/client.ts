// Client side: each call a service makes to a dependency, per endpoint and outcome, timed from the
// generated client's call to its answer (every attempt, retry wait and fallback included). The
// resilience figures behind it (attempts, retries, rejections, breakers) are read from the
// pipeline's own counters at scrape time (dependencies.ts).
import { performance } from 'node:perf_hooks';
import type { Registry } from 'prom-client';
import { kindOf } from '../../resilience/classify.js';
import type { EndpointDescriptor } from '../../service/definition.js';
import type { ClientTransport } from '../../transport/types.js';
import { TimedSeries, type TimedChild } from './timed-series.js';

/** The outcome label of a call that answered. */
export const CALL_OK = 'ok';

/**
 * `meshspec_client_calls_total` and `meshspec_client_call_duration_seconds` of one service.
 *
 * @example
 * const client = new ClientMetrics(registry);
 * const users = client.metered('users', transportFor('users', 'http'));
 */
export class ClientMetrics {
  readonly #series: TimedSeries;
  /** By dependency, endpoint, then outcome: made on first use, then only read. */
  readonly #children = new Map<string, Map<string, Map<string, TimedChild>>>();
  /** One metered transport per transport (generated clients ask transportFor on every request). */
  readonly #metered = new WeakMap<ClientTransport, ClientTransport>();

  /**
   * @param registry - the service's registry
   */
  constructor(registry: Registry) {
    this.#series = new TimedSeries(registry, {
      total: 'meshspec_client_calls_total',
      help: 'Calls to a dependency, by dependency, endpoint and outcome (ok, or the kind of failure: unavailable, timeout, rejected, circuitOpen, ...).',
      duration: 'meshspec_client_call_duration_seconds',
      durationHelp: 'Time of a call to a dependency, retries and fallbacks included, by dependency, endpoint and outcome.',
    });
  }

  /**
   * `transport` with each call counted and timed under `dependency`; the same wrapper for the same transport.
   *
   * @param dependency - the service called
   * @param transport - its transport (the resilience pipeline behind it)
   * @example
   * const transport = client.metered('users', owned.transportFor('users', 'http'));
   */
  metered(dependency: string, transport: ClientTransport): ClientTransport {
    let metered = this.#metered.get(transport);
    if (metered === undefined) {
      metered = this.#wrap(dependency, transport);
      this.#metered.set(transport, metered);
    }
    return metered;
  }

  #wrap(dependency: string, transport: ClientTransport): ClientTransport {
    const observe = (endpoint: EndpointDescriptor, outcome: string, started: number) => {
      this.#childOf(dependency, endpoint.name, outcome).observe((performance.now() - started) / 1000);
    };
    return {
      call: (endpoint, input, options) => {
        const started = performance.now();
        return transport.call(endpoint, input, options).then(
          (output) => {
            observe(endpoint, CALL_OK, started);
            return output;
          },
          (err: unknown) => {
            // The failure's kind (resilience/classify.ts), a fixed set: a callee's own codes could be anything.
            observe(endpoint, kindOf(err), started);
            throw err;
          },
        );
      },
      close: () => transport.close(),
    };
  }

  #childOf(dependency: string, endpoint: string, outcome: string): TimedChild {
    let endpoints = this.#children.get(dependency);
    if (endpoints === undefined) this.#children.set(dependency, (endpoints = new Map()));
    let outcomes = endpoints.get(endpoint);
    if (outcomes === undefined) endpoints.set(endpoint, (outcomes = new Map()));
    let child = outcomes.get(outcome);
    if (child === undefined) outcomes.set(outcome, (child = this.#series.child({ dependency, endpoint, outcome })));
    return child;
  }
}
