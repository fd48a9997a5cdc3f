// The package as a new user meets it: `npm pack`, installed with npm into an empty folder outside
// this repository; then `meshspec init`, the project's own scripts, `meshspec dev` answering through
// the gateway, and a spec change that brings a stub. Alongside, in a second folder, the same with
// `init --example shop` and the README's tour. Nothing resolves to this repository's sources: the
// projects see only the tarball.
import { existsSync } from 'node:fs';
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type Child } from '../support/processes.js';
import { command, emptyFolder, packTarball } from '../support/package.js';

let tarball: { file: string; bytes: number; files: string[] };
const folders: string[] = [];
const children: Child[] = [];
/** The shop project, prepared alongside the starter (the two share nothing but the tarball); its describe awaits it. */
let shopReady: Promise<{ gateway: string; token: string; dashboard: string }>;

beforeAll(async () => {
  tarball = await packTarball();
  // Most of this file's time is npm installing and tools starting, much of it waiting on the disk:
  // the shop's install, init, test and dev run while the starter's tests do.
  shopReady = preparedShop();
  shopReady.catch(() => undefined); // its describe's beforeAll reports the failure
}, 120_000);

afterAll(async () => {
  await shopReady?.catch(() => undefined); // so that no child starts after the cleanup
  await Promise.all(children.map((c) => c.stop('SIGTERM')));
  const made = tarball ? [path.dirname(tarball.file), ...folders] : folders;
  await Promise.all(made.map((f) => rm(f, { recursive: true, force: true })));
});

/** An empty folder outside the repository with the tarball installed, as `npm install <tarball>` leaves it. */
async function installedInto(name: string): Promise<string> {
  const folder = await emptyFolder(name);
  folders.push(folder);
  const installed = await command(folder, 'npm', ['install', tarball.file]);
  expect(installed.output).not.toMatch(/npm error/);
  expect(installed.code).toBe(0);
  return folder;
}

const meshspec = (folder: string, ...args: string[]) => command(folder, path.join(folder, 'node_modules/.bin/meshspec'), args);
const npm = (folder: string, ...args: string[]) => command(folder, 'npm', args);

/** `meshspec dev --free-ports` in `folder`, ready: the gateway's and the dashboard's URLs from its banner. */
async function dev(folder: string): Promise<{ child: Child; gateway: string; dashboard: string }> {
  const child = start([path.join(folder, 'node_modules/.bin/meshspec'), 'dev', '--free-ports'], {}, folder);
  children.push(child);
  await child.waitFor(/Ctrl-C to stop/, 90_000);
  const gateway = /^\s+gateway\s+(http:\/\/\S+)/m.exec(child.output())?.[1];
  expect(gateway).toBeTruthy();
  const dashboard = /^\s+dashboard\s+(http:\/\/\S+)/m.exec(child.output())?.[1];
  expect(dashboard).toBeTruthy();
  return { child, gateway: gateway!, dashboard: dashboard! };
}

/**
 * The shop from the tarball: `init --example shop`, its own `npm test` passing, and `meshspec dev`
 * serving it: the gateway's URL, and the development token dev prints (the README tour calls with it).
 */
async function preparedShop(): Promise<{ gateway: string; token: string; dashboard: string }> {
  const folder = await installedInto('shop');
  const init = await meshspec(folder, 'init', '--example', 'shop');
  expect(init.code).toBe(0);
  const test = await npm(folder, 'test');
  expect(test.code).toBe(0);
  const { child, gateway, dashboard } = await dev(folder);
  await child.waitFor(/development token \(expires in 12h\): \S+/, 10_000);
  const token = /development token \(expires in 12h\): (\S+)/.exec(child.output())?.[1];
  expect(token).toBeTruthy();
  return { gateway, token: token!, dashboard };
}

