// Name conversions shared by the model builder and the emitters, so that every output derives a
// name the same way (see ARCHITECTURE.md, "Naming rules").

/** `getUser` -> `GetUser`, `users` -> `Users`. */
export function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** `createdAt` -> `created_at` (proto field names). */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** `OrderStatus` -> `ORDER_STATUS`, `inStock` -> `IN_STOCK` (proto enum values). */
export function upperSnakeCase(name: string): string {
  return snakeCase(name).toUpperCase();
}

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
