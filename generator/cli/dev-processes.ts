// `meshspec dev --processes`: the deployed shape on one machine. Every service and the gateway run as
// their own process from their generated entry points, as containers would, over a durable bus.
// A child that exits stops the whole stack (exit 1) instead of being restarted: in development a
// crash is a bug to see at once, and a restart loop would bury it under fresh start-up lines.
import path from 'node:path';
import { DEFAULT_NAMESPACE, redactUrl } from '../../runtime/bus/settings.js';
import { DATA_VARIABLE, DEFAULT_DATA_ROOT } from '../../runtime/host/database-config.js';
import { banner } from '../../runtime/dev/banner.js';
import { exitOnSignals } from '../../runtime/host/signals.js';
import { createLogger, createPrefixedDestination } from '../../runtime/logging/index.js';
import { complain } from './output.js';
import { brokerProblem } from './processes/broker.js';
import { freePortAssignment } from './processes/free-ports.js';
import { planProcesses, specPorts, type PlannedMesh, type ProcessBus } from './processes/plan.js';
import { ChildFailure, superviseStack } from './processes/supervisor.js';
import { typeScriptNodeArgs } from './processes/typescript-import.js';

export interface ProcessesOptions {
  /** The generated folder the entry points are in. */
  readonly outDir: string;
  readonly bus: ProcessBus;
  /** Free ports instead of the spec's. */
  readonly freePorts: boolean;
  /** Lines printed after the banner (the development token). Default none. */
  readonly notes?: readonly string[];
  /** The children's `SHUTDOWN_DELAY` (they read it themselves), ms, which their stop may take on top of the grace. Default 0. */
  readonly shutdownDelayMs?: number;
}

/** Beyond the shutdown delay and the spec's shutdown grace, how long a child may take to exit after SIGTERM before SIGKILL. */
const STOP_MARGIN_MS = 5000;

/**
 * Starts the stack as processes and prints the banner once every one is ready; returns 1 after
 * one line naming what failed, or 0 while the stack runs (Ctrl-C / SIGTERM then stop it, exit 0).
 *
 * @param model the mesh (services, gateway, shutdown grace)
 * @param options the generated folder, the bus, whether to use free ports
 * @example await runProcesses(model, { outDir: 'generated', bus: { kind: 'redis', url: 'redis://127.0.0.1:6379' }, freePorts: false })
 */
export async function runProcesses(model: PlannedMesh & { name: string; runtime: { shutdownGraceMs: number } }, options: ProcessesOptions): Promise<number> {
  const problem = await brokerProblem(options.bus);
  if (problem) return complain(problem), 1;

  const ports = options.freePorts ? await freePortAssignment(model) : specPorts(model);
  // A service with storage then opens PGlite in .meshspec/data/<service>, as under `meshspec dev`
  // without --processes; without MESH_DATA its own process would ask for a PostgreSQL URL.
  const dataRoot = process.env[DATA_VARIABLE] || path.resolve(DEFAULT_DATA_ROOT);
  const plan = planProcesses(model, { ports, bus: options.bus, outDir: options.outDir, dataRoot });
  const output = process.stdout;
  const stack = superviseStack(plan, {
    nodeArgs: typeScriptNodeArgs(),
    cwd: process.cwd(),
    output,
    stopTimeoutMs: (options.shutdownDelayMs ?? 0) + model.runtime.shutdownGraceMs + STOP_MARGIN_MS,
  });

  const logger = createLogger({ service: 'dev', destination: createPrefixedDestination(output) });
  // Ctrl-C and SIGTERM (and npm's stop, through the parent watch) stop every child; exit 0 when all
  // stopped cleanly, 1 otherwise. A closed terminal (SIGHUP) means the same.
  let signalled = false;
  exitOnSignals(async () => {
    signalled = true;
    const { unclean } = await stack.stop();
    if (unclean.length > 0) throw new Error(unclean.join('; '));
  }, logger);
  process.once('SIGHUP', () => process.kill(process.pid, 'SIGTERM'));

  try {
    await stack.ready;
  } catch (err) {
    // Stopped by a signal while starting: the signal's handler ends the process once all have exited.
    if (signalled) return 0;
    complain(err instanceof ChildFailure ? err.report() : String(err));
    return 1;
  }
  output.write(banner(model.name, { gatewayUrl: plan.gatewayUrl, gatewayMetricsUrl: plan.gatewayMetricsUrl, urls: plan.urls, bus: describeBus(options.bus) }));
  for (const note of options.notes ?? []) output.write(`${note}\n`);

  void stack.failed.then(async (failure) => {
    complain(`${failure.report()}\nmeshspec: stopping the stack`);
    await stack.stop();
    process.exit(1);
  });
  return 0;
}

/** `redis redis://127.0.0.1:6379`, with the password redacted and a namespace other than the default named. */
function describeBus(bus: ProcessBus): string {
  const namespace = bus.namespace !== undefined && bus.namespace !== DEFAULT_NAMESPACE ? ` (namespace ${bus.namespace})` : '';
  return `${bus.kind} ${redactUrl(bus.url)}${namespace}`;
}
