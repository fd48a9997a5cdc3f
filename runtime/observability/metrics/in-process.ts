// Server side of calls from co-located services (runtime/host/colocated.ts): they reach the
// service's Invoke without its HTTP or gRPC server, so they are counted here, with the status the
// HTTP binding would have answered.
import { performance } from 'node:perf_hooks';
import { isMeshError } from '../../errors/index.js';
import type { Invoke } from '../../service/invoke.js';
import type { EndpointMeter, ServerMetrics } from './server.js';

/**
 * `invoke` with each call counted under transport `in-process`, per endpoint and status.
 *
 * @param invoke - the service's Invoke, as it registers with the co-located registry
 * @param server - the service's server metrics
 * @example
 * settings.colocated?.register(definition, meterInProcess(invoke, metrics.server), logger);
 */
export function meterInProcess(invoke: Invoke, server: ServerMetrics): Invoke {
  const meters = new Map<string, EndpointMeter>();
  return (endpoint, input, meta) => {
    let meter = meters.get(endpoint.name);
    if (meter === undefined) meters.set(endpoint.name, (meter = server.endpoint(endpoint.name, 'in-process')));
    const started = performance.now();
    const counted = meter;
    return invoke(endpoint, input, meta).then(
      (output) => {
        counted.observe(endpoint.successStatus, started);
        return output;
      },
      (err: unknown) => {
        counted.observe(isMeshError(err) ? err.status : 500, started);
        throw err;
      },
    );
  };
}
