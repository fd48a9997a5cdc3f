// The loop of `meshspec dev --watch`: a saved spec is validated and regenerated, then only the
// services whose code changed restart (with fresh modules: module-versions.ts), and the gateway
// only when its routes or its OpenAPI document changed; a saved hook restarts its service alone.
// An invalid spec prints its positioned errors and leaves the stack as it was. One line per reload.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { GatewayConfig } from '../../../runtime/gateway/types.js';
import type { ServiceHostOptions } from '../../../runtime/host/types.js';
import type { DevStack, RunningStack } from '../../../runtime/dev/index.js';
import type { ServiceDefinition } from '../../../runtime/service/definition.js';
import { generate } from '../../generate.js';
import { outputFiles, serviceNames } from '../../naming/index.js';
import { complain, plural, printDiagnostics, say } from '../output.js';
import { describeEndpoints, planReload, type ReloadPlan, type StackShape } from './impact.js';
import { enableModuleVersions, importVersion } from './module-versions.js';
import { touchedServices } from './touched.js';
import { warmUpGenerator } from './warm-up.js';
import { watchFolders, type FolderWatcher } from './watcher.js';

export interface WatchLayout {
  root: string;
  /** Project-relative folders. */
  specDir: string;
  outDir: string;
  hooksDir: string;
}

/** Quiet time after the last file event before a reload starts: an editor's save is several events. */
export const DEBOUNCE_MS = 80;

/**
 * Watches the spec and hooks folders and reloads `running` on every change, until closed.
 *
 * @param stack - the stack `running` was started from (generated/stack.ts as first loaded)
 * @param running - the running stack
 * @param layout - the project's folders
 */
export async function watchStack(stack: DevStack, running: RunningStack, layout: WatchLayout): Promise<FolderWatcher> {
  const abs = (dir: string) => path.resolve(layout.root, dir);
  enableModuleVersions([abs(layout.outDir), abs(layout.hooksDir)]);
  const hosts = stack.services.map((makeHost) => makeHost());
  let current: StackShape = {
    definitions: new Map(hosts.map((h) => [h.definition.name, h.definition])),
    schemas: defsOf(hosts[0]?.schemas),
    events: hosts[0]?.events ?? {},
    gateway: stack.gateway,
  };
  let version = 0;
  // Changes not applied yet: hook edits saved with an invalid spec, services whose start failed.
  const deferred = new Set<string>();
  const failed = new Set<string>();
  let queue = Promise.resolve();

  const reload = async (files: string[], since: number) => {
    const relative = [...new Set([...deferred, ...files.map((f) => path.relative(layout.root, f).split(path.sep).join('/'))])];
    deferred.clear();
    const inSpec = (f: string) => f.startsWith(`${layout.specDir}/`);
    const specChanged = relative.some(inSpec);
    const changed = new Set(relative);
    let notes: string[] = [];
    const phases = new Phases(since);
    phases.mark('debounce');
    if (specChanged) {
      const result = await generate({ ...layout, check: false });
      if (!result.ok) {
        const { errors } = printDiagnostics(result.diagnostics);
        for (const f of relative) if (!inSpec(f)) deferred.add(f);
        say(`spec has ${plural(errors, 'error')}: still serving the last valid spec (fix and save to reload)`);
        return;
      }
      for (const warning of result.hookWarnings) process.stderr.write(`warning: ${warning}\n`);
      notes = result.hookChanges;
      const written = [...result.plan.create, ...result.plan.update].map((f) => f.path);
      for (const file of [...written, ...result.plan.remove]) changed.add(file);
      // The hook stubs generate added are not edits of the developer's: no second reload for them.
      await watcher.acknowledge(written.filter((f) => f.startsWith(`${layout.hooksDir}/`)).map(abs));
    }
    phases.mark('generate');
    version++;
    const after = specChanged ? await loadShape(layout, version, current, changed) : current;
    const touched = touchedServices([...changed], [...after.definitions.keys()], layout);
    for (const name of failed) if (after.definitions.has(name)) touched.add(name);
    const plan = planReload(current, after, touched);
    if (plan.restart.length === 0 && plan.stop.length === 0 && plan.gateway === null) {
      for (const note of notes) say(`hooks    ${note}`);
      say(`${specChanged ? 'regenerated' : 'saved'}: nothing to reload (${Math.round(performance.now() - since)} ms)`);
      return;
    }
    // Every new module loads before anything stops: a hook that does not load leaves the stack as it was.
    const fresh: ServiceHostOptions[] = [];
    try {
      for (const name of plan.restart) fresh.push(await loadHost(layout, name, version));
    } catch (error) {
      complain(`cannot load the new code, the stack runs as it was: ${(error as Error).message}`);
      // The files generated this time too: the next save compares against what runs, not what was written.
      for (const f of changed) deferred.add(f);
      return;
    }
    phases.mark('load');
    const urlsBefore = addresses(running);
    for (const name of plan.stop) await running.stopService(name);
    const restarted: string[] = [];
    for (const host of fresh) {
      const name = host.definition.name;
      try {
        await running.restartService(host);
        failed.delete(name);
        restarted.push(name);
      } catch (error) {
        failed.add(name);
        complain(`${name} did not start again (it is stopped; save to retry): ${(error as Error).message}`);
      }
    }
    phases.mark('restart');
    let gateway = plan.gateway;
    // A service now on other ports (its spec's changed): the gateway's upstreams are made at its start.
    if (gateway === null && addresses(running) !== urlsBefore) gateway = 'routes';
    if (gateway !== null) await running.replaceGateway(after.gateway);
    phases.mark('gateway');
    for (const note of notes) say(`hooks    ${note}`);
    say(`${reloadLine(current, after, plan, restarted, gateway, relative.filter((f) => !inSpec(f)), Math.round(performance.now() - since))} [${phases.summary()}]`);
    current = after;
  };

  const watcher = await watchFolders(
    [abs(layout.specDir), abs(layout.hooksDir)],
    (files, since) => {
      // One reload at a time; a save during a reload is the next one.
      queue = queue.then(() => reload(files, since)).catch((error: unknown) => complain(`reload failed: ${(error as Error).stack ?? String(error)}`));
    },
    DEBOUNCE_MS,
  );
  // First in the queue: a save during the warm-up waits for it, then finds the generator warm.
  queue = queue.then(() => warmUpGenerator(layout)).catch(() => undefined);
  return watcher;
}

