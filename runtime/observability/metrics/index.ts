// `runtime/observability/metrics`: Prometheus metrics (prom-client) of services and the gateway.
// See README.md in this folder for every series and its labels.
export { createServiceMetrics, type ServiceMetrics, type ServiceReports } from './service.js';
export { createGatewayMetrics, type GatewayMetrics } from './gateway.js';
export { ServerMetrics, EndpointMeter, type ServerTransport } from './server.js';
export { meterInProcess } from './in-process.js';
export { ClientMetrics, CALL_OK } from './client.js';
export { BusMetrics } from './bus.js';
export { registerResilienceCollectors, type ResilienceSource } from './dependencies.js';
export { registerSagaCollectors } from './sagas.js';
export { httpBindingMetrics, type HttpBindingMetrics } from './http.js';
export { answerMetrics, metricsText, METRICS_CONTENT_TYPE, METRICS_PATH } from './scrape.js';
export { createServiceRegistry, processMetrics, SERVICE_LABEL } from './registry.js';
export { DURATION_BUCKETS, UNMATCHED } from './buckets.js';
