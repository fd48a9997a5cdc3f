// Starting and stopping services: one at a time (startService) or as a process (runMain).
export { startService } from './start.js';
export type { DependenciesReport, HostSettings, RunningService, ServiceHostOptions, ServiceStorage, TransportFor } from './types.js';
export { createDependency, type Dependency, type DependencyOptions } from './dependency.js';
export { StartupError, type StartupErrorDetails } from './startup-error.js';
export { createTransportFactory, type TransportFactory, type TransportFactoryOptions } from './transports.js';
export { runMain, runServices, settingsFromEnv, type ProcessSettings, type RunningProcess, type RuntimeDefaults } from './main.js';
export { HTTP_LISTENER_DEFAULTS, type HttpListenerOptions } from './http-listener.js';
export { createColocatedRegistry, type ColocatedRegistry } from './colocated.js';
export { sagaTimingFromEnv, type SagaTiming, type SagasReport } from './sagas.js';