/** How long each step of a reload took, from the save: `generate 180 ms, load 60 ms, restart 160 ms`. */
class Phases {
  private readonly steps: [string, number][] = [];
  private last: number;
  constructor(since: number) {
    this.last = since;
  }
  mark(step: string): void {
    const now = performance.now();
    this.steps.push([step, now - this.last]);
    this.last = now;
  }
  summary(): string {
    return this.steps.map(([step, ms]) => `${step} ${Math.round(ms)} ms`).join(', ');
  }
}

/** `reloaded orders, gateway (openapi) in 412 ms (spec: 1 endpoint added)`. */
function reloadLine(before: StackShape, after: StackShape, plan: ReloadPlan, restarted: string[], gateway: ReloadPlan['gateway'], hookFiles: string[], ms: number): string {
  const what = [...restarted, ...plan.stop.map((name) => `${name} (stopped)`), ...(gateway ? [`gateway (${gateway})`] : [])];
  const why: string[] = [];
  const specParts = [...restarted, ...plan.stop].flatMap((name) => {
    const parts = describeEndpoints(before.definitions.get(name), after.definitions.get(name));
    return parts.length === 0 ? [] : [restarted.length + plan.stop.length > 1 ? `${name} ${parts.join(', ')}` : parts.join(', ')];
  });
  if (specParts.length > 0) why.push(`spec: ${specParts.join('; ')}`);
  if (hookFiles.length > 0) why.push(hookFiles.join(', '));
  return `reloaded ${what.length > 0 ? what.join(', ') : 'nothing'} in ${ms} ms${why.length > 0 ? ` (${why.join('; ')})` : ''}`;
}

/**
 * The new generation as the runtime will see it: definitions, schemas, events, gateway configuration.
 * Only the modules whose files were written are imported; the others are what runs.
 */
async function loadShape(layout: WatchLayout, version: number, current: StackShape, written: ReadonlySet<string>): Promise<StackShape> {
  const out = path.resolve(layout.root, layout.outDir);
  const fresh = async (file: string) => (written.has(`${layout.outDir}/${file}`) ? importVersion(path.join(out, file), version) : null);
  const definitions = new Map<string, ServiceDefinition>();
  for (const entry of await readdir(out, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const file = outputFiles.serviceModule(entry.name, 'definition');
    const module = await fresh(file).catch(() => null);
    const definition = module ? (module[serviceNames(entry.name).definition] as ServiceDefinition | undefined) : current.definitions.get(entry.name);
    // A folder of the output that is no service's (gateway/, proto/…) has no definition module.
    if (definition && (module || existsSync(path.join(out, file)))) definitions.set(entry.name, definition);
  }
  const schemas = await fresh(outputFiles.schemas);
  const events = await fresh(outputFiles.events);
  let gateway = current.gateway;
  if (!existsSync(path.join(out, outputFiles.gatewayRoutes))) gateway = null;
  else {
    const routes = await fresh(outputFiles.gatewayRoutes);
    const openapi = await fresh(outputFiles.gatewayOpenApi);
    if (routes || openapi) {
      // As generated/stack.ts composes it.
      const config = routes ? (routes['gatewayConfig'] as GatewayConfig) : (current.gateway as GatewayConfig);
      gateway = { ...config, openapi: openapi ? (openapi['gatewayOpenApi'] as GatewayConfig['openapi']) : current.gateway?.openapi };
    }
  }
  return { definitions, schemas: schemas ? defsOf(schemas['schemas']) : current.schemas, events: events ? events['events'] : current.events, gateway };
}

/** A service's fresh host options: its host module and every project module under it at `version`. */
async function loadHost(layout: WatchLayout, service: string, version: number): Promise<ServiceHostOptions> {
  const file = path.resolve(layout.root, layout.outDir, outputFiles.serviceModule(service, 'host'));
  const module = await importVersion(file, version);
  const makeHost = module[serviceNames(service).host] as (() => ServiceHostOptions) | undefined;
  if (typeof makeHost !== 'function') throw new Error(`${file} does not export ${serviceNames(service).host}`);
  return makeHost();
}

/** Every service's URLs, in a stable order. */
function addresses(running: RunningStack): string {
  return JSON.stringify(Object.entries(running.urls).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function defsOf(schemas: unknown): Record<string, unknown> {
  return ((schemas as { $defs?: Record<string, unknown> } | undefined)?.$defs ?? {}) as Record<string, unknown>;
}
