// A reader of the Dockerfiles and ignore files meshspec generates, enough to check them without a
// container engine: instructions grouped by stage (continuations joined, comments dropped, ARG
// defaults substituted in FROM), exec-form arrays parsed, and the build context an ignore file lets in.

/** One instruction: its keyword upper-cased, its text after the keyword, its flags (`--from=build`). */
export interface Instruction {
  keyword: string;
  text: string;
  flags: Record<string, string>;
  /** The text without the flags. */
  args: string;
}

export interface Stage {
  /** The image it starts from, ARG defaults substituted. */
  from: string;
  name: string | null;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARG instructions before the first FROM, with their defaults. */
  globalArgs: Record<string, string>;
  stages: Stage[];
}

/**
 * Parses a Dockerfile.
 *
 * @param text the file
 * @example parseDockerfile('FROM node:24-slim AS build\nRUN npm ci\n').stages[0].name // 'build'
 */
export function parseDockerfile(text: string): Dockerfile {
  const lines = text.split('\n').filter((line) => !/^\s*#/.test(line));
  const joined = lines.join('\n').replace(/\s*\\\n\s*/g, ' ');
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const raw of joined.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = parseInstruction(keyword.toUpperCase(), rest);
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/);
      const from = image.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => globalArgs[(a ?? b)!] ?? '');
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name ?? null : null, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`${instruction.keyword} before the first FROM`);
      const [name = '', value = ''] = instruction.args.split('=');
      globalArgs[name] = value;
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

function parseInstruction(keyword: string, text: string): Instruction {
  const flags: Record<string, string> = {};
  let args = text;
  for (let flag = /^--(\w+)=(\S+)\s+/.exec(args); flag !== null; flag = /^--(\w+)=(\S+)\s+/.exec(args)) {
    flags[flag[1]!] = flag[2]!;
    args = args.slice(flag[0].length);
  }
  return { keyword, text, flags, args };
}

/**
 * The exec form of ENTRYPOINT or CMD (a JSON array of strings), or null for the shell form.
 *
 * @param instruction an ENTRYPOINT or CMD
 * @example execForm({ keyword: 'CMD', args: '["node", "a.js"]', ... }) // ['node', 'a.js']
 */
export function execForm(instruction: Instruction): string[] | null {
  try {
    const parsed: unknown = JSON.parse(instruction.args);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Whether a path of the build context is sent to the builder under `ignoreFile`'s rules, as Docker
 * applies them: each pattern (`!` re-includes) matched against the path and each of its parent
 * folders, `*` within one path element, `**` across any number of them; the last match wins.
 *
 * @param ignoreFile the .dockerignore text
 * @param file a context-relative path with `/`
 * @example inContext('*\n!package.json\n', 'package.json') // true
 */
export function inContext(ignoreFile: string, file: string): boolean {
  const rules = ignoreFile
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => ({ include: line.startsWith('!'), pattern: patternRegExp(line.replace(/^!/, '').replace(/^\/+|\/+$/g, '')) }));
  const parts = file.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let included = true;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.pattern.test(candidate))) included = rule.include;
  }
  return included;
}

function patternRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` matches no folder or any number of them; a final `**` anything.
      if (pattern[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
