// The first line of every spec file, which points editors (yaml-language-server) at meshspec's
// JSON Schema as an installed project has it.
import { posix } from 'node:path';

/** Where an installed meshspec publishes its JSON Schema, relative to the project root. */
export const INSTALLED_SCHEMA = 'node_modules/meshspec/dist/meshspec.schema.json';

// The line is the first of the file, where meshspec writes it; one further down is left alone.
const SCHEMA_LINE = /^# yaml-language-server: \$schema=[^\n]*/;

/** The schema line for a spec file at `specFile` (project-relative, with `/`). */
export function schemaLine(specFile: string): string {
  return `# yaml-language-server: $schema=${posix.relative(posix.dirname(specFile), INSTALLED_SCHEMA)}`;
}

/** `text` with its schema line pointing at the installed schema: its first line replaced when it is one, else one added. */
export function withSchemaLine(specFile: string, text: string): string {
  const line = schemaLine(specFile);
  return SCHEMA_LINE.test(text) ? text.replace(SCHEMA_LINE, line) : `${line}\n${text}`;
}
