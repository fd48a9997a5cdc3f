// Editor support as a user gets it: the real yaml-language-server over stdio, a project whose spec
// files start with the schema line `meshspec init` writes, and the schema where the published package
// puts it (node_modules/meshspec/dist/meshspec.schema.json). Completions, hover text and diagnostics
// come from that schema; a file without the line gets none of them (the control). The `yaml.schemas`
// setting the README shows as the alternative to the line is checked too.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTALLED_SCHEMA, schemaLine } from '../../../generator/init/schema-line.js';
import { startYamlLanguageServer, type LanguageServer, type Settings } from '../../support/language-server.js';
import { repoRoot } from '../../support/project.js';

const schemaSource = path.join(repoRoot, 'generator/language/schema/meshspec.schema.json');
/** Where the published package puts the schema, relative to the consumer's project. */
const PUBLISHED_SCHEMA = INSTALLED_SCHEMA;
/** The first line `meshspec init` writes in spec/services/*.yaml (and, one level up, in spec/mesh.yaml). */
const SERVICE_MODELINE = schemaLine('spec/services/users.yaml');
const MESH_MODELINE = schemaLine('spec/mesh.yaml');
/** Where the cursor is in a test document; removed before the text is sent. */
const CURSOR = '<|>';
const TIMEOUT_MS = 10_000;

/** The settings an editor sends: the features on, and no catalogue download from the network. */
const editorSettings = {
  yaml: {
    validate: true,
    hover: true,
    completion: true,
    schemaStore: { enable: false },
    kubernetesCRDStore: { enable: false },
  },
};

interface Position {
  line: number;
  character: number;
}
interface CompletionItem {
  label: string;
}
interface Hover {
  contents: { kind: string; value: string };
}
interface Diagnostic {
  message: string;
  range: { start: Position; end: Position };
}
interface PublishDiagnostics {
  uri: string;
  diagnostics: Diagnostic[];
}

let root: string;
let server: LanguageServer;
let schema: unknown;
let version = 0;

/** The description at a JSON pointer into the schema file (read from it, never copied here). */
function described(pointer: string): string {
  let node: unknown = schema;
  for (const key of pointer.split('/').slice(1)) node = (node as Record<string, unknown> | undefined)?.[key];
  const description = (node as { description?: unknown } | undefined)?.description;
  if (typeof description !== 'string') throw new Error(`the schema has no description at ${pointer}`);
  return description;
}

/** Writes `relative` into the project and opens it in the server (`to`); returns its URI and the cursor's position. */
async function open(relative: string, textWithCursor: string, to: LanguageServer = server): Promise<{ uri: string; cursor: Position }> {
  const at = textWithCursor.indexOf(CURSOR);
  const text = textWithCursor.replace(CURSOR, '');
  const before = textWithCursor.slice(0, Math.max(at, 0)).split('\n');
  const cursor = { line: before.length - 1, character: before.at(-1)!.length };
  const file = path.join(root, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  const uri = pathToFileURL(file).href;
  to.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: ++version, text } });
  return { uri, cursor };
}

/** The position of the first `key:` in `text`, one character into the key. */
function keyPosition(text: string, key: string): Position {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.trimStart().startsWith(`${key}:`));
  if (line < 0) throw new Error(`no key ${key} in the test document`);
  return { line, character: lines[line]!.indexOf(key) + 1 };
}

async function completionLabels(uri: string, position: Position, from: LanguageServer = server): Promise<string[]> {
  const answer = await from.request<CompletionItem[] | { items: CompletionItem[] }>(
    'textDocument/completion',
    { textDocument: { uri }, position },
    TIMEOUT_MS,
  );
  return (Array.isArray(answer) ? answer : answer.items).map((item) => item.label);
}

/** The hover as the user reads it: markdown with its backslash escapes (`\``, `\{`) rendered. */
async function hoverText(uri: string, position: Position): Promise<string> {
  const answer = await server.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position }, TIMEOUT_MS);
  return (answer?.contents.value ?? '').replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

function diagnosticsFor(uri: string): Promise<Diagnostic[]> {
  return server
    .waitForNotification<PublishDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri, TIMEOUT_MS)
    .then((p) => p.diagnostics);
}

