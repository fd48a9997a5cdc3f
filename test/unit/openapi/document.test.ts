import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildOpenApiDocument, emitOpenApi } from '../../../generator/emit/openapi/index.js';
import { collectRefs } from '../../../generator/emit/openapi/schemas.js';
import type { OpenApiDocument } from '../../../generator/emit/openapi/index.js';
import type { FieldModel, TypeModel } from '../../../generator/model/types.js';
import { endpoint, field, meshModel, record, str, types, userId, users } from './fixture.js';
import { defaultLayout } from '../../../generator/naming/index.js';

const model = meshModel();
const doc = buildOpenApiDocument(model, users);
const paths = doc.paths ?? {};
const schemas = doc.components?.schemas ?? {};
// Assembled from the field examples; the optional address from Address's own.
const userExample = { id: userId, role: 'admin', address: { city: 'Oslo' }, labels: { team: 'core' } };

describe('document', () => {
  it('describes the service: info, server, tag', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({ title: 'shop users', version: '1.2.3', description: 'Accounts.' });
    expect(doc.servers?.[0]?.url).toBe('http://localhost:3001');
    expect(doc.tags).toEqual([{ name: 'users', description: 'Accounts.' }]);
  });

  it('has one operation per endpoint, paths sorted, named and tagged after it', () => {
    expect(Object.keys(paths)).toEqual(['/ping', '/users', '/users/{id}']);
    expect(Object.keys(paths['/users/{id}'] ?? {})).toEqual(['get', 'delete', 'patch']);
    const get = paths['/users/{id}']?.get;
    expect(get?.operationId).toBe('getUser');
    expect(get?.summary).toBe('Get user');
    expect(get?.tags).toEqual(['users']);
    expect(paths['/users']?.post?.description).toBe('Signs a user up.');
  });
});

describe('input', () => {
  it('types a path param from the input field, documentation on the parameter', () => {
    expect(paths['/users/{id}']?.get?.parameters).toEqual([
      // Never empty: `/users/` is another resource.
      { name: 'id', in: 'path', required: true, description: 'The user id.', schema: { type: 'string', format: 'uuid', minLength: 1 }, example: userId },
    ]);
  });

  it('puts every field of a query endpoint in the query, required unless optional', () => {
    const list = paths['/users']?.get;
    expect(list?.requestBody).toBeUndefined();
    expect(list?.parameters).toEqual([
      { name: 'role', in: 'query', required: false, schema: { $ref: '#/components/schemas/UserRole' } },
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } },
      {
        name: 'tags',
        in: 'query',
        required: true,
        schema: { type: 'array', items: { type: 'string', maxLength: 20 }, minItems: 1, maxItems: 5 },
      },
    ]);
  });

  it('references the input record as the body when no field travels in the path', () => {
    const create = paths['/users']?.post;
    expect(create?.parameters).toBeUndefined();
    expect(create?.requestBody).toEqual({
      required: true,
      content: {
        'application/json': { schema: { $ref: '#/components/schemas/CreateUser' }, example: { email: 'ada@example.com', name: 'Ada' } },
      },
    });
  });

  it('leaves path fields out of the body, and out of its required list', () => {
    const update = paths['/users/{id}']?.patch;
    expect(update?.parameters?.map((p) => ('in' in p ? `${p.in}:${p.name}` : ''))).toEqual(['path:id']);
    expect(update?.requestBody).toEqual({
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: { name: { type: 'string' }, role: { $ref: '#/components/schemas/UserRole', examples: ['member'] } },
            required: ['role'],
            additionalProperties: false,
          },
          // `id` has no example, but it travels in the path; `name` is optional and has none.
          example: { role: 'member' },
        },
      },
    });
  });

  it('has no body when every input field is a path param', () => {
    expect(paths['/users/{id}']?.delete?.requestBody).toBeUndefined();
    expect(paths['/ping']?.get?.parameters).toBeUndefined();
  });
});

