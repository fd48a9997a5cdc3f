import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generate } from '../generate.js';
import type { DevStack } from '../../runtime/dev/index.js';
import { layoutFrom, layoutOptions, parse } from './args.js';
import { prepareDevAuthWithToken } from './dev-auth.js';
import { complain, plural, printDiagnostics, say } from './output.js';
import { enableTypeScriptImports } from './typescript-loader.js';
import { UsageError } from './usage-error.js';
import { busSettingsFromEnv, DEFAULT_BUS } from '../../runtime/bus/settings.js';
import { durationSetting } from '../../runtime/host/env-values.js';
import type { ProcessBus } from './processes/plan.js';

export const devUsage = `Usage: meshspec dev [--spec DIR] [--out DIR] [--hooks DIR] [--free-ports] [--watch]
                   [--dashboard-port N | --no-dashboard]
                   [--processes [--bus redis|rabbitmq] [--bus-url URL]]

Regenerates, then runs the whole stack on this machine with embedded defaults: every service on
its ports (HTTP and gRPC), an in-memory event bus, and the gateway. Logs are prefixed by service.
Ctrl-C stops everything cleanly, at once: unlike in a cluster there is no drain delay unless
SHUTDOWN_DELAY (e.g. 5s) is set, and then the gateway and the services keep serving that long with
/ready at 503 before they stop.

When the gateway verifies JWTs with a secret (gateway.auth.jwt with keys: env:NAME and an HS*
algorithm) and NAME is unset, the gateway gets a random secret for this run and a token for the
subject 'developer' is printed (curl -H "Authorization: Bearer <token>"). MESH_IDENTITY_KEYS, when
unset, gets a random key for this run. Nothing is written to a file.

A dashboard is served on http://127.0.0.1:9400 (printed with the other URLs; loopback only): the
topology with live health and rates, the service catalog with an API explorer (it calls through
the gateway with the development token), traces, events and dead letters (with replay), sagas.
Its JSON data API is documented in runtime/dev/dashboard/README.md. Not with --processes.

With --processes, every service and the gateway run as separate processes started from their
generated entry points (generated/<service>/main.ts), as containers would, and events travel over
Redis or RabbitMQ; the services of a group (deploy.groups in mesh.yaml) run as one process,
generated/<group>/main.ts. A process that exits stops the whole stack (exit 1).

Options:
  --spec DIR    spec folder (default: spec)
  --out DIR     output folder (default: generated)
  --hooks DIR   folder of your hook files (default: hooks)
  --free-ports  every service (HTTP and gRPC) and the gateway listen on free ports instead of the
                spec's, so a second stack runs beside the first; the banner prints the URLs
  --dashboard-port N
                the dashboard's port (default 9400; with --free-ports, a free one)
  --no-dashboard
                no dashboard
  --watch       reload on save: a spec edit is validated and regenerated, and only the services whose
                code changed restart (the gateway when its routes or OpenAPI document changed); a hook
                edit restarts its service alone; an invalid spec prints its errors and the stack keeps
                serving. One line per reload says what restarted and how long it took
  --processes   one process per service (or group) and one for the gateway, over a durable bus
  --bus KIND    with --processes: redis or rabbitmq (default: the spec's runtime.bus.kind when it
                is one of them, else redis)
  --bus-url URL with --processes: the broker (default redis://127.0.0.1:6379 for redis,
                amqp://guest:guest@127.0.0.1:5672 for rabbitmq)
  -h, --help    show this help`;

