import { describe, expect, it } from 'vitest';
import { emitted, fixtureModel } from './fixture.js';

describe('<svc>/main.ts', () => {
  it("runs the service's host as its own process with the spec's runtime settings", () => {
    const model = fixtureModel();
    model.runtime = { bodyLimitBytes: 2048, shutdownGraceMs: 750 };
    expect(emitted('users/main.ts', model)).toBe(
      [
        "import { runServices } from 'meshspec/runtime/host';",
        "import { usersHost } from './host.js';",
        '',
        "// The spec's runtime settings are defaults: BODY_LIMIT and SHUTDOWN_GRACE in the environment win.",
        'await runServices([usersHost()], { bodyLimitBytes: 2048, shutdownGraceMs: 750 });',
        '',
      ].join('\n'),
    );
  });
});
