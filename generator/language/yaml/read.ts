// Reads one spec file's YAML with positions, and explains what keeps it from reading: one problem
// per mistake, at the mistake, with what to write instead. After each mistake found, its repaired
// text is read again to find the next one; what cannot be repaired ends the search, so that the
// errors which only follow from it are not reported.
import { isCollection, visit, type Document, type LineCounter } from 'yaml';
import { code } from '../diagnostics.js';
import { explain } from './explain.js';
import { findSplitValues } from './quoting.js';
import { ParseBudget, parseProblems, parseYaml, SourceLines } from './source.js';

export interface YamlProblem {
  /** 1-based, as in diagnostics. */
  line: number;
  col: number;
  message: string;
  /** The mistake is a line's indentation (code `yaml-indentation` rather than `yaml-syntax`). */
  indentation: boolean;
}

export type YamlReading =
  | { problems: []; doc: Document.Parsed; lineCounter: LineCounter; data: unknown }
  | { problems: YamlProblem[] };

/**
 * Characters the search for mistakes may parse again in a file: some hundred tries on a spec file of
 * usual size, fewer on a big one, none past 250 kB (its errors are then worded, not searched).
 */
export function repairBudget(text: string): ParseBudget {
  return new ParseBudget(Math.max(0, 2_000_000 - 8 * text.length));
}

/** More mistakes than this in one file are not worth listing before the first ones are fixed. */
const MAX_PROBLEMS = 20;
/** Aliases may repeat a value this many times in all (the `yaml` package's guard against alias bombs). */
const MAX_ALIAS_COUNT = 100;

export function readYaml(text: string): YamlReading {
  const binary = /[\u0000-\u0008\u000E-\u001F\uFFFD]/.exec(text);
  if (binary) {
    const source = new SourceLines(text);
    const problem = 'this file holds bytes that are not UTF-8 text (or control characters); a spec file is YAML text';
    return { problems: [{ line: source.lineOf(binary.index) + 1, col: source.colOf(binary.index) + 1, message: problem, indentation: false }] };
  }
  const problems: YamlProblem[] = [];
  const budget = repairBudget(text);
  let current = text;
  while (problems.length < MAX_PROBLEMS) {
    const { doc, lineCounter } = parseYaml(current);
    const source = new SourceLines(current);
    const report = (offset: number, message: string, indentation = false) =>
      problems.push({ line: source.lineOf(offset) + 1, col: source.colOf(offset) + 1, message, indentation });
    const errors = parseProblems(doc);

    if (errors.length === 0) {
      if (doc.directives?.yaml.explicit && doc.directives.yaml.version !== '1.2') {
        // YAML 1.1 reads `y`, `no` and `on` as booleans; specs are YAML 1.2.
        report(current.indexOf('%YAML'), `meshspec reads YAML 1.2, where \`yes\`, \`no\` and \`on\` are text; remove the \`%YAML ${doc.directives.yaml.version}\` line`);
        return { problems };
      }
      visit(doc, {
        Pair(_, pair) {
          if (isCollection(pair.key)) report(pair.key.range?.[0] ?? 0, 'a key must be a name, not a list or a map');
        },
      });
      for (const split of findSplitValues(doc, source)) {
        report(split.comma, `the comma ends the value of \`${split.key}\` inside \`{ ... }\`, so \`${split.piece}\` became a key of its own; quote the value: ${code(split.written)}`);
      }
      if (problems.length > 0) return { problems };
      const data = toData(doc, report);
      return problems.length > 0 ? { problems } : { problems: [], doc, lineCounter, data };
    }

    let repaired: string | undefined;
    for (const error of errors) {
      // Another error on a line already explained is part of the same mistake.
      if (problems.some((p) => p.line === source.lineOf(error.pos[0]) + 1)) continue;
      const explanation = explain(error, { source, doc, budget });
      report(explanation.offset, explanation.message, explanation.indentation);
      repaired = explanation.repaired;
      if (repaired !== undefined || !explanation.recovered) break;
    }
    if (repaired === undefined || repaired === current) break;
    current = repaired;
  }
  return { problems };
}

/** The document as plain data; aliases that point nowhere or expand without bound are problems, not crashes. */
function toData(doc: Document.Parsed, report: (offset: number, message: string) => void): unknown {
  let unresolved = false;
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) !== undefined) return;
      unresolved = true;
      report(alias.range![0], `\`*${alias.source}\` refers to an anchor \`&${alias.source}\` that is not defined before it; quote the value if \`*\` is text: \`"*${alias.source}"\``);
    },
  });
  if (unresolved) return undefined;
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    let first: number | undefined;
    visit(doc, { Alias(_, alias) { first = alias.range![0]; return visit.BREAK; } });
    if (first === undefined) throw error;
    report(first, `the aliases (\`*name\`) in this file expand to more than ${MAX_ALIAS_COUNT} copies; write the values out`);
    return undefined;
  }
}

