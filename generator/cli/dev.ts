import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generate } from '../generate.js';
import type { DevStack } from '../../runtime/dev/index.js';
import { layoutOptions, parse } from './args.js';
import { complain, plural, printDiagnostics, say } from './output.js';

export const devUsage = `Usage: meshspec dev [--spec DIR] [--out DIR] [--hooks DIR]

Regenerates, then runs the whole stack on this machine with embedded defaults: every service on
its ports (HTTP and gRPC), an in-memory event bus, and the gateway. Logs are prefixed by service.
Ctrl-C stops everything cleanly.

Options:
  --spec DIR    spec folder (default: spec)
  --out DIR     output folder (default: generated)
  --hooks DIR   folder of your hook files (default: hooks)
  -h, --help    show this help`;

export async function devCommand(args: string[]): Promise<number> {
  const values = parse(
    args,
    layoutOptions,
    devUsage,
  );
  if (values.help) return say(devUsage), 0;
  const result = await generate({
    root: process.cwd(),
    specDir: values.spec as string,
    outDir: values.out as string,
    hooksDir: values.hooks as string,
    check: false,
  });
  const { errors } = printDiagnostics(result.diagnostics);
  if (!result.ok) {
    complain(`${plural(errors, 'error')} in the spec: fix them and run again`);
    return 1;
  }
  for (const warning of result.hookWarnings) process.stderr.write(`warning: ${warning}\n`);
  const changed = result.plan.create.length + result.plan.update.length + result.plan.remove.length;
  if (changed > 0) say(`regenerated ${plural(changed, 'file')} in ${values.out}`);

  const stackModule = pathToFileURL(path.resolve(values.out as string, 'stack.ts')).href;
  const { stack } = (await import(stackModule)) as { stack: DevStack };
  const { runStack } = await import('../../runtime/dev/index.js');
  const { model } = result;
  // runStack keeps the process alive until Ctrl-C / SIGTERM, then exits by itself.
  await runStack(stack, {
    meshFile: model.meshFile,
    specFiles: Object.fromEntries(model.services.map((s) => [s.name, s.file])),
  });
  return 0;
}
