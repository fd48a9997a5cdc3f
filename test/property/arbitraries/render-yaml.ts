// Printing a spec with the `yaml` package, as a tool would: quoting is the library's, so every
// description and value arrives as written whatever it contains.
import { Document, isMap, isPair, isScalar, visit } from 'yaml';
import { specDocuments } from './documents.js';
import type { RenderStyle, SpecFiles, SpecPlan } from './plan.js';

type YamlStyle = Extract<RenderStyle, { kind: 'yaml' }>;

const STRING_TYPES = { plain: 'PLAIN', single: 'QUOTE_SINGLE', double: 'QUOTE_DOUBLE' } as const;

export function renderWithYaml(plan: SpecPlan, style: YamlStyle): SpecFiles {
  const files: SpecFiles = {};
  for (const { file, data } of specDocuments(plan)) {
    const doc = new Document(data);
    // yaml 2.9.1 prints a string starting with `%` plain, which YAML reads as a directive: quote it.
    visit(doc, {
      Scalar(_key, node) {
        if (typeof node.value === 'string' && node.value.startsWith('%')) node.type = 'QUOTE_DOUBLE';
      },
    });
    // Field declarations on one line each (`id: { type: string, field: 1 }`), as the example spec has them.
    if (style.flowFields) {
      visit(doc, {
        Pair(_key, pair, path) {
          const parent = path[path.length - 1];
          const grand = path[path.length - 2];
          if (isMap(pair.value) && isMap(parent) && isPair(grand) && isScalar(grand.key) && grand.key.value === 'fields') pair.value.flow = true;
        },
      });
    }
    // Two more bugs of yaml 2.9.1's printer, which render.ts caught reading specs back: a block scalar
    // with leading spaces under `indent: 4` gets a `|2` indicator (reads back with two more spaces),
    // and a folded double-quoted string with a line of only spaces reads back with a backslash. Its
    // block scalars are only used with `indent: 2`, and double-quoted strings are not folded.
    files[file] = doc.toString({
      indent: style.indent,
      blockQuote: style.indent === 2,
      doubleQuotedAsJSON: true,
      defaultStringType: STRING_TYPES[style.quotes],
      defaultKeyType: 'PLAIN',
    });
  }
  return files;
}