async function json(url: string, body?: unknown, token?: string): Promise<{ status: number; body: any }> {
  const headers = { ...(token !== undefined && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) };
  const response = await fetch(url, body === undefined ? { headers } : { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('the tarball', () => {
  it('ships the command, the built runtime with declarations and the example, and no TypeScript sources', () => {
    const files = tarball.files;
    expect(files).toContain('bin/meshspec.js');
    expect(files).toContain('dist/meshspec.schema.json');
    for (const feature of ['', '/host', '/http', '/grpc', '/gateway', '/bus', '/dev', '/validation', '/logging', '/discovery']) {
      expect(files).toContain(`dist/runtime${feature}/index.js`);
      expect(files).toContain(`dist/runtime${feature}/index.d.ts`);
    }
    expect(files).toContain('spec/mesh.yaml');
    expect(files).toContain('hooks/orders.ts');
    // TypeScript only as declarations, and the example's hooks a user copies with init --example.
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('hooks/'))).toEqual([]);
    expect(files.some((f) => f.startsWith('test/') || f.startsWith('bench/') || f.startsWith('generated/'))).toBe(false);
  });
});

describe('a new project from the tarball: meshspec init', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await installedInto('starter');
  }, 180_000);

  it('scaffolds, installs and generates', async () => {
    const init = await meshspec(folder, 'init');
    expect(init.output).not.toMatch(/\n\s+at /); // no stack trace
    expect(init.code).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(folder, 'package.json'), 'utf8'));
    // The tarball the user installed stays the dependency; init added its scripts and tools.
    expect(manifest.dependencies.meshspec).toMatch(/^file:/);
    expect(Object.keys(manifest.scripts)).toEqual(expect.arrayContaining(['dev', 'generate', 'test', 'build']));
    expect(manifest.type).toBe('module');
    expect(await readFile(path.join(folder, 'spec/services/greeter.yaml'), 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/\.\.\/node_modules\/meshspec\/dist\/meshspec\.schema\.json\n/,
    );
  }, 240_000);

  it('runs the project\'s own npm scripts: generate, and test (type-check, generate --check, its tests)', async () => {
    const generate = await npm(folder, 'run', 'generate');
    expect(generate.code).toBe(0);
    const test = await npm(folder, 'test');
    expect(test.output).toMatch(/Tests +\d+ passed/);
    expect(test.code).toBe(0);
  }, 240_000);

  it('type-checks against the package\'s declarations under the strictest settings, libraries included', async () => {
    const tsc = path.join(folder, 'node_modules/typescript/bin/tsc');
    // One compilation: --listFiles prints the program's files, one path a line, and any diagnostic besides.
    const strict = await command(folder, process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.json', '--skipLibCheck', 'false', '--listFiles']);
    const listed = strict.output.split('\n').filter((line) => line !== '');
    expect(listed.filter((line) => !existsSync(line)), 'tsc printed more than the files it compiled').toEqual([]);
    expect(strict.code).toBe(0);
    // meshspec arrives as declarations: no runtime source is compiled by the consumer.
    expect(listed.filter((f) => f.includes('node_modules/meshspec/'))).not.toEqual([]);
    expect(listed.filter((f) => f.includes('node_modules/meshspec/') && !f.endsWith('.d.ts'))).toEqual([]);
  }, 120_000);

  it('answers the starter endpoint through the gateway, and a new endpoint in the spec brings its stub', async () => {
    const { child, gateway } = await dev(folder);
    const hello = await json(`${gateway}/api/v1/greetings/Ada`);
    expect(hello).toEqual({ status: 200, body: { message: 'Hello, Ada!' } });
    expect(await child.stop('SIGINT')).toBe(0);

    await appendFile(
      path.join(folder, 'spec/services/greeter.yaml'),
      '  farewell:\n    http: GET /greetings/{name}/farewell\n    output: Greeting\n',
    );
    const regenerate = await npm(folder, 'run', 'generate');
    expect(regenerate.output).toMatch(/farewell/);
    expect(regenerate.code).toBe(0);
    const hook = await readFile(path.join(folder, 'hooks/greeter.ts'), 'utf8');
    expect(hook).toMatch(/farewell\(/);
    expect(hook).toMatch(/NotImplemented/);
    const typecheck = await npm(folder, 'run', 'typecheck');
    expect(typecheck.code).toBe(0);

    const again = await dev(folder);
    expect((await json(`${again.gateway}/api/v1/greetings/Ada`)).status).toBe(200);
    const stub = await json(`${again.gateway}/api/v1/greetings/Ada/farewell`);
    expect(stub.status).toBe(501);
    expect(stub.body.error.code).toBe('NotImplemented');
  }, 240_000);
  it('reports a mistake in the spec at its place, with a suggestion, and writes nothing', async () => {
    const file = path.join(folder, 'spec/services/greeter.yaml');
    const spec = await readFile(file, 'utf8');
    // The built package judges passing documents with validators compiled ahead of time; a failing
    // one must still be explained as from the sources.
    await writeFile(file, spec.replace('description:', 'descripton:'));
    const before = await readFile(path.join(folder, 'generated/greeter/types.ts'), 'utf8');
    const generate = await meshspec(folder, 'generate');
    expect(generate.code).toBe(1);
    expect(generate.output).toMatch(/spec\/services\/greeter\.yaml:\d+:\d+: error .*descripton.*description/);
    expect(generate.output).not.toMatch(/\n\s+at /);
    expect(await readFile(path.join(folder, 'generated/greeter/types.ts'), 'utf8')).toBe(before);
    await writeFile(file, spec);
  });
});

