// Where metrics live: one Registry per service (and one for the gateway), each series labelled with
// the service's name, plus one registry per process for the process and Node.js metrics. Never
// prom-client's global registry: a test or a group process runs several services in one process,
// and each must serve only its own series.
import { collectDefaultMetrics, Registry } from 'prom-client';

/** The label every series of a service's (or the gateway's) registry carries. */
export const SERVICE_LABEL = 'service';

let processRegistry: Registry | null = null;

/**
 * Default metrics dropped: gauges named `_total`, against the Prometheus conventions (promtool
 * refuses them); the same figures are in `nodejs_active_handles`, `_requests` and `_resources`.
 */
const MISNAMED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * The process's registry: prom-client's default metrics (CPU, memory, event loop lag, GC, handles),
 * collected once per process whatever the number of services in it.
 *
 * @example
 * const text = await processMetrics().metrics();
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
    for (const name of MISNAMED_DEFAULTS) if (processRegistry.getSingleMetric(name)) processRegistry.removeSingleMetric(name);
  }
  return processRegistry;
}

/**
 * A fresh registry for one service (or the gateway): every series it holds carries `service="<name>"`.
 *
 * @param service - the service's name, or `gateway`
 * @example
 * const registry = createServiceRegistry('users');
 */
export function createServiceRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ [SERVICE_LABEL]: service });
  return registry;
}
