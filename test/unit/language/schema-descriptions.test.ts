// Editors show the schema's `description` when the user hovers a key or picks a completion
// (yaml-language-server, test/integration/editor/). Every key a spec can hold, and every entry of a
// map keyed by the user's names (an endpoint, a type, a field, an event, an error), needs one.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/project.js';

interface Schema {
  $ref?: string;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  $defs?: Record<string, Schema>;
}

const schema = JSON.parse(
  readFileSync(path.join(repoRoot, 'generator/language/schema/meshspec.schema.json'), 'utf8'),
) as Schema;

function definition(ref: string): Schema {
  const name = ref.replace('#/$defs/', '');
  const found = schema.$defs?.[name];
  if (!found) throw new Error(`no definition ${ref}`);
  return found;
}

/** The description an editor shows for `node`: its own, else the one of the definition it refers to. */
function descriptionOf(node: Schema): string | undefined {
  return node.description ?? (node.$ref ? definition(node.$ref).description : undefined);
}

/** Every place a user hovers, by a readable path (`serviceFile.endpoints.<entry>.http`), with its schema. */
function hoverable(): Map<string, Schema> {
  const found = new Map<string, Schema>();
  const visited = new Set<string>();
  const walk = (node: Schema, where: string) => {
    if (node.$ref) {
      if (visited.has(node.$ref)) return;
      visited.add(node.$ref);
      walk(definition(node.$ref), node.$ref.replace('#/$defs/', ''));
      return;
    }
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      found.set(`${where}.${key}`, child);
      walk(child, `${where}.${key}`);
    }
    if (typeof node.additionalProperties === 'object') {
      found.set(`${where}.<entry>`, node.additionalProperties);
      walk(node.additionalProperties, `${where}.<entry>`);
    }
    if (node.items) walk(node.items, `${where}[]`);
  };
  walk({ $ref: '#/$defs/meshFile' }, 'meshFile');
  walk({ $ref: '#/$defs/serviceFile' }, 'serviceFile');
  return found;
}

describe('the schema describes every key for editors', () => {
  const places = hoverable();

  it('reaches the keys of the mesh, service, endpoint, type, field, event and gateway', () => {
    for (const place of [
      'meshFile.mesh',
      'meshFile.events.<entry>.payload',
      'meshFile.gateway.routes[].prefix',
      'serviceFile.endpoints.<entry>',
      'endpoint.http',
      'types.<entry>',
      'typeDecl.fields.<entry>',
      'field.format',
    ]) {
      expect(places.has(place), place).toBe(true);
    }
  });

  it('gives each a description', () => {
    const missing = [...places].filter(([, node]) => !descriptionOf(node)?.trim()).map(([where]) => where);
    expect(missing).toEqual([]);
  });
});
