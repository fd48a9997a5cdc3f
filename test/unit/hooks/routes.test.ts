// The hook file's `routes`, for a service whose spec sets `http.extraRoutes`: created empty after a
// commented example, appended to a file without one, never touched once the file exports it in any
// form, and warned about when the file keeps it unexported or the spec stops mounting it.
import { describe, expect, it } from 'vitest';
import { planHooks, type HookVerdicts } from '../../../generator/hooks/index.js';
import type { ServiceModel } from '../../../generator/model/types.js';
import { createUser, getUser, memoryOptions, mesh, service, userDeleted } from './model.js';
import { cut } from './spans.js';

const path = 'hooks/users.ts';
const withRoutes = (s: ServiceModel): ServiceModel => ({ ...s, extraRoutes: true });
const plain = mesh(service('users', [createUser, getUser]));
const routed = mesh(withRoutes(service('users', [createUser, getUser])));

function plan(model: ReturnType<typeof mesh>, text: string | undefined, verdicts?: HookVerdicts) {
  const result = planHooks(model, { ...memoryOptions(text === undefined ? {} : { [path]: text }), verdicts });
  return { ...result, content: result.writes.find((w) => w.path === path)?.content };
}

/** The file meshspec creates for the service without extra routes: handlers only. */
const created = plan(plain, undefined).content!;

/** The declaration meshspec appends, in meshspec's own style. */
const DECLARATION = [
  '// Routes the spec does not describe (webhooks, file uploads, a legacy path), mounted beside the',
  '// endpoints. Each gets the raw request, its body unread, and the context the endpoint hooks get.',
  '// The endpoints win: a route on the method and path of an endpoint, or on /health or /ready,',
  '// stops the service at startup. Extra routes are not in the OpenAPI document. For example:',
  '//',
  '//   {',
  "//     method: 'POST',",
  "//     path: '/webhooks/{provider}',",
  '//     async handle(req, res, params, ctx) {',
  '//       const chunks: Buffer[] = [];',
  '//       for await (const chunk of req) chunks.push(chunk as Buffer);',
  '//       const body = Buffer.concat(chunks);',
  "//       ctx.logger.info({ provider: params.provider, bytes: body.length }, 'webhook received');",
  '//       res.writeHead(204).end();',
  '//     },',
  '//   },',
  'export const routes: UsersRoutes = [];',
  '',
].join('\n');

