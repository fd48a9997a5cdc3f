// The `upgrades` hook object: one stub per older event version a subscriber still accepts, added
// once; a version the spec retires is warned about, never deleted.
import { describe, expect, it } from 'vitest';
import { planHooks } from '../../../generator/hooks/index.js';
import type { MeshModel } from '../../../generator/model/types.js';
import { getUser, memoryOptions, mesh, service, userDeleted } from './model.js';

/** users subscribes to user.deleted, at version 3 and still accepting `accepts` (version -> payload). */
function rollout(accepts: [number, string][]): MeshModel {
  const model = mesh(service('users', [getUser], [userDeleted]));
  const events = model.events.map((e) => (e.name === 'user.deleted' ? { ...e, payload: 'UserDeletedV3', version: 3, accepts: accepts.map(([version, payload]) => ({ version, payload })) } : e));
  return { ...model, events };
}

const written = (model: MeshModel, files: Record<string, string> = {}) => planHooks(model, memoryOptions(files));

describe('planHooks: upgrades', () => {
  it('creates one stub per accepted version, saying what it upgrades', () => {
    const plan = written(rollout([[1, 'UserDeleted'], [2, 'UserDeletedV2']]));
    const content = plan.writes[0]!.content;
    expect(content).toContain("import type { UsersHandlers, UsersSubscriptions, UsersUpgrades } from '../generated/users/handlers.js';");
    expect(content).toContain(
      [
        'export const upgrades: UsersUpgrades = {',
        '  // user.deleted v1 (UserDeleted) -> v3 (UserDeletedV3)',
        '  async userDeletedFromV1(_event, _ctx) {',
        "    throw new NotImplemented('users.userDeletedFromV1');",
        '  },',
        '',
        '  // user.deleted v2 (UserDeletedV2) -> v3 (UserDeletedV3)',
        '  async userDeletedFromV2(_event, _ctx) {',
        "    throw new NotImplemented('users.userDeletedFromV2');",
        '  },',
        '};',
      ].join('\n'),
    );
  });

  it('adds the stub of a newly accepted version to the existing object, after the user\'s own', () => {
    const original = [
      "import type { UsersHandlers, UsersSubscriptions, UsersUpgrades } from '../generated/users/handlers.js';",
      "import { NotImplemented } from 'meshspec/runtime';",
      'export const handlers: UsersHandlers = { async getUser() { throw new NotImplemented("x"); } };',
      'export const subscriptions: UsersSubscriptions = { async cancelOrdersForUser() {} };',
      'export const upgrades: UsersUpgrades = {',
      '  async userDeletedFromV2(event) { return { ...event, reason: "unknown" }; },',
      '};',
      '',
    ].join('\n');
    const plan = written(rollout([[1, 'UserDeleted'], [2, 'UserDeletedV2']]), { 'hooks/users.ts': original });
    const content = plan.writes[0]!.content;
    expect(content).toContain('  async userDeletedFromV2(event) { return { ...event, reason: "unknown" }; },\n\n  // user.deleted v1 (UserDeleted) -> v3 (UserDeletedV3)\n  async userDeletedFromV1(_event, _ctx) {');
    expect(plan.changes).toEqual(['hooks/users.ts: added stub for upgrade `userDeletedFromV1`']);
  });

  it('warns about the upgrade of a retired version, pointing at the mesh file, and keeps it', () => {
    const original = [
      "import type { UsersHandlers, UsersSubscriptions, UsersUpgrades } from '../generated/users/handlers.js';",
      'export const handlers: UsersHandlers = { async getUser() { return null as never; } };',
      'export const subscriptions: UsersSubscriptions = { async cancelOrdersForUser() {} };',
      'export const upgrades: UsersUpgrades = { async userDeletedFromV2(event) { return event; } };',
      '',
    ].join('\n');
    const plan = written(rollout([]), { 'hooks/users.ts': original });
    expect(plan.writes).toEqual([]);
    expect(plan.warnings).toEqual([
      'hooks/users.ts: `upgrades.userDeletedFromV2` is no longer an upgrade in the spec (mesh.yaml); delete it when you are done with it — meshspec never deletes your code',
    ]);
  });
});
