// A group of services as one process, from generated code: `front` and `users` in group `core`
// (generated/core/main.ts), `outside` on its own (generated/outside/main.ts), both started as
// `meshspec dev --processes` plans them. front's call to users stays in the process (no HTTP request
// reaches users: its access log has no line for the request), while outside reaches users in the
// group's process over HTTP (users logs that request). Before that, the same spec without the group
// shows what the writer removes once the group is added: the members' own main.ts and manifests.
import { writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate.js';
import { planProcesses, specPorts, type PlannedProcess } from '../../generator/cli/processes/plan.js';
import { groupsOf } from '../../generator/model/lookup.js';
import { BROKER_URLS, deleteBusNamespace, testNamespace } from '../support/brokers.js';
import { eventually, freePorts, http, meshspecIn, start, type Child } from '../support/processes.js';
import { tempProject, type TempProject } from '../support/project.js';

/** Two processes with tsx on a shared machine: generous, only a hang fails. */
const START_MS = 90_000;

const namespace = testNamespace();
let project: TempProject;
let children: Child[] = [];
let planned: PlannedProcess[] = [];
let urls: Record<string, { http: string }> = {};
/** The generated files of the spec without the group, then with it. */
let before: Set<string>;
let after: Set<string>;

function meshYaml(grouped: boolean): string {
  return [
    'mesh: duo',
    'version: 1.0.0',
    'types:',
    '  Seen:',
    '    fields:',
    '      caller: { type: string, field: 1 }',
    '      pid: { type: integer, field: 2 }',
    ...(grouped ? ['deploy:', '  groups:', '    core: { services: [users, front] }'] : []),
    '',
  ].join('\n');
}

/** A service whose `ask` endpoint returns what users saw of the call (`calls`), or users itself. */
function serviceYaml(name: string, port: number, path: string, calls: boolean): string {
  return [
    `service: ${name}`,
    `ports: { http: ${port} }`,
    ...(calls ? ['calls:', '  users: { transport: http }'] : []),
    'endpoints:',
    `  ${calls ? 'ask' : 'whoIsCalling'}:`,
    `    http: GET ${path}`,
    '    output: Seen',
    '',
  ].join('\n');
}

const usersHooks = `import type { UsersHandlers } from '../generated/users/handlers.js';

export const handlers: UsersHandlers = {
  async whoIsCalling(_input, ctx) {
    return { caller: ctx.caller?.service ?? 'none', pid: process.pid };
  },
};
`;

const askingHooks = (service: string, type: string) => `import type { ${type}Handlers } from '../generated/${service}/handlers.js';

export const handlers: ${type}Handlers = {
  async ask(_input, ctx) {
    return ctx.clients.users.whoIsCalling({});
  },
};
`;

async function writeSpec(grouped: boolean, ports: number[]): Promise<void> {
  const [users, front, outside] = ports as [number, number, number];
  await writeFile(project.file('spec/mesh.yaml'), meshYaml(grouped));
  await writeFile(project.file('spec/services/users.yaml'), serviceYaml('users', users, '/whoami', false));
  await writeFile(project.file('spec/services/front.yaml'), serviceYaml('front', front, '/ask', true));
  await writeFile(project.file('spec/services/outside.yaml'), serviceYaml('outside', outside, '/outside/ask', true));
}

async function generateIn(): Promise<Awaited<ReturnType<typeof generate>>> {
  const result = await generate({ root: project.root, specDir: 'spec', outDir: 'generated', hooksDir: 'hooks', check: false });
  if (!result.ok) throw new Error(`the spec does not compile: ${JSON.stringify(result.diagnostics)}`);
  return result;
}

/** The JSON log lines of a child (pino writes one object per line). */
function logLines(child: Child): Record<string, unknown>[] {
  return child.output().split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** The access-log lines `service` wrote in `child` for `requestId`. */
function requestsOf(child: Child, service: string, requestId: string): Record<string, unknown>[] {
  return logLines(child).filter((l) => l['msg'] === 'request' && l['service'] === service && l['requestId'] === requestId);
}

beforeAll(async () => {
  project = await tempProject('groups', []);
  await mkdir(project.file('spec/services'), { recursive: true });
  await mkdir(project.file('hooks'), { recursive: true });
  await writeFile(project.file('hooks/users.ts'), usersHooks);
  await writeFile(project.file('hooks/front.ts'), askingHooks('front', 'Front'));
  await writeFile(project.file('hooks/outside.ts'), askingHooks('outside', 'Outside'));
  const ports = await freePorts(3);

  await writeSpec(false, ports);
  await generateIn();
  before = new Set((await project.snapshot('generated')).keys());
  await writeSpec(true, ports);
  const { model } = (await generateIn()) as { model: Parameters<typeof groupsOf>[0] };
  after = new Set((await project.snapshot('generated')).keys());

  const plan = planProcesses({ ...model, groups: groupsOf(model) }, { ports: specPorts(model), bus: { kind: 'redis', url: BROKER_URLS.redis, namespace } });
  planned = [...plan.services];
  urls = plan.urls;
  // Co-location is the default; set here so that an MESH_COLOCATE=off in the shell cannot change the test.
  children = planned.map((p) => start(['--import', 'tsx', p.entry], { ...p.env, MESH_COLOCATE: 'on' }, project.root));
  const output = () => children.map((c, i) => `--- ${planned[i]!.name}\n${c.output()}`).join('\n');
  try {
    await eventually(async () => {
      const exited = children.findIndex((c) => c.process.exitCode !== null);
      if (exited !== -1) throw new Error(`${planned[exited]!.name} exited before it was ready`);
      const answers = await Promise.all(planned.map((p) => http(p.readyUrl, { timeoutMs: 2000 }).then((r) => r.status, () => 0)));
      return answers.every((status) => status === 200);
    }, START_MS);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${output()}`, { cause: err });
  }
}, START_MS + 30_000);

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop('SIGKILL')));
  await deleteBusNamespace('redis', namespace, ['front', 'outside', 'users']);
  await project?.remove();
});

describe('a group of services from generated code', () => {
  it('replaces the members\' own entry points and manifests with the group\'s, and the writer removes the old ones', () => {
    for (const file of ['generated/users/main.ts', 'generated/front/main.ts', 'generated/k8s/base/users.yaml', 'generated/k8s/base/front.yaml']) {
      expect(before.has(file), file).toBe(true);
      expect(after.has(file), file).toBe(false);
      expect(existsSync(project.file(file)), file).toBe(false);
    }
    expect(before.has('generated/core/main.ts')).toBe(false);
    expect(after.has('generated/core/main.ts')).toBe(true);
    expect(after.has('generated/k8s/base/core.yaml')).toBe(true);
    // The ungrouped service and the members' other modules stay.
    expect(after.has('generated/outside/main.ts')).toBe(true);
    expect(after.has('generated/users/host.ts')).toBe(true);
  });

  it('plans one process for the group and one for the service on its own', () => {
    expect(planned.map((p) => [p.name, p.entry])).toEqual([
      ['outside', 'generated/outside/main.ts'],
      ['core', 'generated/core/main.ts'],
    ]);
  });

  it('keeps a call between the group\'s services in the process: no HTTP request reaches users', async () => {
    const res = await fetch(`${urls['front']!.http}/ask`, { headers: { 'x-request-id': 'group-inside' }, signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    const seen = (await res.json()) as { caller: string; pid: number };
    const core = children[1]!;
    expect(seen).toEqual({ caller: 'front', pid: core.process.pid });
    // front logged its own request; users' hook ran without one (co-located registry).
    await eventually(async () => requestsOf(core, 'front', 'group-inside').length === 1);
    expect(requestsOf(core, 'users', 'group-inside')).toEqual([]);
  });

  it('serves a call from a service outside the group over HTTP, in the group\'s process', async () => {
    const res = await fetch(`${urls['outside']!.http}/outside/ask`, { headers: { 'x-request-id': 'group-outside' }, signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    const seen = (await res.json()) as { caller: string; pid: number };
    const [outside, core] = children as [Child, Child];
    expect(seen).toEqual({ caller: 'outside', pid: core.process.pid });
    expect(seen.pid).not.toBe(outside.process.pid);
    await eventually(async () => requestsOf(core, 'users', 'group-outside').length === 1);
    expect(requestsOf(core, 'users', 'group-outside')[0]).toMatchObject({ path: '/whoami', status: 200 });
  });

  it('refuses `meshspec dev --processes --free-ports` for a spec with groups, naming the group (exit 2)', async () => {
    const dev = meshspecIn(project.root, 'dev', '--processes', '--free-ports');
    expect(await dev.exited).toBe(2);
    expect(dev.output()).toContain("--free-ports cannot move the services of group 'core' (front, users)");
  });
});