describe('planHooks: extra routes', () => {
  it('creates a hook file with an empty `routes` after a commented example, typed and imported', () => {
    const { content, changes } = plan(routed, undefined);
    expect(content).toContain("import type { UsersHandlers, UsersRoutes } from '../generated/users/handlers.js';");
    expect(content).toContain('the code behind its endpoints and extra routes.');
    expect(content!.endsWith(`};\n\n${DECLARATION}`)).toBe(true);
    expect(changes).toEqual([`${path}: created with stubs for 2 endpoint(s), and an empty \`routes\` list`]);
    // The created file is what the planner expects: planning it again changes and warns about nothing.
    expect(plan(routed, content)).toMatchObject({ writes: [], changes: [], warnings: [] });
  });

  it('appends `routes` to a file without one, its type joining the generated import, and no NotImplemented import for it', () => {
    const original = created.replace("import { NotImplemented } from 'meshspec/runtime';\n", '');
    const { content, changes, warnings } = plan(routed, original);
    const withoutImport = cut(content!, ', UsersRoutes');
    expect(cut(withoutImport, `\n${DECLARATION}`)).toBe(original);
    expect(content).toContain("import type { UsersHandlers, UsersRoutes } from '../generated/users/handlers.js';");
    expect(content).not.toContain('import { NotImplemented }');
    expect(changes).toEqual([`${path}: added \`routes\`, an empty list of extra routes typed \`UsersRoutes\``]);
    expect(warnings).toEqual([]);
    expect(plan(routed, content)).toMatchObject({ writes: [], changes: [], warnings: [] });
  });

  it("writes the appended declaration in the file's style: CRLF, tabs, double quotes, no semicolons", () => {
    const original = [
      'import type { UsersHandlers } from "../generated/users/handlers.js"',
      '',
      'export const handlers: UsersHandlers = {',
      '\tasync createUser(input) {',
      '\t\treturn { id: "1", ...input }',
      '\t},',
      '\tgetUser: async (input) => ({ id: input.id }),',
      '}',
    ].join('\r\n');
    const { content } = plan(routed, original);
    const appended = cut(cut(content!, ', UsersRoutes'), '\r\n\r\n' + DECLARATION
      .replace(/'/g, '"')
      .replace(/;$/gm, '')
      .replace(/^\/\/ ( +)/gm, (_m, spaces: string) => `// ${'\t'.repeat(spaces.length / 2)}`)
      .replace(/\n/g, '\r\n'));
    expect(appended).toBe(original);
  });

  it('appends a new `subscriptions` and `routes` together: one import, a blank line between them', () => {
    const model = mesh(withRoutes(service('users', [createUser, getUser], [userDeleted])));
    const { content, changes } = plan(model, created);
    expect(content).toContain("import type { UsersHandlers, UsersSubscriptions, UsersRoutes } from '../generated/users/handlers.js';");
    expect(content).toMatch(/\n};\n\n\/\/ Routes the spec does not describe/);
    expect(content!.endsWith(DECLARATION)).toBe(true);
    expect(changes).toEqual([
      `${path}: added \`subscriptions\` with stubs for \`cancelOrdersForUser\``,
      `${path}: added \`routes\`, an empty list of extra routes typed \`UsersRoutes\``,
    ]);
  });

  it('never touches a `routes` the file exports, whatever it is', () => {
    const forms = [
      "export const routes: UsersRoutes = [{ method: 'GET', path: '/legacy', handle: (_req, res) => void res.end() }];",
      'export const routes = mountLegacy(app);',
      'const legacyRoutes: UsersRoutes = [];\nexport { legacyRoutes as routes };',
      "export { routes } from './users-routes.js';",
      'export let routes: UsersRoutes = [];',
    ];
    for (const form of forms) {
      const text = `${created}\n${form}\n`;
      expect(plan(routed, text), form).toMatchObject({ writes: [], changes: [], warnings: [] });
    }
  });

  it('warns, and adds nothing, when the file has a `routes` it does not export', () => {
    for (const text of [`${created}\nconst routes: UsersRoutes = [];\n`, `import { routes } from './legacy.js';\n${created}`]) {
      expect(plan(routed, text)).toMatchObject({
        writes: [],
        changes: [],
        warnings: [
          `${path}: services/users.yaml sets \`http.extraRoutes: true\`, but the file declares or imports a \`routes\` it does not export, ` +
            'so meshspec did not add one; export it (typed `UsersRoutes`) to mount its routes',
        ],
      });
    }
  });

  it('warns that a `routes` export is no longer mounted once the spec drops extraRoutes, and leaves it', () => {
    const exported = plan(routed, undefined).content!;
    expect(plan(plain, exported)).toMatchObject({
      writes: [],
      changes: [],
      warnings: [
        `${path}: exports \`routes\`, but services/users.yaml does not set \`http.extraRoutes: true\`, so they are not mounted; ` +
          'set it to serve them, or remove the export',
      ],
    });
  });

  it('does not answer from a verdict given before extraRoutes changed, either way', () => {
    const verdicts: HookVerdicts = { generator: 'test-generator', byPath: new Map() };
    // Left alone without extra routes: a verdict with no warnings.
    expect(plan(plain, created, verdicts)).toMatchObject({ writes: [], warnings: [] });
    expect(verdicts.byPath.has(path)).toBe(true);
    // The spec turns them on: the same text is planned again and gets `routes`.
    expect(plan(routed, created, verdicts).changes).toEqual([`${path}: added \`routes\`, an empty list of extra routes typed \`UsersRoutes\``]);

    // Left alone with extra routes exported; then the spec turns them off: the warning is not lost to the verdict.
    const exported = plan(routed, undefined).content!;
    expect(plan(routed, exported, verdicts)).toMatchObject({ writes: [], warnings: [] });
    expect(plan(plain, exported, verdicts).warnings).toHaveLength(1);
  });
});
