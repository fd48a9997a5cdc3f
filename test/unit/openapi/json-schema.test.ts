import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { fieldToJsonSchema, schemaRegistry, typeRefToJsonSchema, typeToJsonSchema } from '../../../generator/model/json-schema.js';
import type { FieldModel, TypeModel } from '../../../generator/model/types.js';
import { meshModel, types } from './fixture.js';
import { addStringFormats } from '../../../runtime/validation/formats.js';

const defs = (name: string) => `#/$defs/${name}`;

function typeNamed(name: string): TypeModel {
  const type = types.find((t) => t.name === name);
  if (!type) throw new Error(`fixture has no type ${name}`);
  return type;
}

describe('typeRefToJsonSchema', () => {
  it('maps primitives, references, arrays and maps', () => {
    expect(typeRefToJsonSchema({ kind: 'primitive', name: 'integer' }, defs)).toEqual({ type: 'integer' });
    expect(typeRefToJsonSchema({ kind: 'ref', name: 'User' }, defs)).toEqual({ $ref: '#/$defs/User' });
    expect(typeRefToJsonSchema({ kind: 'array', items: { kind: 'ref', name: 'User' } }, (name) => `#/components/schemas/${name}`)).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/User' },
    });
    expect(
      typeRefToJsonSchema({ kind: 'map', values: { kind: 'array', items: { kind: 'primitive', name: 'boolean' } } }, defs),
    ).toEqual({ type: 'object', additionalProperties: { type: 'array', items: { type: 'boolean' } } });
  });
});

describe('typeToJsonSchema', () => {
  it('maps an enum to a string enum in declared order', () => {
    expect(typeToJsonSchema(typeNamed('UserRole'), defs)).toEqual({ type: 'string', enum: ['admin', 'member'] });
  });

  it('maps a record to a closed object; item counts on the array, value constraints on its items', () => {
    expect(typeToJsonSchema(typeNamed('ListUsersQuery'), defs)).toEqual({
      type: 'object',
      properties: {
        role: { $ref: '#/$defs/UserRole' },
        limit: { type: 'integer', minimum: 1, maximum: 100 },
        tags: { type: 'array', items: { type: 'string', maxLength: 20 }, minItems: 1, maxItems: 5 },
      },
      required: ['tags'],
      additionalProperties: false,
    });
  });

  it('omits `required` when every field is optional, and keeps descriptions', () => {
    const ping = typeNamed('PingInput');
    const schema = typeToJsonSchema({ ...ping, description: 'Nothing.' }, defs);
    expect(schema).toEqual({ type: 'object', description: 'Nothing.', properties: {}, additionalProperties: false });
  });

  it('carries a field example as `examples`, on the array itself for a list', () => {
    const tags: FieldModel = {
      name: 'tags',
      number: 1,
      optional: false,
      type: { kind: 'array', items: { kind: 'primitive', name: 'string' } },
      constraints: { maxItems: 3, maxLength: 5 },
      example: ['new'],
    };
    expect(fieldToJsonSchema(tags, defs)).toEqual({ type: 'array', items: { type: 'string', maxLength: 5 }, maxItems: 3, examples: [['new']] });
    expect(typeToJsonSchema(typeNamed('User'), defs).properties?.role).toEqual({
      $ref: '#/$defs/UserRole',
      description: 'What the user may do.',
      examples: ['admin'],
    });
  });

  it('produces schemas a 2020-12 validator compiles and enforces', () => {
    const ajv = new Ajv2020({ strict: true });
    addStringFormats(ajv);
    const $defs = Object.fromEntries(types.map((t) => [t.name, typeToJsonSchema(t, defs)]));
    const validate = ajv.compile({ $defs, $ref: '#/$defs/User' });
    const user = { id: '0b4c6a55-5b3e-4f57-9a0b-3f0f7d7c2d11', role: 'admin', labels: { a: 'b' } };
    expect(validate(user)).toBe(true);
    expect(validate({ ...user, address: { city: 'Oslo' } })).toBe(true);
    expect(validate({ ...user, role: 'root' })).toBe(false);
    expect(validate({ ...user, id: 'not-a-uuid' })).toBe(false);
    expect(validate({ ...user, extra: 1 })).toBe(false);
    expect(validate({ id: user.id, role: 'admin' })).toBe(false);
    expect(validate({ ...user, labels: { a: 1 } })).toBe(false);
  });
});

describe('schemaRegistry', () => {
  it('keys every type by scope, references resolved in the scope of the type using them', () => {
    const registry = schemaRegistry(meshModel());
    expect(registry.$id).toBe('meshspec:shop');
    expect(Object.keys(registry.$defs)).toEqual([...types].map((t) => (t.owner === null ? t.name : `${t.owner}.${t.name}`)).sort());
    expect(registry.$defs['users.User']?.properties?.address).toEqual({ $ref: '#/$defs/Address' });
    expect(registry.$defs['users.User']?.properties?.role).toMatchObject({ $ref: '#/$defs/users.UserRole' });
  });
});
