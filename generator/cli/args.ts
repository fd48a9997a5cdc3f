// Argument parsing shared by the commands (node:util parseArgs, strict: unknown flags are errors).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { defaultLayout } from '../naming/index.js';
import { UsageError } from './usage-error.js';

/** Option values by name, as node:util parseArgs returns them. */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, usage: string): OptionValues {
  return parseWithPositionals(args, options, usage, false).values;
}

/** Like parse, for a command that also takes positional arguments (`init [DIR]`). */
export function parseWithPositionals<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  usage: string,
  allowPositionals = true,
): { values: OptionValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals });
    return { values, positionals };
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${usage}`);
  }
}

/** The folder options `generate` and `dev` share. */
export const layoutOptions = {
  spec: { type: 'string', default: 'spec' },
  out: { type: 'string', default: defaultLayout.outDir },
  hooks: { type: 'string', default: defaultLayout.hooksDir },
} as const;

/** The generate() layout for the folder options, relative to the working folder. */
export function layoutFrom(values: { spec?: unknown; out?: unknown; hooks?: unknown }) {
  return { root: process.cwd(), specDir: values.spec as string, outDir: values.out as string, hooksDir: values.hooks as string };
}
