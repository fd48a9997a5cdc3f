// The starter `meshspec init` writes: one `greeter` service with one endpoint behind the gateway,
// its hook implemented (the first request answers 200, not 501) and a test of that hook.
import { defaultLayout, hookFile, outputFiles, outputPath, relativeImport, serviceNames } from '../naming/index.js';
import { schemaLine } from './schema-line.js';
import type { ProjectTemplate } from './template.js';

const GATEWAY_PORT = 8080;
const SERVICE = 'greeter';
// The generator's own names, so the starter refers to what `generate` writes.
const names = serviceNames(SERVICE);
const SERVICE_SPEC = `spec/services/${SERVICE}.yaml`;
const HOOK = hookFile(defaultLayout.hooksDir, SERVICE);
const TEST = `test/${SERVICE}.test.ts`;
const HANDLERS = outputPath(defaultLayout, outputFiles.serviceModule(SERVICE, 'handlers'));

/** The starter's spec, hook and test for a mesh named `mesh`. */
export function starterTemplate(mesh: string): ProjectTemplate {
  return {
    files: [
      { path: 'spec/mesh.yaml', content: meshYaml(mesh), ifExists: 'refuse' },
      { path: SERVICE_SPEC, content: serviceYaml(), ifExists: 'refuse' },
      { path: HOOK, content: hookFileContent(), ifExists: 'refuse' },
      { path: TEST, content: testFileContent(), ifExists: 'keep' },
    ],
    tryIt: { url: `http://localhost:${GATEWAY_PORT}/api/v1/greetings/Ada`, answer: '{"message":"Hello, Ada!"}' },
  };
}

function meshYaml(mesh: string): string {
  return `${schemaLine('spec/mesh.yaml')}
# The mesh: its name and version, types and events its services share, and the gateway in front.
mesh: ${mesh}
version: 0.1.0

gateway:
  port: ${GATEWAY_PORT}
  routes:
    - { prefix: /api/v1/greetings, service: ${SERVICE}, rewrite: /greetings }
`;
}

function serviceYaml(): string {
  return `${schemaLine(SERVICE_SPEC)}
# A service: its ports, its types and its endpoints. Add an endpoint, run \`npm run generate\`, and
# ${HOOK} gains a stub for it.
service: ${SERVICE}
description: Greets whoever asks.
ports: { http: 3001 }

types:
  Greeting:
    fields:
      message: { type: string, field: 1, example: "Hello, Ada!" }

endpoints:
  greet:
    http: GET /greetings/{name}
    output: Greeting
`;
}

function hookFileContent(): string {
  return `// Hooks of the \`${SERVICE}\` service: the code behind its endpoints.
// This file is yours. meshspec created it once and never overwrites it: when the spec gains an
// endpoint or event handler, \`meshspec generate\` only adds a stub for it at the end of the object,
// and it warns (without deleting anything) about members the spec no longer declares.

import type { ${names.handlers} } from '${relativeImport(HOOK, HANDLERS)}';

export const handlers: ${names.handlers} = {
  // GET /greetings/{name}: GreetInput -> Greeting
  async greet(input) {
    return { message: \`Hello, \${input.name}!\` };
  },
};
`;
}

function testFileContent(): string {
  return `// This project's own tests: \`npm test\` runs them after the type-check and \`meshspec generate --check\`.
// A hook is a plain async function: call it with an input and a context, no server needed.
import { describe, expect, it } from 'vitest';
import type { ${names.context} } from '${relativeImport(TEST, HANDLERS)}';
import { handlers } from '${relativeImport(TEST, HOOK)}';

// greet reads nothing from its context; for a hook that logs, publishes or calls another service,
// put fakes of ctx.logger, ctx.publish or ctx.clients here.
const ctx = {} as ${names.context};

describe('${SERVICE}.greet', () => {
  it('greets by name', async () => {
    expect(await handlers.greet({ name: 'Ada' }, ctx)).toEqual({ message: 'Hello, Ada!' });
  });
});
`;
}