/** A repository example file with its schema line pointing at the published schema, as `init` writes it. */
async function exampleWithPublishedModeline(relative: string, modeline: string): Promise<string> {
  const text = await readFile(path.join(repoRoot, relative), 'utf8');
  const [first, ...rest] = text.split('\n');
  expect(first).toMatch(/^# yaml-language-server: \$schema=/);
  return [modeline, ...rest].join('\n');
}

/** Starts the server on the project as an editor does: initialize, then answer its settings pull. */
async function startSession(settings: Settings): Promise<LanguageServer> {
  const started = startYamlLanguageServer(settings, root);
  const rootUri = pathToFileURL(root).href;
  try {
    await started.request(
      'initialize',
      {
        processId: process.pid,
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: 'project' }],
        capabilities: {
          workspace: { configuration: true, workspaceFolders: true },
          textDocument: {
            completion: { completionItem: { snippetSupport: true } },
            hover: { contentFormat: ['markdown', 'plaintext'] },
            publishDiagnostics: {},
          },
        },
      },
      TIMEOUT_MS,
    );
    started.notify('initialized', {});
    // The server pulls its settings after `initialized`; documents opened before would see its defaults.
    await started.waitForRequest('workspace/configuration', TIMEOUT_MS);
  } catch (error) {
    await started.stop();
    throw error;
  }
  return started;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'meshspec-editor-'));
  await mkdir(path.join(root, 'spec/services'), { recursive: true });
  await mkdir(path.dirname(path.join(root, PUBLISHED_SCHEMA)), { recursive: true });
  await copyFile(schemaSource, path.join(root, PUBLISHED_SCHEMA));
  schema = JSON.parse(await readFile(schemaSource, 'utf8'));
  server = await startSession(editorSettings);
});

