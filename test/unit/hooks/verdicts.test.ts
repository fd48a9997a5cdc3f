// Hook verdicts: a hook file whose text and expectations are the ones an earlier run left alone is
// answered from its verdict; any change to either sends it through the planner again.
import { describe, expect, it } from 'vitest';
import { planHooks, type HookVerdicts } from '../../../generator/hooks/index.js';
import { archiveUser, call, calling, createUser, getUser, guestUser, listUsers, memoryOptions, mesh, noUsers, service } from './model.js';

const users = mesh(service('users', [createUser, getUser]));
const path = 'hooks/users.ts';
const fresh = (): HookVerdicts => ({ generator: 'test-generator', byPath: new Map() });

/** A hook file as meshspec creates it, and the verdicts of a run that then found nothing to change. */
function warm(model = users) {
  const text = planHooks(model, memoryOptions({})).writes[0]!.content;
  const verdicts = fresh();
  expect(planHooks(model, { ...memoryOptions({ [path]: text }), verdicts })).toEqual({ writes: [], changes: [], warnings: [] });
  return { text, verdicts };
}

describe('planHooks with verdicts', () => {
  it('records a verdict for a file it leaves alone, and answers from it (its warnings replayed) next time', () => {
    const { text, verdicts } = warm();
    expect([...verdicts.byPath.keys()]).toEqual([path]);
    // A verdict's warnings come back as they were: proof that the answer came from it, not from a parse.
    verdicts.byPath.get(path)!.warnings = ['from the verdict'];
    expect(planHooks(users, { ...memoryOptions({ [path]: text }), verdicts }).warnings).toEqual(['from the verdict']);
  });

  it('plans an edited file again: a member deleted by hand gets its stub back', () => {
    const { text, verdicts } = warm();
    const edited = text.replace(/\n  \/\/ GET \/users\/\{id\}[^]*?\n  \},\n/, '\n');
    expect(edited).not.toContain('getUser');
    const plan = planHooks(users, { ...memoryOptions({ [path]: edited }), verdicts });
    expect(plan.changes).toEqual([`${path}: added stub for endpoint \`getUser\``]);
    expect(plan.writes[0]?.content).toContain('async getUser(_input, _ctx)');
    // A file the run writes keeps no verdict: the next run reads what was written.
    expect(verdicts.byPath.has(path)).toBe(false);
  });

  it('adds the stub of a new endpoint to an unchanged file whose verdict predates it', () => {
    const { text, verdicts } = warm();
    const grown = mesh(service('users', [createUser, getUser, archiveUser]));
    const plan = planHooks(grown, { ...memoryOptions({ [path]: text }), verdicts });
    expect(plan.changes).toEqual([`${path}: added stub for endpoint \`archiveUser\``]);
  });

  it('does not take a verdict of another generator, or one for another path', () => {
    const { text, verdicts } = warm();
    const verdict = verdicts.byPath.get(path)!;
    const other: HookVerdicts = { generator: 'another-generator', byPath: new Map([[path, { ...verdict, warnings: ['stale'] }]]) };
    expect(planHooks(users, { ...memoryOptions({ [path]: text }), verdicts: other }).warnings).toEqual([]);
    const moved: HookVerdicts = { generator: 'test-generator', byPath: new Map([['hooks/users.ts', { ...verdict, warnings: ['stale'] }]]) };
    const elsewhere = { ...memoryOptions({ 'lib/users.ts': text }), hooksDir: 'lib', verdicts: moved };
    expect(planHooks(users, elsewhere).warnings).toEqual([]);
  });

  it('judges a file no service owns once, and keeps only the files the run looked at', () => {
    const { text, verdicts } = warm();
    verdicts.byPath.set('hooks/gone.ts', { content: 'x', expects: 'y', warnings: [] });
    const files = { [path]: text, 'hooks/orders.ts': text };
    const first = planHooks(users, { ...memoryOptions(files), verdicts });
    expect(first.warnings).toEqual([expect.stringMatching(/^hooks\/orders\.ts belongs to no service/)]);
    expect([...verdicts.byPath.keys()].sort()).toEqual(['hooks/orders.ts', path]);
    expect(planHooks(users, { ...memoryOptions(files), verdicts }).warnings).toEqual(first.warnings);
  });

  describe('of a service whose calls gain fallbacks', () => {
    const users = service('users', [getUser, listUsers]);
    const orders = (...fallbacks: Parameters<typeof call>[1]) => mesh(calling(service('orders', [createUser]), call('users', fallbacks)), users);
    const ordersPath = 'hooks/orders.ts';

    /** Both hook files as meshspec creates them for `model`, and the verdicts of a run that left them alone. */
    function warmOrders(model: ReturnType<typeof orders>) {
      const files = Object.fromEntries(planHooks(model, memoryOptions({})).writes.map((w) => [w.path, w.content]));
      const verdicts = fresh();
      expect(planHooks(model, { ...memoryOptions(files), verdicts })).toEqual({ writes: [], changes: [], warnings: [] });
      expect(verdicts.byPath.has(ordersPath)).toBe(true);
      return { files, verdicts };
    }

    it('adds `fallbacks` to an unchanged file whose verdict predates the call\'s first fallback', () => {
      const { files, verdicts } = warmOrders(orders());
      const plan = planHooks(orders(guestUser), { ...memoryOptions(files), verdicts });
      expect(plan.changes).toEqual([`${ordersPath}: added \`fallbacks\` with stubs for \`guestUser\``]);
    });

    it('adds the stub of a further fallback to an unchanged file whose verdict predates it', () => {
      const { files, verdicts } = warmOrders(orders(guestUser));
      const plan = planHooks(orders(guestUser, noUsers), { ...memoryOptions(files), verdicts });
      expect(plan.changes).toEqual([`${ordersPath}: added stub for fallback \`noUsers\``]);
    });

    it('reads the file again when a fallback is dropped, to warn about it', () => {
      const { files, verdicts } = warmOrders(orders(guestUser));
      const plan = planHooks(orders(), { ...memoryOptions(files), verdicts });
      expect(plan.warnings).toEqual([expect.stringContaining('`fallbacks.guestUser` is no longer a fallback in the spec')]);
    });
  });
});