describe('the example shop from the tarball: meshspec init --example shop, and the README tour', () => {
  let gateway: string;
  let token: string;
  let dashboard: string;
  beforeAll(async () => {
    ({ gateway, token, dashboard } = await shopReady);
  }, 420_000);

  it('serves the dashboard from the installed package: its page, its scripts and its data API', async () => {
    const page = await fetch(`${dashboard}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    // Every script and stylesheet the page names is in the package (dist/), none from elsewhere.
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset, 'no asset from another host').not.toMatch(/^(https?:)?\/\//);
      expect((await fetch(new URL(asset, `${dashboard}/`))).status, asset).toBe(200);
    }
    const catalog = await json(`${dashboard}/api/catalog`);
    expect(catalog.status).toBe(200);
    expect(catalog.body.services.map((s: { name: string }) => s.name).sort()).toEqual(['inventory', 'orders', 'payments', 'users']);
  });

  it('creates a user, orders (over HTTP and gRPC), pays, and the order is confirmed by an event', async () => {
    // Without the token dev printed, only the catalogue answers.
    expect((await json(`${gateway}/api/v1/orders`)).status).toBe(401);
    const user = await json(`${gateway}/api/v1/users`, { email: 'ada@example.com', name: 'Ada' }, token);
    expect(user.status).toBe(201);
    const products = await json(`${gateway}/api/v1/products`);
    expect(products.body.map((p: { id: string }) => p.id)).toContain('sku-keyboard');
    const order = await json(`${gateway}/api/v1/orders`, { userId: user.body.id, items: [{ productId: 'sku-keyboard', quantity: 1 }] }, token);
    expect(order.status).toBe(201);
    expect(order.body.status).toBe('pending');
    const payment = await json(`${gateway}/api/v1/payments`, { orderId: order.body.id, amount: order.body.totalAmount, cardToken: 'tok_visa' }, token);
    expect(payment.status).toBe(201);
    let status = '';
    for (let i = 0; i < 100 && status !== 'confirmed'; i++) {
      status = (await json(`${gateway}/api/v1/orders/${order.body.id}`, undefined, token)).body.status;
      if (status !== 'confirmed') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe('confirmed');
    const invalid = await json(`${gateway}/api/v1/users`, { email: 'nope' }, token);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('ValidationFailed');
  });
});
