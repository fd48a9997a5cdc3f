// Validators for generated OpenAPI documents: the OpenAPI 3.1 schema (@seriousme/openapi-schema-validator),
// a JSON-pointer walk for every `$ref`, and Ajv 2020 in strict mode, with the runtime's string formats,
// for the component schemas, the operations' schemas and every example (the OpenAPI schema does not
// look inside them). Used by the example's validate test and the property tests alike.
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { addStringFormats } from '../../runtime/validation/formats.js';

export type Doc = Record<string, any>;

export async function validateOpenApi(doc: Doc) {
  const validator = new Validator();
  const result = await validator.validate(doc);
  return { ...result, version: validator.version };
}

/** Every `$ref` of `doc` whose JSON pointer does not lead anywhere inside `doc`. */
export function unresolvedRefs(doc: Doc): string[] {
  const refs: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) {
        if (key === '$ref' && typeof child === 'string') refs.push(child);
        else walk(child);
      }
    }
  };
  walk(doc);
  return refs.filter((ref) => {
    if (!ref.startsWith('#/')) return true;
    let node: unknown = doc;
    for (const raw of ref.slice(2).split('/')) {
      const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      if (!node || typeof node !== 'object' || !(key in node)) return true;
      node = (node as Record<string, unknown>)[key];
    }
    return false;
  });
}

/** Compiles every component schema with Ajv 2020 (strict: unknown keywords and bad types throw). */
export function compileComponents(doc: Doc): string[] {
  const ajv = new Ajv2020({ strict: true });
  addStringFormats(ajv);
  ajv.addKeyword({ keyword: 'components' }); // a container, so `#/components/schemas/X` resolves
  const id = 'https://meshspec.invalid/openapi.json';
  ajv.addSchema({ $id: id, components: doc.components });
  const names = Object.keys(doc.components?.schemas ?? {});
  for (const name of names) {
    if (!ajv.getSchema(`${id}#/components/schemas/${name}`)) throw new Error(`no schema ${name}`);
  }
  return names;
}

/** Every `schema` of the document's operations and shared responses, with where it is. */
export function operationSchemas(doc: Doc): [string, Doc][] {
  const found: [string, Doc][] = [];
  const walk = (v: unknown, at: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}/${i}`));
    else if (v && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) {
        if (key === 'schema' && child && typeof child === 'object') found.push([`${at}/schema`, child as Doc]);
        else walk(child, `${at}/${key}`);
      }
    }
  };
  walk(doc.paths, '#/paths');
  walk(doc.components?.responses, '#/components/responses');
  return found;
}

/**
 * Ajv 2020 in strict mode holding the document's components, and a compiler for any schema of the
 * document: its `#/components/...` references are made absolute so that they resolve there.
 */
export function documentAjv(doc: Doc): { ajv: Ajv2020; compile: (schema: unknown) => ReturnType<Ajv2020['compile']> } {
  const ajv = new Ajv2020({ strict: true });
  addStringFormats(ajv);
  ajv.addKeyword({ keyword: 'components' });
  const id = 'https://meshspec.invalid/document.json';
  ajv.addSchema({ $id: id, components: doc.components });
  const absolute = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(absolute)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, c]) => [k, k === '$ref' && typeof c === 'string' ? id + c : absolute(c)]))
        : v;
  return { ajv, compile: (schema) => ajv.compile(absolute(schema) as object) };
}

/** Compiles every operation and response schema with Ajv 2020 (strict), its `$ref`s into the document's components. */
export function compileOperationSchemas(doc: Doc): string[] {
  const { compile } = documentAjv(doc);
  return operationSchemas(doc).map(([at, schema]) => {
    compile(schema);
    return at;
  });
}

/**
 * Every example of the document against the schema it illustrates: `example` beside a `schema`
 * (media types, parameters) and `examples` inside a schema. Returns the ones that fail, with where.
 */
export function invalidExamples(doc: Doc): string[] {
  const { ajv, compile } = documentAjv(doc);
  const failures: string[] = [];
  const check = (schema: unknown, example: unknown, at: string) => {
    const validate = compile(schema);
    if (!validate(example)) failures.push(`${at}: ${ajv.errorsText(validate.errors)}`);
  };
  const walk = (v: unknown, at: string): void => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${at}/${i}`));
    if (!v || typeof v !== 'object') return;
    const node = v as Doc;
    if ('schema' in node && 'example' in node) check(node.schema, node.example, `${at}/example`);
    if (Array.isArray(node.examples) && ('type' in node || '$ref' in node)) {
      const { examples, ...schema } = node;
      examples.forEach((example: unknown, i: number) => check(schema, example, `${at}/examples/${i}`));
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'example' && key !== 'examples') walk(child, `${at}/${key}`);
  };
  walk(doc, '#');
  return failures;
}

/** How many examples `doc` carries (so that checking them all is not checking none). */
export function exampleCount(doc: Doc): number {
  const text = JSON.stringify(doc);
  return (text.match(/"example":/g) ?? []).length + (text.match(/"examples":/g) ?? []).length;
}
