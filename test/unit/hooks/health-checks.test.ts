// Readiness checks in the hook file: created with the file as stubs that throw NotImplemented (so the
// check fails, saying so, until it is written), and added to an existing file when the spec declares
// one later: a whole `healthChecks` object, or a stub at the end of the one there, never touching the
// user's code.
import { describe, expect, it } from 'vitest';
import { createHookFile } from '../../../generator/hooks/create.js';
import { planHooks } from '../../../generator/hooks/index.js';
import type { HealthCheckModel, ServiceModel } from '../../../generator/model/types.js';
import { getUser, memoryOptions, mesh, service } from './model.js';

const ledger: HealthCheckModel = { name: 'ledger', timeoutMs: 500, critical: true };
const cache: HealthCheckModel = { name: 'cache', timeoutMs: 200, critical: false };

function users(...healthChecks: HealthCheckModel[]): ServiceModel {
  return { ...service('users', [getUser]), healthChecks };
}

function evolved(original: string, model = mesh(users(cache, ledger))): string | undefined {
  return planHooks(model, memoryOptions({ 'hooks/users.ts': original })).writes.find((w) => w.path === 'hooks/users.ts')?.content;
}

describe('hook planner: readiness checks', () => {
  it('creates `healthChecks` with a throwing stub per declared check, typed by UsersHealthChecks', () => {
    const content = createHookFile(mesh(users(cache, ledger)), users(cache, ledger), '../generated');
    expect(content).toContain("import type { UsersHandlers, UsersHealthChecks } from '../generated/users/handlers.js';");
    expect(content).toMatch(/the code behind its endpoints and readiness checks\./);
    expect(content.slice(content.indexOf('export const healthChecks'))).toBe(
      [
        'export const healthChecks: UsersHealthChecks = {',
        '  // readiness check, not critical, 200ms: resolve when healthy, throw why not',
        '  async cache(_ctx) {',
        "    throw new NotImplemented('users.cache');",
        '  },',
        '',
        '  // readiness check, critical, 500ms: resolve when healthy, throw why not',
        '  async ledger(_ctx) {',
        "    throw new NotImplemented('users.ledger');",
        '  },',
        '};',
        '',
      ].join('\n'),
    );
  });

  it('has no `healthChecks` when the spec declares none', () => {
    expect(createHookFile(mesh(users()), users(), '../generated')).not.toContain('healthChecks');
  });

  it('appends `healthChecks` and its type import to a file that predates them, leaving the user code as it was', () => {
    const original = [
      "import type { UsersHandlers } from '../generated/users/handlers.js';",
      '',
      'export const handlers: UsersHandlers = {',
      '  async getUser(input) {',
      '    return { id: input.id, name: "Ada" } as never;',
      '  },',
      '};',
      '',
    ].join('\n');
    const content = evolved(original, mesh(users(ledger)));
    expect(content).toBeDefined();
    expect(content).toContain("import type { UsersHandlers, UsersHealthChecks } from '../generated/users/handlers.js';");
    expect(content).toContain("import { NotImplemented } from 'meshspec/runtime';");
    expect(content).toContain('    return { id: input.id, name: "Ada" } as never;\n');
    expect(content).toMatch(/\nexport const healthChecks: UsersHealthChecks = \{\n  \/\/ readiness check, critical, 500ms[^]*async ledger\(_ctx\)/);
  });

  it('adds a check declared later at the end of the existing object, keeping the written ones', () => {
    const original = [
      "import type { UsersHandlers, UsersHealthChecks } from '../generated/users/handlers.js';",
      "import { NotImplemented } from 'meshspec/runtime';",
      '',
      'export const handlers: UsersHandlers = {',
      '  async getUser(_input, _ctx) {',
      "    throw new NotImplemented('users.getUser');",
      '  },',
      '};',
      '',
      'export const healthChecks: UsersHealthChecks = {',
      '  async ledger(ctx) {',
      "    await access('/var/ledger', constants.W_OK);",
      "    ctx.logger.debug('ledger writable');",
      '  },',
      '};',
      '',
    ].join('\n');
    const content = evolved(original);
    expect(content).toBeDefined();
    const written = "  async ledger(ctx) {\n    await access('/var/ledger', constants.W_OK);\n    ctx.logger.debug('ledger writable');\n  },\n";
    expect(content).toContain(written);
    expect(content!.indexOf('async cache(_ctx)')).toBeGreaterThan(content!.indexOf(written));
    // Only insertions: taking the stub out gives the user's file back.
    const stub = content!.slice(content!.indexOf(written) + written.length, content!.lastIndexOf('};'));
    expect(content!.replace(stub, '')).toBe(original);
    // Up to date: nothing more to write.
    expect(evolved(content!)).toBeUndefined();
  });
});
