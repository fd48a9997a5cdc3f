// Names the language itself derives from what a spec declares: inline enums, synthesized inputs,
// path params, and the key that tells a service's type from a mesh-level one of the same name.
import { pascalCase } from './case.js';

/** Type name of the input synthesized for an endpoint without `input`. */
export function synthesizedInputName(endpoint: string): string {
  return `${pascalCase(endpoint)}Input`;
}

/** Type name of an enum declared inline on a field. */
export function inlineEnumName(typeName: string, field: string): string {
  return `${typeName}${pascalCase(field)}`;
}

/** `{id}` placeholders of a spec path, in order. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]!);
}

/**
 * The mesh-wide key of a type: its name for a mesh-level type, `<service>.<Name>` for a service's
 * own (two services may each declare `Item`). The key names the type in the JSON Schema registry.
 */
export function typeKey(owner: string | null, name: string): string {
  return owner === null ? name : `${owner}.${name}`;
}
