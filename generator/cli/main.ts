// Entry of the `meshspec` command: dispatches to init, validate, generate, diff, dev, build, events, db and sagas.
import { findMeshspecPackage } from '../package.js';
import { complain, say } from './output.js';
import { LayoutError } from '../layout-error.js';
import { UsageError } from './usage-error.js';

// Not the pipeline's generatorVersion: importing the pipeline would load the whole compiler.
const generatorVersion = findMeshspecPackage().version;

const usage = `meshspec ${generatorVersion}: one YAML spec in, a typed, resilient, deployable service mesh out.

Usage: meshspec <command> [options]

Commands:
  init       start a project: package.json, tsconfig.json, a starter spec, its hook and a test
  validate   check the spec and report every problem with file:line:col
  generate   generate code, protos, OpenAPI and manifests from the spec (--check to verify only)
  diff       classify the changes since an earlier spec (a git ref or a folder) as breaking or safe
  dev        regenerate and run the whole stack on this machine
  build      compile generated/ and hooks/ to JavaScript in build/ for production (plain node)
  events     list and replay a service's dead letters on Redis or RabbitMQ (events dlq list|replay)
  db         show or apply a service's SQL migrations on its database (db status|migrate <service>)
  sagas      list a mesh's sagas by state, or show one with its steps (sagas list|show <id>)

Run \`meshspec <command> --help\` for a command's options.`;

// Loaded on demand: `validate` need not load the emitters (and ts-morph), which take most of the start-up.
const commands: Record<string, () => Promise<(args: string[]) => Promise<number>>> = {
  init: async () => (await import('./init.js')).initCommand,
  validate: async () => (await import('./validate.js')).validateCommand,
  generate: async () => (await import('./generate.js')).generateCommand,
  diff: async () => (await import('./diff.js')).diffCommand,
  dev: async () => (await import('./dev.js')).devCommand,
  build: async () => (await import('./build.js')).buildCommand,
  events: async () => (await import('./events.js')).eventsCommand,
  db: async () => (await import('./db.js')).dbCommand,
  sagas: async () => (await import('./sagas.js')).sagasCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    say(usage);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    say(generatorVersion);
    return 0;
  }
  const load = commands[name];
  if (!load) {
    complain(`unknown command \`${name}\`\n\n${usage}`);
    return 2;
  }
  try {
    const run = await load();
    return await run(args);
  } catch (error) {
    if (error instanceof UsageError || error instanceof LayoutError) {
      complain(error.message);
      return 2;
    }
    // A bug in meshspec, not in the user's spec: say so, with the stack, so it can be reported.
    complain(`internal error (please report it): ${(error as Error).stack ?? String(error)}`);
    return 70;
  }
}