describe('responses', () => {
  it('answers the success status with the output, an array for a list', () => {
    expect(paths['/users']?.post?.responses?.['201']).toEqual({
      description: 'Created',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/User' }, example: userExample } },
      links: {
        deleteUser: { operationId: 'deleteUser', parameters: { id: '$response.body#/id' }, description: "deleteUser with `id` = the returned User's `id`." },
        getUser: { operationId: 'getUser', parameters: { id: '$response.body#/id' }, description: "getUser with `id` = the returned User's `id`." },
        updateUser: { operationId: 'updateUser', parameters: { id: '$response.body#/id' }, description: "updateUser with `id` = the returned User's `id`." },
      },
    });
    expect(paths['/users']?.get?.responses?.['200']).toEqual({
      description: 'OK',
      content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/User' } }, example: [userExample] } },
    });
  });

  it('has no content for 204', () => {
    expect(paths['/users/{id}']?.delete?.responses?.['204']).toEqual({ description: 'No Content' });
  });

  const responsesOf = (path: string, method: 'get' | 'post' | 'patch' | 'delete') => paths[path]?.[method]?.responses ?? {};
  const shared = doc.components?.responses ?? {};

  it('lists every status the runtime sends: routing, body limits and type, unfinished hooks, dependencies, deadlines', () => {
    // A body endpoint: 413 and 415 besides the rest; 409 shared by a built-in and a declared error.
    expect(Object.keys(responsesOf('/users', 'post'))).toEqual(['201', '400', '405', '409', '413', '415', '500', '501', '503', '504']);
    // Path params only: no body to limit or type.
    expect(Object.keys(responsesOf('/users/{id}', 'get'))).toEqual(['200', '400', '404', '405', '500', '501', '503', '504']);
    // Nothing to validate: no 400.
    expect(Object.keys(responsesOf('/ping', 'get'))).toEqual(['204', '405', '500', '501', '503', '504']);
  });

  it('references shared error responses, one per status and code set, named after the codes', () => {
    expect(responsesOf('/users', 'post')['409']).toEqual({ $ref: '#/components/responses/Conflict_EmailTaken' });
    expect(responsesOf('/users', 'post')['400']).toEqual({ $ref: '#/components/responses/BadRequest_ValidationFailed' });
    // A query endpoint without path params cannot receive BadRequest: only validation failures.
    expect(responsesOf('/users', 'get')['400']).toEqual({ $ref: '#/components/responses/ValidationFailed' });
    expect(responsesOf('/users/{id}', 'delete')['404']).toEqual(responsesOf('/users/{id}', 'get')['404']);
    // A plain string path param cannot fail validation: a matched segment is a non-empty string.
    expect(responsesOf('/users/{id}', 'delete')['400']).toEqual({ $ref: '#/components/responses/BadRequest' });
    // A uuid one can.
    expect(responsesOf('/users/{id}', 'get')['400']).toEqual({ $ref: '#/components/responses/BadRequest_ValidationFailed' });
    expect(Object.keys(shared)).toEqual([
      'BadRequest',
      'BadRequest_ValidationFailed',
      'Conflict_EmailTaken',
      'Internal',
      'MethodNotAllowed',
      'NotFound',
      'NotImplemented',
      'PayloadTooLarge',
      'Timeout',
      'Unavailable',
      'UnsupportedMediaType',
      'ValidationFailed',
    ]);
  });

  it('describes each code a shared response carries and narrows the error body to them', () => {
    expect(shared.Conflict_EmailTaken).toEqual({
      description: "Conflict: The request conflicts with the resource's current state.\nEmailTaken: The email is in use.",
      content: {
        'application/json': {
          schema: {
            allOf: [
              { $ref: '#/components/schemas/Error' },
              { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: ['Conflict', 'EmailTaken'] } } } } },
            ],
          },
        },
      },
    });
    expect(shared.PayloadTooLarge?.description).toBe("PayloadTooLarge: The body is larger than the service's limit of 1048576 bytes.");
    expect(shared.Timeout?.description).toContain('x-mesh-deadline');
    expect(shared.BadRequest_ValidationFailed?.description).toMatch(/^BadRequest: .*JSON.*\nValidationFailed: .*details/);
  });

  it('documents the Allow header of a 405', () => {
    expect(shared.MethodNotAllowed).toMatchObject({
      headers: { Allow: { required: true, schema: { type: 'string' } } },
    });
  });

  it('lists the events an endpoint may publish as x-emits', () => {
    expect(paths['/users']?.post?.['x-emits']).toEqual(['user.created']);
    expect(paths['/users']?.get).not.toHaveProperty('x-emits');
  });
});

