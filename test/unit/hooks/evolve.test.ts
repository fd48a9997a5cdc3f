// Adding stubs to existing hook files: the user's text must survive byte for byte.
import { describe, expect, it } from 'vitest';
import { planHooks } from '../../../generator/hooks/index.js';
import { archiveUser, createUser, getUser, listUsers, memoryOptions, mesh, service } from './model.js';
import { cut, spliceAfter } from './spans.js';

const users = mesh(service('users', [createUser, getUser, listUsers, archiveUser]));

function evolve(original: string, model = users) {
  const plan = planHooks(model, memoryOptions({ 'hooks/users.ts': original }));
  return { plan, content: plan.writes.find((w) => w.path === 'hooks/users.ts')?.content };
}

const archiveStub = (indent: string, unit: string, eol: string, quote = "'") =>
  `${indent}// POST /users/{id}/archive: ArchiveUserInput -> no content; errors: NotFound${eol}` +
  `${indent}async archiveUser(_input, _ctx) {${eol}` +
  `${indent}${unit}throw new NotImplemented(${quote}users.archiveUser${quote});${eol}` +
  `${indent}},${eol}`;

describe('planHooks: adding a stub to an existing file', () => {
  it('keeps a CRLF, tab-indented file with odd formatting byte-exact and inserts in its style', () => {
    const original = [
      '// my users hooks',
      'import type { UsersHandlers } from "../generated/users/handlers.js";',
      'import { NotImplemented, MeshError } from "meshspec/runtime";',
      'import { db } from "./db.js";',
      '',
      '/* the handlers */',
      'export const handlers = {',
      '\tasync createUser(_input, _ctx)   {',
      '\t\t// talk to the db',
      '\t\treturn db.insert( input ) ;',
      '',
      '\t},',
      '\tgetUser : async ( input ) =>',
      '\t\tdb.find(input.id),',
      '\tlistUsers,   // defined below',
      '',
      '\t// the end',
      '} satisfies UsersHandlers;',
      '',
      'async function listUsers() { throw new MeshError("Nope", "no", 500); }',
      '',
    ].join('\r\n');
    const { plan, content } = evolve(original);
    const inserted = '\r\n' + archiveStub('\t', '\t', '\r\n', '"');
    expect(content).toBeDefined();
    expect(cut(content ?? '', inserted)).toBe(original);
    expect(content).toContain('\t// the end\r\n' + inserted + '} satisfies UsersHandlers;');
    expect((content ?? '').replace(/\r\n/g, '')).not.toContain('\n');
    expect(plan.changes).toEqual(['hooks/users.ts: added stub for endpoint `archiveUser`']);
    expect(plan.warnings).toEqual([]);
  });

  it('adds a comma after a last member that has none, and an import line when NotImplemented is missing', () => {
    const original = [
      "import type { UsersHandlers } from '../generated/users/handlers.js'",
      '',
      'export const handlers: UsersHandlers = {',
      '    async createUser(input) {',
      '        return { id: "1", ...input }',
      '    },',
      '    getUser: (input) => lookup(input.id),',
      '    async listUsers() {',
      '        return []',
      '    }',
      '}',
      '',
    ].join('\n');
    const { content } = evolve(original);
    const afterBlock = cut(content ?? '', '\n' + archiveStub('    ', '    ', '\n'));
    const afterImport = cut(afterBlock, "\nimport { NotImplemented } from 'meshspec/runtime'");
    expect(afterImport).toBe(spliceAfter(original, '        return []\n    }', ','));
  });

  it('appends after a trailing comma without adding another', () => {
    const original = "import { NotImplemented } from 'meshspec/runtime';\nexport const handlers = {\n  createUser,\n  getUser,\n  listUsers,\n};\n";
    const { content } = evolve(original);
    expect(cut(content ?? '', '\n' + archiveStub('  ', '  ', '\n'))).toBe(original);
    expect(content).toContain('  listUsers,\n\n  // POST');
  });

  it('fills an empty `{}` and an empty multi-line object', () => {
    const model = mesh(service('users', [archiveUser]));
    const header = "import { NotImplemented } from 'meshspec/runtime';\n";
    const oneLine = evolve(`${header}export const handlers = {};\n`, model).content;
    expect(oneLine).toBe(`${header}export const handlers = {\n${archiveStub('  ', '  ', '\n')}};\n`);
    const multiLine = evolve(`${header}export const handlers = {\n};\n`, model).content;
    expect(multiLine).toBe(`${header}export const handlers = {\n${archiveStub('  ', '  ', '\n')}};\n`);
  });

  it('opens up a one-line object without losing a character of it', () => {
    const original = "import { NotImplemented } from 'meshspec/runtime';\nconst [createUser, getUser] = [async () => { throw 1; }, async () => { throw 1; }];\nexport const handlers = { createUser, getUser, listUsers: getUser };\n";
    const { content } = evolve(original);
    const inserted = '\n\n' + archiveStub('  ', '  ', '\n');
    expect(cut(content ?? '', inserted)).toBe(spliceAfter(original, 'listUsers: getUser', ','));
    expect(content).toContain('listUsers: getUser, \n\n  // POST');
    expect(content).toContain('  },\n};\n');
  });

  it('recognizes methods, property assignments, shorthands, quoted and computed keys and accessors as present', () => {
    const original = [
      "import { NotImplemented } from 'meshspec/runtime';",
      'const impl = {} as never;',
      'export const handlers = {',
      "  'createUser': impl,",
      "  ['getUser']: impl,",
      '  get listUsers() { return impl; },',
      '  async archiveUser() {},',
      '};',
      '',
    ].join('\n');
    expect(evolve(original).plan).toEqual({ writes: [], changes: [], warnings: [] });
    const shorthand = "const createUser = 1, getUser = 2, listUsers = 3, archiveUser = 4;\nexport const handlers = { createUser, getUser, listUsers, archiveUser };\n";
    expect(evolve(shorthand).plan.writes).toEqual([]);
  });

  it('finds `handlers` exported through `export { ... as handlers }` and behind `as` casts', () => {
    const viaExport = "const impl = {\n  createUser() {},\n  getUser() {},\n  listUsers() {},\n};\nexport { impl as handlers };\n";
    const edited = evolve(viaExport).content ?? '';
    expect(edited).toContain('  listUsers() {},\n\n  // POST /users/{id}/archive');
    const viaCast = 'export const handlers = ({\n  createUser() {},\n  getUser() {},\n  listUsers() {},\n}) as unknown as never;\n';
    expect(evolve(viaCast).content).toContain('  listUsers() {},\n\n  // POST /users/{id}/archive');
  });

  it('is idempotent: planning again on the result writes nothing', () => {
    const original = "import type { UsersHandlers } from '../generated/users/handlers.js';\r\n\r\nexport const handlers: UsersHandlers = {\r\n    async getUser(input) {\r\n        return null as never\r\n    }\r\n}\r\n";
    const first = evolve(original);
    expect(first.plan.writes).toHaveLength(1);
    const second = evolve(first.content ?? '');
    expect(second.plan).toEqual({ writes: [], changes: [], warnings: [] });
  });

  it('adds several stubs in spec order, each after the previous', () => {
    const original = "import { NotImplemented } from 'meshspec/runtime';\nexport const handlers = {\n  getUser() {},\n};\n";
    const content = evolve(original).content ?? '';
    const order = ['getUser()', 'async createUser', 'async listUsers', 'async archiveUser'].map((s) => content.indexOf(s));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});