export async function devCommand(args: string[]): Promise<number> {
  const values = parse(
    args,
    {
      ...layoutOptions,
      'free-ports': { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      processes: { type: 'boolean', default: false },
      bus: { type: 'string' },
      'bus-url': { type: 'string' },
      'dashboard-port': { type: 'string' },
      'no-dashboard': { type: 'boolean', default: false },
    },
    devUsage,
  );
  if (values.help) return say(devUsage), 0;
  const shutdownDelayMs = explicitShutdownDelay();
  // Flags are checked before any work; without --bus the spec's durable kind (else redis) is chosen below.
  if (values.processes && values.bus !== undefined) processBus(values.bus as string, values['bus-url'] as string | undefined);
  if (values.processes && values.watch) {
    throw new UsageError('--watch restarts services inside the one process of meshspec dev: drop --processes (or --watch)');
  }
  const dashboard = dashboardSettings(values);
  if (!values.processes && (values.bus !== undefined || values['bus-url'] !== undefined)) {
    throw new UsageError(
      `--bus and --bus-url go with --processes: without it every service runs in this one process on the in-memory bus (meshspec dev --processes --bus ${values.bus === 'rabbitmq' ? 'rabbitmq' : 'redis'})`,
    );
  }
  const result = await generate({ ...layoutFrom(values), check: false });
  const { errors } = printDiagnostics(result.diagnostics);
  if (!result.ok) {
    complain(`${plural(errors, 'error')} in the spec: fix them and run again`);
    return 1;
  }
  for (const warning of result.hookWarnings) process.stderr.write(`warning: ${warning}\n`);
  const changed = result.plan.create.length + result.plan.update.length + result.plan.remove.length;
  if (changed > 0) say(`regenerated ${plural(changed, 'file')} in ${values.out}`);

  // Before anything starts: the gateway and the services read these from the environment.
  const { notes: authNotes, token } = await prepareDevAuthWithToken(result.model.gateway?.auth);

  if (values.processes) {
    const specKind = result.model.runtime.bus.kind;
    const bus = processBus((values.bus as string | undefined) ?? (specKind === 'memory' ? 'redis' : specKind), values['bus-url'] as string | undefined);
    const group = result.model.groups?.[0];
    if (values['free-ports'] && group) {
      // A process of several services cannot be told their ports (PORT and GRPC_PORT are for one service).
      throw new UsageError(
        `--free-ports cannot move the services of group '${group.name}' (${group.services.join(', ')}): a process of several services listens on their spec ports; run without --free-ports, or without --processes`,
      );
    }
    const { runProcesses } = await import('./dev-processes.js');
    return runProcesses(result.model, { outDir: values.out as string, bus, freePorts: values['free-ports'] === true, notes: authNotes, shutdownDelayMs });
  }

  const stackModule = pathToFileURL(path.resolve(values.out as string, 'stack.ts')).href;
  let stack: DevStack;
  try {
    await enableTypeScriptImports();
    ({ stack } = (await import(stackModule)) as { stack: DevStack });
  } catch (error) {
    // Loading runs the user's hook modules: their syntax or top-level errors are theirs to fix, not ours.
    complain(`cannot load the stack (${path.join(values.out as string, 'stack.ts')}): ${describeLoadError(error)}`);
    return 1;
  }
  const { runStack } = await import('../../runtime/dev/index.js');
  const { model } = result;
  // runStack keeps the process alive until Ctrl-C / SIGTERM, then exits by itself.
  const running = await runStack(stack, {
    ...(values['free-ports'] ? freePorts(model.services) : {}),
    meshFile: model.meshFile,
    shutdownDelayMs,
    specFiles: Object.fromEntries(model.services.map((s) => [s.name, s.file])),
    dashboard: dashboard && { ...dashboard, token },
  });
  for (const note of authNotes) say(note);
  if (values.watch) {
    const { watchStack } = await import('./watch/loop.js');
    const layout = watchLayout(values);
    await watchStack(stack, running, layout);
    say(`watching ${layout.specDir}/ and ${layout.hooksDir}/: a saved change reloads what it touches`);
  }
  return 0;
}

/**
 * The dashboard's port from the flags: --dashboard-port N, a free one with --free-ports, else the
 * default (undefined here); false with --no-dashboard or --processes (which has no dashboard).
 * Both flags, a bad port, or --dashboard-port with --processes are usage errors.
 *
 * @param values - the parsed flags of `meshspec dev`
 * @throws UsageError
 * @example
 * dashboardSettings({ 'free-ports': true }); // { port: 0 }
 * dashboardSettings({ 'dashboard-port': '9500' }); // { port: 9500 }
 * dashboardSettings({ 'no-dashboard': true }); // false
 */
export function dashboardSettings(values: Record<string, unknown>): { port?: number } | false {
  const text = values['dashboard-port'] as string | undefined;
  if (values.processes && text !== undefined) {
    throw new UsageError('--dashboard-port goes without --processes: the dashboard runs inside the one process of meshspec dev (drop --processes to have it)');
  }
  if (values['no-dashboard'] && text !== undefined) throw new UsageError('--dashboard-port and --no-dashboard contradict each other: give one');
  if (values['no-dashboard'] || values.processes) return false;
  if (text === undefined) return values['free-ports'] ? { port: 0 } : {};
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--dashboard-port must be a port number from 0 to 65535, got '${text.slice(0, 20)}'`);
  return { port };
}

/** The folders as project-relative paths with `/` and no `./` or trailing slash, as file events are compared with them. */
function watchLayout(values: Record<string, unknown>) {
  const { root, specDir, outDir, hooksDir } = layoutFrom(values);
  const clean = (dir: string) => path.relative(root, path.resolve(root, dir)).split(path.sep).join('/');
  return { root, specDir: clean(specDir), outDir: clean(outDir), hooksDir: clean(hooksDir) };
}

/**
 * `SHUTDOWN_DELAY` when the developer set it, else 0: the manifests drain every pod, but in
 * development Ctrl-C should stop at once. Checked here once, before anything starts.
 */
function explicitShutdownDelay(): number {
  const text = process.env['SHUTDOWN_DELAY'];
  if (!text) return 0;
  try {
    return durationSetting('SHUTDOWN_DELAY', text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The durable bus for --processes from --bus and --bus-url; a memory bus, an unknown kind or a URL of another scheme is a usage error. */
function processBus(chosen: string, url: string | undefined): ProcessBus {
  if (chosen === 'memory') {
    throw new UsageError(
      '--bus memory cannot be used with --processes: an in-memory bus lives inside one process, so events would not cross between services; use --bus redis or --bus rabbitmq, or drop --processes',
    );
  }
  if (chosen !== 'redis' && chosen !== 'rabbitmq') {
    throw new UsageError(`--bus must be redis or rabbitmq, got '${chosen.slice(0, 40)}'`);
  }
  try {
    // EVENT_BUS_NAMESPACE comes from the environment (there is no flag): checked here once, not in every child.
    const namespace = process.env['EVENT_BUS_NAMESPACE'];
    const settings = busSettingsFromEnv(DEFAULT_BUS, {
      EVENT_BUS: chosen,
      ...(url !== undefined && { EVENT_BUS_URL: url }),
      ...(namespace !== undefined && { EVENT_BUS_NAMESPACE: namespace }),
    });
    return { kind: chosen, url: settings.url as string, namespace: settings.namespace };
  } catch (error) {
    // The settings speak of the environment variables the services read; here the flags set them.
    throw new UsageError((error as Error).message.replaceAll('EVENT_BUS_URL', '--bus-url').replaceAll('EVENT_BUS=', '--bus '));
  }
}

/** Port 0 (any free port) for every listener the spec gives a port: HTTP, gRPC where declared, the gateway. */
function freePorts(services: readonly { name: string; ports: { grpc: number | null } }[]) {
  const ports = Object.fromEntries(services.map((s) => [s.name, { http: 0, grpc: s.ports.grpc === null ? null : 0 }]));
  return { ports, gatewayPort: 0 };
}

/** The error's message plus the first place in the project's own files (not the runtime's or a library's). */
function describeLoadError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // esbuild's TransformError already names file:line:col in its message.
  const message = error.message.replace(/^Transform failed with \d+ errors?:\n/, '');
  const frame = (error.stack ?? '').split('\n').find((line) => /^\s+at /.test(line) && !/node_modules|node:|\/runtime\//.test(line));
  return frame ? `${message}\n${frame.trim()}` : message;
}