afterAll(async () => {
  await server?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('yaml-language-server with the published meshspec schema', () => {
  describe('completions', () => {
    it('offers the service keys at the top level of a service file, and none of the mesh file', async () => {
      const { uri, cursor } = await open(
        'spec/services/users.yaml',
        `${SERVICE_MODELINE}\nservice: users\nports: { http: 3001 }\n${CURSOR}\n`,
      );
      const labels = await completionLabels(uri, cursor);
      expect(labels).toEqual(expect.arrayContaining(['endpoints', 'types', 'description', 'errors', 'calls', 'subscribes', 'deploy']));
      expect(labels).not.toContain('gateway');
      expect(labels).not.toContain('mesh');
    });

    it('offers the endpoint keys inside an endpoint', async () => {
      const { uri, cursor } = await open(
        'spec/services/orders.yaml',
        `${SERVICE_MODELINE}\nservice: orders\nports: { http: 3002 }\nendpoints:\n  getOrder:\n    ${CURSOR}\n`,
      );
      const labels = await completionLabels(uri, cursor);
      expect(labels).toEqual(expect.arrayContaining(['http', 'input', 'output', 'errors', 'status', 'emits', 'description']));
      expect(labels).not.toContain('endpoints');
    });

    it('offers none of them in a file without the schema line', async () => {
      const { uri, cursor } = await open('spec/services/plain.yaml', `service: plain\nports: { http: 3005 }\n${CURSOR}\n`);
      const labels = await completionLabels(uri, cursor);
      expect(labels).not.toContain('endpoints');
      expect(labels).not.toContain('types');
    });
  });

  describe('hover shows the schema description', () => {
    const serviceText = [
      SERVICE_MODELINE,
      'service: payments',
      'ports: { http: 3003 }',
      'endpoints:',
      '  charge:',
      '    http: POST /payments',
      '    input: Charge',
      'types:',
      '  Charge:',
      '    fields:',
      '      amount:',
      '        type: integer',
      '        field: 1',
      '',
    ].join('\n');
    const meshText = [
      MESH_MODELINE,
      'mesh: shop',
      'version: 1.0.0',
      'events:',
      '  payment.completed:',
      '    payload: Charge',
      'gateway:',
      '  port: 8080',
      '  routes:',
      '    - { prefix: /api/v1/payments, service: payments }',
      '',
    ].join('\n');
    const files = { service: { text: serviceText, uri: '' }, mesh: { text: meshText, uri: '' } };

    beforeAll(async () => {
      files.service.uri = (await open('spec/services/payments.yaml', serviceText)).uri;
      files.mesh.uri = (await open('spec/mesh.yaml', meshText)).uri;
    });

    it.each([
      ['service', 'service', '/$defs/serviceFile/properties/service'],
      ['service', 'endpoints', '/$defs/serviceFile/properties/endpoints'],
      ['service', 'charge', '/$defs/endpoint'],
      ['service', 'http', '/$defs/endpoint/properties/http'],
      ['service', 'input', '/$defs/endpoint/properties/input'],
      ['service', 'Charge', '/$defs/typeDecl'],
      ['service', 'fields', '/$defs/typeDecl/properties/fields'],
      ['service', 'field', '/$defs/field/properties/field'],
      ['mesh', 'mesh', '/$defs/meshFile/properties/mesh'],
      ['mesh', 'payment.completed', '/$defs/meshFile/properties/events/additionalProperties'],
      ['mesh', 'gateway', '/$defs/meshFile/properties/gateway'],
      ['mesh', 'routes', '/$defs/meshFile/properties/gateway/properties/routes'],
    ] as const)('in the %s file on `%s`: %s', async (file, key, pointer) => {
      const { text, uri } = files[file];
      expect(await hoverText(uri, keyPosition(text, key))).toContain(described(pointer));
    });
  });

  describe('diagnostics', () => {
    it('reports an unknown key of a service file', async () => {
      const text = `${SERVICE_MODELINE}\nservice: users\nports: { http: 3001 }\nendpionts: {}\n`;
      const { uri } = await open('spec/services/typo.yaml', text);
      const diagnostics = await diagnosticsFor(uri);
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]!.message).toMatch(/endpionts.*not allowed/);
      expect(diagnostics[0]!.range.start.line).toBe(keyPosition(text, 'endpionts').line);
    });

    it('reports an unknown key of an endpoint', async () => {
      const text = `${SERVICE_MODELINE}\nservice: users\nports: { http: 3001 }\nendpoints:\n  getUser:\n    http: GET /users/{id}\n    outptu: User\n`;
      const { uri } = await open('spec/services/typo-endpoint.yaml', text);
      const diagnostics = await diagnosticsFor(uri);
      expect(diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/outptu.*not allowed/)]);
      expect(diagnostics[0]!.range.start.line).toBe(keyPosition(text, 'outptu').line);
    });

    it('reports nothing on the example service and mesh files, and one error once a key is added', async () => {
      const usersText = await exampleWithPublishedModeline('spec/services/users.yaml', SERVICE_MODELINE);
      const users = await open('spec/services/example-users.yaml', usersText);
      const meshFile = await open('spec/example-mesh.yaml', await exampleWithPublishedModeline('spec/mesh.yaml', MESH_MODELINE));
      expect(await diagnosticsFor(users.uri)).toEqual([]);
      expect(await diagnosticsFor(meshFile.uri)).toEqual([]);
      // The same file, validated by the same server, with one key the schema does not know.
      const broken = await open('spec/services/example-users-broken.yaml', usersText.replace('\nservice:', '\nowner: ada\nservice:'));
      expect((await diagnosticsFor(broken.uri)).map((d) => d.message)).toEqual([expect.stringMatching(/owner.*not allowed/)]);
    });
  });

  describe('the yaml.schemas setting instead of the schema line', () => {
    // What the README shows for VS Code's settings.json and for other editors: the published schema,
    // relative to the workspace root, for every YAML file under spec/.
    let mapped: LanguageServer;
    beforeAll(async () => {
      mapped = await startSession({
        yaml: { ...editorSettings.yaml, schemas: { [`./${PUBLISHED_SCHEMA}`]: 'spec/**/*.yaml' } },
      });
    });
    afterAll(async () => {
      await mapped?.stop();
    });

    it('applies the schema to spec files without the line, and not to other YAML files', async () => {
      const text = `service: users\nports: { http: 3001 }\n${CURSOR}\n`;
      const inSpec = await open('spec/services/mapped.yaml', text, mapped);
      const elsewhere = await open('config/other.yaml', text, mapped);
      expect(await completionLabels(inSpec.uri, inSpec.cursor, mapped)).toEqual(expect.arrayContaining(['endpoints', 'types']));
      expect(await completionLabels(elsewhere.uri, elsewhere.cursor, mapped)).not.toContain('endpoints');
    });
  });
});
