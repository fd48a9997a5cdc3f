import { describe, expect, it } from 'vitest';
import { emitTypeScript } from '../../../generator/emit/typescript/index.js';
import { fixtureModel } from './fixture.js';
import { defaultLayout } from '../../../generator/naming/index.js';

const options = { layout: defaultLayout };

describe('emitTypeScript', () => {
  it('lays out the mesh-wide files and seven files per service', () => {
    expect(emitTypeScript(fixtureModel(), options).map((f) => f.path)).toEqual([
      'schemas.ts',
      'types.ts',
      'events.ts',
      'stack.ts',
      'main.ts',
      'orders/types.ts',
      'orders/definition.ts',
      'orders/errors.ts',
      'orders/handlers.ts',
      'orders/client.ts',
      'orders/host.ts',
      'orders/main.ts',
      'users/types.ts',
      'users/definition.ts',
      'users/errors.ts',
      'users/handlers.ts',
      'users/client.ts',
      'users/host.ts',
      'users/main.ts',
    ]);
  });

  it('is deterministic: the same model gives byte-identical files', () => {
    expect(emitTypeScript(fixtureModel(), options)).toEqual(emitTypeScript(fixtureModel(), options));
  });

  it('names the spec files each file derives from: a service its own, the mesh and its callees', () => {
    const files = emitTypeScript(fixtureModel(), options);
    const sources = (path: string) => files.find((f) => f.path === path)?.sources;
    expect(sources('types.ts')).toEqual(['mesh.yaml']);
    expect(sources('orders/types.ts')).toEqual(['mesh.yaml', 'services/orders.yaml']);
    expect(sources('users/client.ts')).toEqual(['mesh.yaml', 'services/users.yaml']);
    expect(sources('orders/host.ts')).toEqual(['mesh.yaml', 'services/orders.yaml', 'services/users.yaml']);
  });

  it('leaves headers to the writer and ends every file with exactly one newline', () => {
    for (const file of emitTypeScript(fixtureModel(), options)) {
      expect(file.content, file.path).not.toMatch(/Code generated|DO NOT EDIT/);
      expect(file.content, file.path).toMatch(/[^\n]\n$/);
      expect(file.content, file.path).not.toMatch(/\n\n\n/);
      expect(file.content, file.path).not.toMatch(/[ \t]$/m);
    }
  });

  it('does not mutate the model', () => {
    const model = fixtureModel();
    model.types.reverse();
    const before = JSON.stringify(model);
    emitTypeScript(model, options);
    expect(JSON.stringify(model)).toBe(before);
  });
});
