// Known failure 11 of issue #5: type names were global across the mesh, so a 100-service spec where
// every service declares its own `Item` and `CreateItem` (as teams do) gave 1,089 errors. A service's
// types are its own: the spec validates, and every generated file keeps the services apart.
import { mkdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitAll } from '../../../generator/emit/index.js';
import { compileSpec } from '../../../generator/pipeline.js';
import type { MeshModel } from '../../../generator/model/types.js';
import { tempProject, type TempProject } from '../../support/project.js';
import { defaultLayout } from '../../../generator/naming/index.js';

const SERVICES = 100;
let project: TempProject;

function serviceFile(i: number): string {
  const calls = i > 0 ? [`calls:`, `  s${i - 1}: { transport: ${i % 2 === 0 ? 'grpc' : 'http'} }`] : [];
  return [
    `service: s${i}`,
    `ports: { http: ${20000 + i}, grpc: ${30000 + i} }`,
    ...calls,
    'types:',
    '  Item:',
    '    fields:',
    '      id: { type: string, field: 1 }',
    '      status: { type: Status, field: 2 }',
    '      kind: { enum: [small, large], field: 3 }',
    '  CreateItem:',
    '    fields:',
    '      name: { type: string, field: 1 }',
    'endpoints:',
    '  createItem: { http: POST /items, input: CreateItem, output: Item }',
    '  getItem: { http: "GET /items/{id}", output: Item, errors: [NotFound] }',
    '',
  ].join('\n');
}

beforeAll(async () => {
  project = await tempProject('many-services', []);
  await mkdir(project.file('spec/services'), { recursive: true });
  await writeFile(project.file('spec/mesh.yaml'), 'mesh: big\nversion: 1.0.0\ntypes:\n  Status:\n    enum: [active, retired]\n');
  for (let i = 0; i < SERVICES; i++) await writeFile(project.file(`spec/services/s${i}.yaml`), serviceFile(i));
});

afterAll(async () => {
  await project.remove();
});

describe(`a mesh of ${SERVICES} services that each declare Item and CreateItem`, () => {
  let model: MeshModel;

  it('validates without a single diagnostic', async () => {
    const result = await compileSpec('spec', project.root);
    expect(result.diagnostics).toEqual([]);
    model = result.model!;
    expect(model.services).toHaveLength(SERVICES);
    expect(model.types.filter((t) => t.name === 'Item').map((t) => t.owner)).toHaveLength(SERVICES);
  });

  it('generates each service its own types module, schema keys, proto package and OpenAPI components', () => {
    const files = new Map(emitAll(model, { layout: defaultLayout }).map((f) => [f.path, f.content]));
    expect(files.get('s7/types.ts')).toContain('export interface Item {');
    expect(files.get('s7/types.ts')).toContain("import type { Status } from '../types.js';");
    expect(files.get('types.ts')).not.toContain('Item');
    const schemas = files.get('schemas.ts')!;
    expect(schemas).toContain("'s7.Item': {");
    expect(schemas).toContain("status: { $ref: '#/$defs/Status' }");
    expect(schemas).toContain("kind: { $ref: '#/$defs/s7.ItemKind' }");
    expect(files.get('proto/big/s7/v1/s7.proto')).toContain('message Item {');
    expect(files.get('proto/big/s7/v1/s7.proto')).toContain('package big.s7.v1;');
    expect(files.get('s8/definition.ts')).toContain("input: 's8.CreateItem'");
    expect(files.get('s8/client.ts')).toContain("import type { CreateItem, GetItemInput, Item } from './types.js';");
    expect(files.get('openapi/s7.openapi.yaml')).toMatch(/\n {4}Item:\n/);
  });
});
