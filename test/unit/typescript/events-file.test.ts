import { describe, expect, it } from 'vitest';
import { emitted } from './fixture.js';

describe('events.ts', () => {
  const text = emitted('events.ts');

  it('maps event names to payload types, with descriptions', () => {
    expect(text).toContain("import type { UserCreated } from './types.js';");
    expect(text).toContain(
      "export interface ShopEvents {\n  /** A user signed up. */\n  'user.created': UserCreated;\n}",
    );
  });

  it('emits the catalog as data the runtime checks the type of', () => {
    expect(text).toContain("import type { EventCatalog } from 'meshspec/runtime';");
    expect(text).toContain(
      "export const events = {\n  'user.created': { payload: 'UserCreated', version: 1 },\n} as const satisfies EventCatalog;",
    );
  });
});
