// `deploy.groups`, from spec to model and TypeScript output: groups and their members sorted whatever
// the spec's order, the group's own deploy keys with defaults, one environment of the group's and the
// members' variables, and an entry point per group in place of the members' own.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitTypeScript } from '../../../generator/emit/typescript/index.js';
import { groupOf, groupsOf } from '../../../generator/model/lookup.js';
import type { MeshModel } from '../../../generator/model/types.js';
import { defaultLayout } from '../../../generator/naming/index.js';
import { compileSpec } from '../../../generator/pipeline.js';

let root: string;
let model: MeshModel;

const service = (name: string, port: number, deploy = '') =>
  `service: ${name}\nports: { http: ${port} }\nendpoints:\n  get${name}:\n    http: GET /${name}\n${deploy}`;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'meshspec-groups-'));
  await mkdir(path.join(root, 'spec/services'), { recursive: true });
  await writeFile(path.join(root, 'spec/mesh.yaml'), [
    'mesh: shop',
    'version: 2.0.0',
    'deploy:',
    '  registry: ghcr.io/acme',
    '  groups:',
    '    zeta: { services: [users, orders], env: { REGION: eu }, secrets: { DB: shop-db/url } }',
    '    alpha: { services: [stock, audit], image: ghcr.io/acme/alpha:edge, replicas: 3 }',
    '',
  ].join('\n'));
  await writeFile(path.join(root, 'spec/services/users.yaml'), service('users', 3001, 'deploy:\n  env: { REGION: eu, CACHE: 10 }\n  secrets: { TOKEN: users-token/value }\n'));
  await writeFile(path.join(root, 'spec/services/orders.yaml'), service('orders', 3002, 'deploy:\n  env: { AUDIT: "on" }\n'));
  await writeFile(path.join(root, 'spec/services/stock.yaml'), service('stock', 3003));
  await writeFile(path.join(root, 'spec/services/audit.yaml'), service('audit', 3004));
  await writeFile(path.join(root, 'spec/services/mail.yaml'), service('mail', 3005));
  const compiled = await compileSpec('spec', root);
  if (!compiled.model) throw new Error(JSON.stringify(compiled.diagnostics));
  model = compiled.model;
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('groups in the model', () => {
  it('sorts the groups and their services by name', () => {
    expect(groupsOf(model).map((g) => [g.name, g.services])).toEqual([
      ['alpha', ['audit', 'stock']],
      ['zeta', ['orders', 'users']],
    ]);
    expect(groupOf(model, 'users')?.name).toBe('zeta');
    expect(groupOf(model, 'mail')).toBeNull();
  });

  it('takes the group\'s deploy keys, with the image named after the group by default', () => {
    const [alpha, zeta] = groupsOf(model) as [NonNullable<MeshModel['groups']>[number], NonNullable<MeshModel['groups']>[number]];
    expect(alpha.deploy).toMatchObject({ image: 'ghcr.io/acme/alpha:edge', replicas: 3 });
    expect(zeta.deploy).toMatchObject({ image: 'ghcr.io/acme/zeta:2.0.0', replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' } } });
  });

  it('merges the group\'s variables and secrets with every member\'s, sorted', () => {
    const zeta = groupsOf(model)[1]!;
    expect(zeta.deploy.env).toEqual([
      { name: 'AUDIT', value: 'on' },
      { name: 'CACHE', value: '10' },
      { name: 'REGION', value: 'eu' },
    ]);
    expect(zeta.deploy.secrets).toEqual([
      { env: 'DB', secret: 'shop-db', key: 'url' },
      { env: 'TOKEN', secret: 'users-token', key: 'value' },
    ]);
  });

  it('has no groups key when the spec has none, so the model of an ungrouped spec is unchanged', async () => {
    await writeFile(path.join(root, 'spec/mesh.yaml'), 'mesh: shop\nversion: 2.0.0\n');
    const compiled = await compileSpec('spec', root);
    expect(compiled.model).not.toBeNull();
    expect(compiled.model && 'groups' in compiled.model).toBe(false);
  });
});

describe('groups in the TypeScript output', () => {
  it('writes a main.ts per group and per ungrouped service only', () => {
    const mains = emitTypeScript(model, { layout: defaultLayout }).map((f) => f.path).filter((p) => p.endsWith('/main.ts')).sort();
    expect(mains).toEqual(['alpha/main.ts', 'mail/main.ts', 'zeta/main.ts']);
  });

  it('runs the group\'s hosts in the group\'s order from its entry point', () => {
    const main = emitTypeScript(model, { layout: defaultLayout }).find((f) => f.path === 'zeta/main.ts')!;
    expect(main.content).toContain("import { ordersHost } from '../orders/host.js';\nimport { usersHost } from '../users/host.js';\n");
    expect(main.content).toContain('await runServices([ordersHost(), usersHost()], {\n');
    expect(main.sources).toEqual(['spec/mesh.yaml', 'spec/services/orders.yaml', 'spec/services/users.yaml']);
  });
});
