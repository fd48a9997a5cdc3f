// The spec edits of the classification table: each a small edit of the base spec (test/support/diff-spec.ts) with
// every finding it must produce, as `classification code file:line:col` (positions in the new spec).
const U = 'services/users.yaml';
const M = 'mesh.yaml';

export interface DiffCase {
  name: string;
  edits: [file: string, from: string, to: string][];
  findings: string[];
  /** Text the hint of the first finding holds. */
  hint?: string;
}

export const cases: DiffCase[] = [
  { name: 'nothing changed', edits: [], findings: [] },
  {
    name: 'endpoint added',
    edits: [[U, '  getUser:\n', '  listUsers:\n    http: GET /users\n    output: User[]\n  getUser:\n']],
    findings: ['safe endpoint-added services/users.yaml:27:3'],
  },
  { name: 'endpoint removed', edits: [[U, '  getUser:\n    http: GET /users/{id}\n    output: User\n    errors: [NotFound]\n', '']], findings: ['breaking endpoint-removed services/users.yaml:20:1'] },
  {
    name: 'route methods narrowed',
    edits: [[M, '{ prefix: /api/users, service: users, rewrite: /users }', '{ prefix: /api/users, service: users, rewrite: /users, methods: [GET, POST] }']],
    findings: ['breaking route-methods-narrowed mesh.yaml:20:7'],
  },
  { name: 'endpoint renamed', edits: [[U, '  getUser:', '  fetchUser:']], findings: ['breaking endpoint-renamed services/users.yaml:27:3'], hint: 'a removal plus an addition' },
  { name: 'HTTP method changed', edits: [[U, 'POST /users', 'PUT /users']], findings: ['breaking http-method-changed services/users.yaml:22:5', 'breaking success-status-changed services/users.yaml:22:5'] },
  { name: 'HTTP path changed', edits: [[U, 'POST /users', 'POST /accounts']], findings: ['breaking http-path-changed services/users.yaml:22:5'] },
  { name: 'path parameter renamed', edits: [[U, 'GET /users/{id}', 'GET /users/{userId}']], findings: ['warning path-param-renamed services/users.yaml:28:5'] },
  { name: 'success status changed', edits: [[U, '    input: CreateUser\n', '    input: CreateUser\n    status: 200\n']], findings: ['breaking success-status-changed services/users.yaml:24:5'] },
  { name: 'output made a list', edits: [[U, '    output: User\n    errors: [NotFound]', '    output: User[]\n    errors: [NotFound]']], findings: ['breaking output-changed services/users.yaml:29:5'] },
  { name: 'optional field added to an input', edits: [[U, '      role: { enum: [member, admin], field: 4 }', '      role: { enum: [member, admin], field: 4 }\n      email: { type: string, optional: true, field: 5 }']], findings: ['safe field-added services/users.yaml:17:7'] },
  { name: 'required field added to an input', edits: [[U, '      role: { enum: [member, admin], field: 4 }', '      role: { enum: [member, admin], field: 4 }\n      email: { type: string, field: 5 }']], findings: ['breaking required-field-added services/users.yaml:17:7'], hint: 'optional: true' },
  { name: 'required field added to an output', edits: [[U, '      status: { type: Status, field: 4 }', '      status: { type: Status, field: 4 }\n      email: { type: string, field: 5 }']], findings: ['safe required-field-added services/users.yaml:10:7'] },
  { name: 'field removed from an output', edits: [[U, '      age: { type: integer, minimum: 0, optional: true, field: 3 }\n      status', '      status']], findings: ['breaking field-removed services/users.yaml:5:5'], hint: 'reserved: [3]' },
  {
    name: 'field removed, its number reserved',
    edits: [[U, '      age: { type: integer, minimum: 0, optional: true, field: 3 }\n      status', '      status'], [U, 'reserved: [9]', 'reserved: [3, 9]']],
    findings: ['breaking field-removed services/users.yaml:5:5'],
  },
  { name: 'field renamed (same number)', edits: [[U, '      name: { type: string, maxLength: 100, field: 2 }', '      fullName: { type: string, maxLength: 100, field: 2 }']], findings: ['breaking field-renamed services/users.yaml:7:7'], hint: 'a removal plus an addition' },
  { name: 'field number changed', edits: [[U, '      name: { type: string, maxLength: 100, field: 2 }', '      name: { type: string, maxLength: 100, field: 5 }']], findings: ['breaking field-number-changed services/users.yaml:7:7'] },
  { name: 'field type changed', edits: [[U, '      id: { type: string, field: 1 }', '      id: { type: integer, field: 1 }']], findings: ['breaking field-type-changed services/users.yaml:6:7'] },
  { name: 'type widened safely: integer -> number in an input', edits: [[U, '      age: { type: integer, minimum: 0, optional: true, field: 2 }', '      age: { type: number, minimum: 0, optional: true, field: 2 }']], findings: ['safe field-type-widened services/users.yaml:14:7'] },
  { name: 'type widened in an output: integer -> number', edits: [[U, '      age: { type: integer, minimum: 0, optional: true, field: 3 }', '      age: { type: number, minimum: 0, optional: true, field: 3 }']], findings: ['breaking field-type-widened services/users.yaml:8:7'] },
  { name: 'optional made required in an input', edits: [[U, '      nickname: { type: string, optional: true, field: 3 }', '      nickname: { type: string, field: 3 }']], findings: ['breaking field-made-required services/users.yaml:15:7'] },
  { name: 'required made optional in an input', edits: [[U, '      name: { type: string, minLength: 1, maxLength: 100, field: 1 }', '      name: { type: string, minLength: 1, maxLength: 100, optional: true, field: 1 }']], findings: ['safe field-made-optional services/users.yaml:13:7'] },
  { name: 'required made optional in an output', edits: [[U, '      name: { type: string, maxLength: 100, field: 2 }', '      name: { type: string, maxLength: 100, optional: true, field: 2 }']], findings: ['breaking field-made-optional services/users.yaml:7:7'] },
  { name: 'optional made required in an output', edits: [[U, '      age: { type: integer, minimum: 0, optional: true, field: 3 }', '      age: { type: integer, minimum: 0, field: 3 }']], findings: ['safe field-made-required services/users.yaml:8:7'] },
  { name: 'maxLength narrowed in an input', edits: [[U, 'minLength: 1, maxLength: 100, field: 1', 'minLength: 1, maxLength: 50, field: 1']], findings: ['breaking constraint-narrowed services/users.yaml:13:43'] },
  { name: 'minLength dropped in an input (widened)', edits: [[U, 'minLength: 1, maxLength: 100, field: 1', 'maxLength: 100, field: 1']], findings: ['safe constraint-widened services/users.yaml:13:7'] },
  { name: 'minimum raised in an input', edits: [[U, '      age: { type: integer, minimum: 0, optional: true, field: 2 }', '      age: { type: integer, minimum: 18, optional: true, field: 2 }']], findings: ['breaking constraint-narrowed services/users.yaml:14:29'] },
  { name: 'pattern added in an input', edits: [[U, '      nickname: { type: string, optional: true, field: 3 }', '      nickname: { type: string, pattern: "^[a-z]+$", optional: true, field: 3 }']], findings: ['breaking constraint-narrowed services/users.yaml:15:33'] },
  { name: 'format added in an input', edits: [[U, '      nickname: { type: string, optional: true, field: 3 }', '      nickname: { type: string, format: email, optional: true, field: 3 }']], findings: ['breaking constraint-narrowed services/users.yaml:15:33'] },
  { name: 'maxLength widened in an output', edits: [[U, '      name: { type: string, maxLength: 100, field: 2 }', '      name: { type: string, maxLength: 200, field: 2 }']], findings: ['warning constraint-widened services/users.yaml:7:29'] },
  { name: 'maxLength narrowed in an output', edits: [[U, '      name: { type: string, maxLength: 100, field: 2 }', '      name: { type: string, maxLength: 50, field: 2 }']], findings: ['safe constraint-narrowed services/users.yaml:7:29'] },
  {
    name: 'maxLength narrowed in a type that becomes an input too (the stricter rule)',
    edits: [[U, '      name: { type: string, maxLength: 100, field: 2 }', '      name: { type: string, maxLength: 50, field: 2 }'], [U, '  getUser:\n', '  replaceUser:\n    http: PUT /users/{id}\n    input: User\n    output: User\n  getUser:\n']],
    findings: ['breaking constraint-narrowed services/users.yaml:7:29', 'safe endpoint-added services/users.yaml:27:3'],
  },
  {
    name: 'maxLength widened in a type that becomes an input too (the stricter rule)',
    edits: [[U, '      name: { type: string, maxLength: 100, field: 2 }', '      name: { type: string, maxLength: 200, field: 2 }'], [U, '  getUser:\n', '  replaceUser:\n    http: PUT /users/{id}\n    input: User\n    output: User\n  getUser:\n']],
    findings: ['warning constraint-widened services/users.yaml:7:29', 'safe endpoint-added services/users.yaml:27:3'],
  },
  {
    name: 'event payload type replaced by one of the same shape',
    edits: [[M, '  UserDeleted:\n', '  UserGone:\n'], [M, '{ payload: UserDeleted }', '{ payload: UserGone }']],
    findings: [],
  },
  {
    name: 'event payload type replaced by one with a required field more',
    edits: [[M, '  UserDeleted:\n    fields:\n      userId: { type: string, field: 1 }\n', '  UserGone:\n    fields:\n      userId: { type: string, field: 1 }\n      reason: { type: string, field: 2 }\n'], [M, '{ payload: UserDeleted }', '{ payload: UserGone }']],
    findings: ['breaking required-field-added mesh.yaml:14:7'],
    hint: 'version: 2',
  },
  { name: 'enum type renamed, same values (a field now refers to it)', edits: [[M, '  Status:\n', '  State:\n'], [U, 'type: Status', 'type: State']], findings: [] },
  { name: 'enum type renamed, a value fewer', edits: [[M, '  Status:\n    enum: [active, blocked]', '  State:\n    enum: [active]'], [U, 'type: Status', 'type: State']], findings: ['breaking enum-value-removed mesh.yaml:5:5'] },
  { name: 'enum value removed', edits: [[M, 'enum: [active, blocked]', 'enum: [active]']], findings: ['breaking enum-value-removed mesh.yaml:5:5'] },
  { name: 'enum value added at the end of an output enum', edits: [[M, 'enum: [active, blocked]', 'enum: [active, blocked, deleted]']], findings: ['warning enum-value-added mesh.yaml:5:29'] },
  { name: 'enum value inserted before the end', edits: [[M, 'enum: [active, blocked]', 'enum: [active, pending, blocked]']], findings: ['breaking enum-values-renumbered mesh.yaml:5:29', 'warning enum-value-added mesh.yaml:5:20'] },
  { name: 'inline enum value added to an input', edits: [[U, 'enum: [member, admin]', 'enum: [member, admin, guest]']], findings: ['safe enum-value-added services/users.yaml:16:7'] },
  { name: 'field number reused from reserved', edits: [[U, '      status: { type: Status, field: 4 }', '      status: { type: Status, field: 4 }\n      email: { type: string, optional: true, field: 9 }'], [U, '    reserved: [9]\n', '']], findings: ['breaking reserved-number-reused services/users.yaml:10:7'] },
  { name: 'event payload field removed without a version bump', edits: [[M, '      email: { type: string, field: 2 }\n', '']], findings: ['breaking field-removed mesh.yaml:7:5'], hint: 'version: 2' },
  { name: 'event payload field removed with a version bump', edits: [[M, '      email: { type: string, field: 2 }\n', ''], [M, '{ payload: UserCreated }', '{ payload: UserCreated, version: 2 }']], findings: ['safe field-removed mesh.yaml:7:5', 'safe event-version-bumped mesh.yaml:14:41'] },
  { name: 'event payload field made required without a version bump', edits: [[M, '      plan: { type: string, optional: true, field: 3 }', '      plan: { type: string, field: 3 }']], findings: ['breaking field-made-required mesh.yaml:10:7'] },
  { name: 'event payload optional field added', edits: [[M, '      plan: { type: string, optional: true, field: 3 }', '      plan: { type: string, optional: true, field: 3 }\n      source: { type: string, optional: true, field: 4 }']], findings: ['safe field-added mesh.yaml:11:7'] },
  { name: 'event added', edits: [[M, '  user.created: { payload: UserCreated }', '  user.created: { payload: UserCreated }\n  user.updated: { payload: UserCreated }']], findings: ['safe event-added mesh.yaml:16:3'] },
  { name: 'event removed', edits: [[M, '  user.deleted: { payload: UserDeleted }\n', ''], [U, '    emits: [user.deleted]\n', '']], findings: ['breaking event-removed mesh.yaml:14:1'] },
  { name: 'error status changed', edits: [[U, 'EmailTaken: { status: 409 }', 'EmailTaken: { status: 422 }']], findings: ['breaking error-status-changed services/users.yaml:19:17'] },
  { name: 'gRPC port removed', edits: [[U, 'ports: { http: 3001, grpc: 50051 }', 'ports: { http: 3001 }']], findings: ['breaking grpc-removed services/users.yaml:2:1'] },
  { name: 'mesh renamed (gRPC packages)', edits: [[M, 'mesh: shop', 'mesh: store']], findings: ['breaking grpc-package-changed mesh.yaml:1:1'] },
  { name: 'gateway route removed', edits: [[M, '    - { prefix: /api/users, service: users, rewrite: /users }', '    - { prefix: /api/v2/users, service: users, rewrite: /users }']], findings: ['breaking route-removed mesh.yaml:19:3', 'safe route-added mesh.yaml:20:7'] },
  { name: 'description added', edits: [[U, '      id: { type: string, field: 1 }', '      id: { type: string, field: 1, description: The user id. }']], findings: ['safe field-documentation-changed services/users.yaml:6:7'] },
];
