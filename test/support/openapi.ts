// Validators for generated OpenAPI documents: the OpenAPI 3.1 schema (@seriousme/openapi-schema-validator),
// a JSON-pointer walk for every `$ref`, and Ajv 2020 in strict mode for the component schemas (the
// OpenAPI schema does not look inside them).
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

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
  addFormats.default(ajv);
  ajv.addKeyword({ keyword: 'components' }); // a container, so `#/components/schemas/X` resolves
  const id = 'https://meshspec.invalid/openapi.json';
  ajv.addSchema({ $id: id, components: doc.components });
  const names = Object.keys(doc.components?.schemas ?? {});
  for (const name of names) {
    if (!ajv.getSchema(`${id}#/components/schemas/${name}`)) throw new Error(`no schema ${name}`);
  }
  return names;
}
