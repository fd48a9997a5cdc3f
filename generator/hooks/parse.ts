// Reading a hook file with ts-morph, in memory: where its `handlers`, `subscriptions` and
// `fallbacks` objects are, which members they have, whether it exports `routes`, and what it imports.
// Only offsets and names come out, so the edits computed from them are plain insertions into the
// original text. ts-morph is loaded by the first createParser() (./ts-morph.ts), not on import: a
// `generate` with no hook file to read never loads it.
import type {
  Node,
  Project,
  ImportDeclaration,
  ObjectLiteralExpression,
  SourceFile,
  VariableDeclaration,
  ts,
} from 'ts-morph';
import { tsMorph } from './ts-morph.js';

export interface ObjectShape {
  /** Offsets of the object's `{` and `}` in the file text. */
  open: number;
  close: number;
  /** Members meshspec can name: methods, property assignments, shorthands, accessors. In file order. */
  names: string[];
  /** A spread or computed key may provide more members than `names`. */
  opaque: boolean;
  /** Start offset of each member. */
  starts: number[];
  /** The last member's end offset and whether a comma follows it; null for an empty object. */
  last: { end: number; comma: boolean } | null;
}

export type ExportLookup =
  | { kind: 'object'; shape: ObjectShape }
  | { kind: 'missing' }
  /** Exported, but not as an object literal meshspec can add to; `found` says what it is. */
  | { kind: 'other'; found: string };

export interface ImportShape {
  module: string;
  typeOnly: boolean;
  /** The `{ ... }` part: its `{` offset, the end of its last element (null when empty), its elements. */
  named: { open: number; lastEnd: number | null; elements: { local: string; typeOnly: boolean }[] } | null;
  /** Default and namespace bindings. */
  otherLocals: string[];
  end: number;
  /** The module specifier's quote character. */
  quote: string;
  semi: boolean;
}

export interface HookFileShape {
  handlers: ExportLookup;
  subscriptions: ExportLookup;
  upgrades: ExportLookup;
  compensations: ExportLookup;
  fallbacks: ExportLookup;
  healthChecks: ExportLookup;
  /** The file exports `routes` (its extra routes), in any form: meshspec never reads or edits it. */
  routes: boolean;
  imports: ImportShape[];
  /** Names declared at the top level other than by imports (functions, classes, variables...). */
  declared: Set<string>;
  /** Start of the first statement, after the file's leading comments. */
  firstStatement: number;
  /** True when the file ends its statements with semicolons (judged on the last import or `handlers`). */
  semi: boolean;
}

export type ParseResult = { ok: true; shape: HookFileShape } | { ok: false; reason: string };

/** One project for a whole run: no disk, no lib files, no module resolution. Only parsing is needed. */
export function createParser(): (text: string) => ParseResult {
  const { Project } = tsMorph();
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: { noLib: true, noResolve: true, allowJs: false },
  });
  return (text) => {
    const sf = project.createSourceFile('/hook.ts', text, { overwrite: true });
    try {
      return parseSourceFile(project, sf);
    } finally {
      project.removeSourceFile(sf);
    }
  };
}

function parseSourceFile(project: Project, sf: SourceFile): ParseResult {
  const syntax = firstSyntaxError(project, sf);
  if (syntax) {
    const { line, column } = sf.getLineAndColumnAtPos(syntax.start);
    return { ok: false, reason: `it has a syntax error at line ${line}, column ${column}: ${syntax.text.replace(/\.$/, '')}` };
  }
  const imports = sf.getImportDeclarations().map(importShape);
  const handlersDecl = findExported(sf, 'handlers');
  const statements = sf.getStatements();
  const semiSample = handlersDecl?.getVariableStatement() ?? sf.getImportDeclarations().at(-1);
  return {
    ok: true,
    shape: {
      handlers: lookup(handlersDecl),
      subscriptions: lookup(findExported(sf, 'subscriptions')),
      upgrades: lookup(findExported(sf, 'upgrades')),
      compensations: lookup(findExported(sf, 'compensations')),
      fallbacks: lookup(findExported(sf, 'fallbacks')),
      healthChecks: lookup(findExported(sf, 'healthChecks')),
      routes: exportsName(sf, 'routes'),
      imports,
      declared: declaredNames(sf),
      firstStatement: statements[0]?.getStart() ?? sf.getEnd(),
      semi: semiSample ? semiSample.getText().endsWith(';') : true,
    },
  };
}

/**
 * The file's first syntax error. For a `.ts` file a program's syntactic diagnostics are the parser's
 * own (`parseDiagnostics`), so they are read from the parse where TypeScript keeps them: building a
 * program per file doubled the time to read one. Should a TypeScript version not keep them there,
 * the program answers, as before.
 */
