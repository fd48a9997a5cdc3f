import { describe, expect, it } from 'vitest';
import { emitted, fixtureModel } from './fixture.js';

describe('<svc>/errors.ts', () => {
  it('declares a MeshError subclass per declared error, with its code, status and message', () => {
    const text = emitted('orders/errors.ts');
    expect(text).toContain("import { MeshError } from 'meshspec/runtime';\n");
    expect(text).toContain(
      [
        "/** HTTP 422: The order's user does not exist. */",
        'export class UserNotFound extends MeshError {',
        `  constructor(message = "The order's user does not exist.", details?: unknown) {`,
        "    super('UserNotFound', message, 422, details);",
        '  }',
        '}',
      ].join('\n'),
    );
  });

  it('re-exports only the built-ins the service uses, and declares no class for them', () => {
    expect(emitted('orders/errors.ts')).toContain("export { Conflict, NotFound } from 'meshspec/runtime';\n");
    const users = emitted('users/errors.ts');
    expect(users).toContain("export { NotFound } from 'meshspec/runtime';\n");
    expect(users).not.toContain('Conflict');
    expect(users).not.toContain('class NotFound');
  });

  it('falls back to a message made from the code', () => {
    expect(emitted('users/errors.ts')).toContain("constructor(message = 'email taken', details?: unknown)");
  });

  it('stays a valid module when the service declares no errors', () => {
    const model = fixtureModel();
    const users = model.services.find((s) => s.name === 'users')!;
    users.errors = [];
    expect(emitted('users/errors.ts', model)).toMatch(/^\/\/ .*\nexport \{\};\n$/);
  });
});