describe('examples', () => {
  const withFields = (name: string, change: (fields: FieldModel[]) => FieldModel[]): TypeModel[] =>
    types.map((t) => (t.name === name && t.kind === 'record' ? { ...t, fields: change(t.fields) } : t));
  const withoutExample = ({ example: _, ...field }: FieldModel): FieldModel => field;
  const okBody = (d: OpenApiDocument, path: string, method: 'get' | 'post') => {
    const ok = d.paths?.[path]?.[method]?.responses?.[method === 'post' ? '201' : '200'];
    return ok && 'content' in ok ? ok.content?.['application/json'] : undefined;
  };

  it('has no response example when a required field has none', () => {
    const noLabels = withFields('User', (fields) => fields.map((f) => (f.name === 'labels' ? withoutExample(f) : f)));
    const d = buildOpenApiDocument(meshModel({ types: noLabels }), users);
    expect(okBody(d, '/users', 'post')).toEqual({ schema: { $ref: '#/components/schemas/User' } });
  });

  it('leaves out an optional field whose record has no example', () => {
    const noCity = withFields('Address', (fields) => fields.map(withoutExample));
    const d = buildOpenApiDocument(meshModel({ types: noCity }), users);
    expect(okBody(d, '/users', 'post')?.example).toEqual({ id: userId, role: 'admin', labels: { team: 'core' } });
  });

  it('assembles one item for a list of records, unless the list may not have one item', () => {
    const listOf = (constraints: FieldModel['constraints']) =>
      withFields('User', (fields) => [...fields, { name: 'homes', number: 5, optional: false, type: { kind: 'array', items: { kind: 'ref', name: 'Address' } }, constraints }]);
    const one = buildOpenApiDocument(meshModel({ types: listOf({ minItems: 1 }) }), users);
    expect(okBody(one, '/users', 'post')?.example).toMatchObject({ homes: [{ city: 'Oslo' }] });
    const two = buildOpenApiDocument(meshModel({ types: listOf({ minItems: 2 }) }), users);
    expect(okBody(two, '/users', 'post')).not.toHaveProperty('example');
  });

  it('stops at a record that holds itself', () => {
    const recursive = withFields('Address', (fields) => [...fields, { name: 'next', number: 3, optional: true, type: { kind: 'ref', name: 'Address' }, constraints: {} }]);
    const d = buildOpenApiDocument(meshModel({ types: recursive }), users);
    expect(okBody(d, '/users', 'post')?.example).toMatchObject({ address: { city: 'Oslo' } });
    expect(okBody(d, '/users', 'post')?.example).not.toHaveProperty('address.next');
  });
});