function firstSyntaxError(project: Project, sf: SourceFile): { start: number; text: string } | undefined {
  const kept = (sf.compilerNode as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics;
  if (Array.isArray(kept)) {
    // In the program's order: by position (the parser reports some errors after later ones).
    const [first] = tsMorph().ts.sortAndDeduplicateDiagnostics(kept);
    return first && { start: first.start ?? 0, text: messageOf(first.messageText) };
  }
  const [syntax] = project.getProgram().getSyntacticDiagnostics(sf);
  if (!syntax) return undefined;
  const message = syntax.getMessageText();
  return { start: syntax.getStart() ?? 0, text: typeof message === 'string' ? message : message.getMessageText() };
}

/** A diagnostic's message: a string, or the head of a chain of them. */
function messageOf(text: string | ts.DiagnosticMessageChain): string {
  return typeof text === 'string' ? text : text.messageText;
}

/** `export const name = ...`, or `const x = ...; export { x as name }`. */
function findExported(sf: SourceFile, name: string): VariableDeclaration | undefined {
  const direct = sf.getVariableDeclaration(name);
  if (direct?.getVariableStatement()?.hasExportKeyword()) return direct;
  for (const decl of sf.getExportDeclarations()) {
    if (decl.getModuleSpecifier()) continue;
    for (const spec of decl.getNamedExports()) {
      const exported = spec.getAliasNode()?.getText() ?? spec.getName();
      if (exported === name) return sf.getVariableDeclaration(spec.getName());
    }
  }
  return undefined;
}

/**
 * True when the file exports `name` in any form: a variable, function or class declared exported, or
 * an `export { ... }` list naming it, re-exports from another module included.
 */
function exportsName(sf: SourceFile, name: string): boolean {
  if (sf.getVariableStatements().some((v) => v.hasExportKeyword() && v.getDeclarations().some((d) => d.getName() === name))) return true;
  if ([...sf.getFunctions(), ...sf.getClasses()].some((d) => d.hasExportKeyword() && d.getName() === name)) return true;
  return sf.getExportDeclarations().some((decl) => decl.getNamedExports().some((spec) => (spec.getAliasNode()?.getText() ?? spec.getName()) === name));
}

/** Skips what does not change the object: `satisfies T`, `as T`, `<T>`, parentheses, `!`. */
function unwrap(node: Node): Node {
  const { Node } = tsMorph();
  let current = node;
  while (
    Node.isSatisfiesExpression(current) ||
    Node.isAsExpression(current) ||
    Node.isTypeAssertion(current) ||
    Node.isParenthesizedExpression(current) ||
    Node.isNonNullExpression(current)
  ) {
    current = current.getExpression();
  }
  return current;
}

function lookup(decl: VariableDeclaration | undefined): ExportLookup {
  const { Node } = tsMorph();
  if (!decl) return { kind: 'missing' };
  const init = decl.getInitializer();
  if (!init) return { kind: 'other', found: 'a declaration without a value' };
  const value = unwrap(init);
  if (!Node.isObjectLiteralExpression(value)) return { kind: 'other', found: article(value.getKindName()) };
  return { kind: 'object', shape: objectShape(value) };
}

/** `CallExpression` -> `a call expression`, for messages. */
function article(kindName: string): string {
  const words = kindName.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`;
}

function objectShape(obj: ObjectLiteralExpression): ObjectShape {
  const { Node } = tsMorph();
  const names: string[] = [];
  let opaque = false;
  const members = obj.getProperties();
  for (const member of members) {
    const name = Node.isSpreadAssignment(member) ? undefined : staticName(member.getNameNode());
    if (name === undefined) opaque = true;
    else names.push(name);
  }
  const lastMember = members.at(-1);
  return {
    open: obj.getStart(),
    close: obj.getEnd() - 1,
    names,
    opaque,
    starts: members.map((m) => m.getStart()),
    last: lastMember ? { end: lastMember.getEnd(), comma: obj.compilerNode.properties.hasTrailingComma } : null,
  };
}

/** The name a member key stands for when it is known without running the code. */
function staticName(key: Node): string | undefined {
  const { Node } = tsMorph();
  if (Node.isIdentifier(key)) return key.getText();
  if (Node.isStringLiteral(key) || Node.isNoSubstitutionTemplateLiteral(key) || Node.isNumericLiteral(key)) {
    return key.getLiteralText();
  }
  if (Node.isComputedPropertyName(key)) {
    const inner = key.getExpression();
    if (Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner)) return inner.getLiteralText();
  }
  return undefined;
}

function importShape(decl: ImportDeclaration): ImportShape {
  const { Node } = tsMorph();
  const namedNode = decl.getImportClause()?.getNamedBindings();
  const named = Node.isNamedImports(namedNode)
    ? {
        open: namedNode.getStart(),
        lastEnd: namedNode.getElements().at(-1)?.getEnd() ?? null,
        elements: namedNode.getElements().map((el) => ({
          local: el.getAliasNode()?.getText() ?? el.getName(),
          typeOnly: el.isTypeOnly(),
        })),
      }
    : null;
  const otherLocals = [decl.getDefaultImport()?.getText(), decl.getNamespaceImport()?.getText()].filter(
    (n): n is string => n !== undefined,
  );
  return {
    module: decl.getModuleSpecifierValue(),
    typeOnly: decl.isTypeOnly(),
    named,
    otherLocals,
    end: decl.getEnd(),
    quote: decl.getModuleSpecifier().getText().charAt(0),
    semi: decl.getText().endsWith(';'),
  };
}

function declaredNames(sf: SourceFile): Set<string> {
  const names = new Set<string>();
  for (const v of sf.getVariableDeclarations()) names.add(v.getName());
  for (const d of [...sf.getFunctions(), ...sf.getClasses(), ...sf.getEnums()]) {
    const name = d.getName();
    if (name) names.add(name);
  }
  return names;
}
