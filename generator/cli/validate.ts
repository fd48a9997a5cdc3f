import { compileSpec } from '../pipeline.js';
import { parse } from './args.js';
import { plural, printDiagnostics, say } from './output.js';

export const validateUsage = `Usage: meshspec validate [--spec DIR]

Checks the spec (YAML, schema, references, names, ports) and reports every problem as
file:line:col: error CODE: message. Writes nothing. Exit 0 when valid, 1 when not.

Options:
  --spec DIR   spec folder: mesh.yaml plus services/*.yaml (default: spec)
  -h, --help   show this help`;

export async function validateCommand(args: string[]): Promise<number> {
  const values = parse(args, { spec: { type: 'string', default: 'spec' } }, validateUsage);
  if (values.help) return say(validateUsage), 0;
  const result = await compileSpec(values.spec as string);
  const { errors, warnings } = printDiagnostics(result.diagnostics);
  if (errors > 0) {
    process.stderr.write(`${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
    return 1;
  }
  const model = result.model!;
  say(`${values.spec}: mesh ${model.name} ${model.version} is valid: ${plural(model.services.length, 'service')}, ${plural(model.events.length, 'event')}, ${plural(model.types.length, 'type')}${warnings ? `, ${plural(warnings, 'warning')}` : ''}`);
  return 0;
}
