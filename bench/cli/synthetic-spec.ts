// A synthetic mesh of many services for the CLI benchmark (and its tests): each service declares its
// own types, four endpoints (one with a declared error), publishes an event and subscribes to its
// neighbour's; every other one also serves gRPC. Deterministic: the same count gives the same files.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The spec's files (project-relative path -> text) for a mesh of `services` services. */
export function syntheticSpec(services: number): Map<string, string> {
  const files = new Map<string, string>([['spec/mesh.yaml', meshFile(services)]]);
  for (let i = 0; i < services; i++) files.set(`spec/services/s${i}.yaml`, serviceFile(i, services));
  return files;
}

/** Writes the synthetic spec into `root` (its spec/ folder); hooks and generated/ are left to `generate`. */
export async function writeSyntheticSpec(root: string, services: number): Promise<void> {
  for (const [file, text] of syntheticSpec(services)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
}

function meshFile(services: number): string {
  const events = Array.from({ length: services }, (_, i) => `  s${i}.item.created: { payload: ItemCreated, description: An item of s${i} was created. }`);
  const routes = Array.from({ length: services }, (_, i) => `    - { prefix: /api/s${i}, service: s${i}, rewrite: /items }`);
  return [
    'mesh: synthetic',
    'version: 1.0.0',
    `description: ${services} services for the CLI benchmark.`,
    'types:',
    '  Status:',
    '    enum: [active, retired]',
    '  ItemCreated:',
    '    fields:',
    '      itemId: { type: string, format: uuid, field: 1 }',
    '      name: { type: string, field: 2 }',
    'events:',
    ...events,
    'gateway:',
    '  port: 8080',
    '  routes:',
    ...routes,
    '',
  ].join('\n');
}

function serviceFile(i: number, services: number): string {
  const grpc = i % 2 === 0;
  const previous = (i + services - 1) % services;
  const calls = i > 0 ? ['calls:', `  s${i - 1}: { transport: ${(i - 1) % 2 === 0 ? 'grpc' : 'http'} }`] : [];
  return [
    `service: s${i}`,
    `description: Synthetic service number ${i}.`,
    `ports: { http: ${20000 + i}${grpc ? `, grpc: ${30000 + i}` : ''} }`,
    ...calls,
    'types:',
    '  Item:',
    '    fields:',
    '      id: { type: string, format: uuid, field: 1, example: 7d3e2f1a-6b5c-4d8e-9f0a-1b2c3d4e5f60 }',
    '      name: { type: string, minLength: 1, field: 2, example: widget }',
    '      status: { type: Status, field: 3, example: active }',
    '      size: { enum: [small, large], field: 4 }',
    '      price: { type: number, minimum: 0, field: 5, example: 9.5 }',
    '      tags: { type: array, items: string, field: 6 }',
    '  CreateItem:',
    '    fields:',
    '      name: { type: string, minLength: 1, field: 1, example: widget }',
    '      price: { type: number, minimum: 0, field: 2 }',
    '  ListItemsQuery:',
    '    fields:',
    '      status: { type: Status, optional: true, field: 1 }',
    '      limit: { type: integer, minimum: 1, maximum: 100, optional: true, field: 2, example: 20 }',
    'errors:',
    '  ItemRetired: { status: 409, description: The item is retired. }',
    'endpoints:',
    '  createItem:',
    '    http: POST /items',
    '    input: CreateItem',
    '    output: Item',
    `    emits: [s${i}.item.created]`,
    '  getItem: { http: "GET /items/{id}", output: Item, errors: [NotFound] }',
    '  listItems: { http: GET /items, input: ListItemsQuery, output: "Item[]" }',
    '  retireItem: { http: "POST /items/{id}/retire", output: Item, errors: [NotFound, ItemRetired] }',
    `publishes: [s${i}.item.created]`,
    'subscribes:',
    `  s${previous}.item.created: onNeighbourItemCreated`,
    '',
  ].join('\n');
}
