// The starter `meshspec init` writes: one `greeter` service with one endpoint behind the gateway,
// its hook implemented (the first request answers 200, not 501) and a test of that hook.
import { schemaLine } from './schema-line.js';
import type { ProjectTemplate } from './template.js';

const GATEWAY_PORT = 8080;

/** The starter's spec, hook and test for a mesh named `mesh`. */
export function starterTemplate(mesh: string): ProjectTemplate {
  return {
    files: [
      { path: 'spec/mesh.yaml', content: meshYaml(mesh), ifExists: 'refuse' },
      { path: 'spec/services/greeter.yaml', content: greeterYaml(), ifExists: 'refuse' },
      { path: 'hooks/greeter.ts', content: greeterHook(), ifExists: 'refuse' },
      { path: 'test/greeter.test.ts', content: greeterTest(), ifExists: 'keep' },
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
    - { prefix: /api/v1/greetings, service: greeter, rewrite: /greetings }
`;
}

function greeterYaml(): string {
  return `${schemaLine('spec/services/greeter.yaml')}
# A service: its ports, its types and its endpoints. Add an endpoint, run \`npm run generate\`, and
# hooks/greeter.ts gains a stub for it.
service: greeter
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

function greeterHook(): string {
  return `// Hooks of the \`greeter\` service: the code behind its endpoints.
// This file is yours. meshspec created it once and never overwrites it: when the spec gains an
// endpoint or event handler, \`meshspec generate\` only adds a stub for it at the end of the object,
// and it warns (without deleting anything) about members the spec no longer declares.

import type { GreeterHandlers } from '../generated/greeter/handlers.js';

export const handlers: GreeterHandlers = {
  // GET /greetings/{name}: GreetInput -> Greeting
  async greet(input) {
    return { message: \`Hello, \${input.name}!\` };
  },
};
`;
}

function greeterTest(): string {
  return `// This project's own tests: \`npm test\` runs them after the type-check and \`meshspec generate --check\`.
// A hook is a plain async function: call it with an input and a context, no server needed.
import { describe, expect, it } from 'vitest';
import type { GreeterContext } from '../generated/greeter/handlers.js';
import { handlers } from '../hooks/greeter.js';

// greet reads nothing from its context; for a hook that logs, publishes or calls another service,
// put fakes of ctx.logger, ctx.publish or ctx.clients here.
const ctx = {} as GreeterContext;

describe('greeter.greet', () => {
  it('greets by name', async () => {
    expect(await handlers.greet({ name: 'Ada' }, ctx)).toEqual({ message: 'Hello, Ada!' });
  });
});
`;
}