describe('links', () => {
  const linksOf = (d: OpenApiDocument, path: string, method: 'get' | 'post', status: string) => {
    const response = d.paths?.[path]?.[method]?.responses?.[status];
    return response && 'links' in response ? Object.fromEntries(Object.entries(response.links ?? {}).map(([k, v]) => [k, 'parameters' in v ? v.parameters : v])) : {};
  };

  it('links a returned record to the operations on it, never to the same operation, never from a list', () => {
    expect(linksOf(doc, '/users/{id}', 'get', '200')).toEqual({ deleteUser: { id: '$response.body#/id' }, updateUser: { id: '$response.body#/id' } });
    expect(linksOf(doc, '/users', 'get', '200')).toEqual({});
  });

  it('feeds `{id}` only from the resource GET returns at that place, `{fooId}` from `fooId` or from the `id` of a `Foo`', () => {
    const sessionInput = record('ListSessionsInput', [field('userId', 1, str)]);
    const roleInput = record('GetByRoleInput', [field('role', 1, str)]);
    const addressInput = record('GetAddressInput', [field('id', 1, str)]);
    const extra = [
      endpoint('listSessions', 'GET /users/{userId}/sessions', 'ListSessionsInput', { inputSynthesized: true, output: { type: 'User', list: true } }),
      // `role` of User is an enum, not the parameter's string: no link.
      endpoint('getByRole', 'GET /roles/{role}', 'GetByRoleInput', { inputSynthesized: true, output: { type: 'User', list: true } }),
      // Another resource's `{id}`: User's id must not feed it.
      endpoint('getAddress', 'GET /addresses/{id}', 'GetAddressInput', { inputSynthesized: true, output: { type: 'Address', list: false } }),
    ];
    const model = meshModel({ types: [...types, sessionInput, roleInput, addressInput], services: [{ ...users, endpoints: [...users.endpoints, ...extra].sort((a, b) => a.name.localeCompare(b.name)) }] });
    const d = buildOpenApiDocument(model, model.services[0]!);
    expect(Object.keys(linksOf(d, '/users', 'post', '201'))).toEqual(['deleteUser', 'getUser', 'listSessions', 'updateUser']);
    expect(linksOf(d, '/users', 'post', '201').listSessions).toEqual({ userId: '$response.body#/id' });
    // The borrowed example of a path param comes from the same rule.
    const getAddress = d.paths?.['/addresses/{id}']?.get?.parameters?.[0];
    expect(getAddress && 'example' in getAddress).toBe(false);
    const getUser = d.paths?.['/users/{id}']?.get?.parameters?.[0];
    expect(getUser && 'example' in getUser ? getUser.example : undefined).toBe(userId);
  });

  it('borrows a path param example from the resource when the input field has none', () => {
    const param = paths['/users/{id}']?.delete?.parameters?.[0];
    expect(param && 'example' in param ? param.example : undefined).toBe(userId);
  });

  it('borrows none that no URL can carry (an empty id is a fine body value, never a path segment)', () => {
    const emptyId = types.map((t) =>
      t.kind === 'record' && t.name === 'User' ? { ...t, fields: t.fields.map((f) => (f.name === 'id' ? { ...f, constraints: {}, example: '' } : f)) } : t,
    );
    const param = buildOpenApiDocument(meshModel({ types: emptyId }), users).paths?.['/users/{id}']?.delete?.parameters?.[0];
    expect(param).toBeDefined();
    expect(param && 'example' in param).toBe(false);
  });
});

describe('components', () => {
  it('holds exactly the types the operations reach, transitively, plus Error, sorted', () => {
    expect(Object.keys(schemas)).toEqual(['Address', 'CreateUser', 'Error', 'User', 'UserRole']);
  });

  it('resolves every $ref', () => {
    for (const name of collectRefs(doc)) expect(schemas, name).toHaveProperty(name);
  });

  it('maps records, enums and maps', () => {
    expect(schemas.UserRole).toEqual({ type: 'string', enum: ['admin', 'member'] });
    expect(schemas.User).toEqual({
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid', examples: [userId] },
        role: { $ref: '#/components/schemas/UserRole', description: 'What the user may do.', examples: ['admin'] },
        address: { $ref: '#/components/schemas/Address' },
        labels: { type: 'object', additionalProperties: { type: 'string' }, examples: [{ team: 'core' }] },
      },
      required: ['id', 'role', 'labels'],
      additionalProperties: false,
    });
  });

  it('describes the runtime error body', () => {
    expect(schemas.Error).toMatchObject({
      required: ['error'],
      properties: { error: { required: ['code', 'message'], properties: { requestId: { type: 'string' } } } },
    });
  });

  it('renames the error body when a spec type is called Error', () => {
    const clash: TypeModel = { kind: 'enum', name: 'Error', owner: null, values: ['x'], inline: false, source: users.source };
    const renamed = buildOpenApiDocument(meshModel({ types: [...types, clash] }), users);
    expect(Object.keys(renamed.components?.schemas ?? {})).toContain('MeshError');
    expect(Object.keys(renamed.components?.schemas ?? {})).not.toContain('Error');
    expect(collectRefs(renamed)).toContain('MeshError');
  });
});

describe('emitOpenApi', () => {
  const files = emitOpenApi(model, { layout: defaultLayout });

  it('writes one YAML document per service, without a header', () => {
    expect(files.map((f) => f.path)).toEqual(['openapi/users.openapi.yaml']);
    expect(files[0]?.sources).toEqual(['spec/mesh.yaml', 'spec/services/users.yaml']);
    expect(files[0]?.content.startsWith('openapi: 3.1.0\n')).toBe(true);
    expect(parse(files[0]?.content ?? '')).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it('is deterministic and uses no YAML anchors', () => {
    expect(emitOpenApi(meshModel(), { layout: defaultLayout })).toEqual(files);
    expect(files[0]?.content).not.toMatch(/[&*]a\d/);
  });
});
