// Case conversions between the spec's names and each target's conventions. Every emitter and the
// semantic checks derive names through these, so all outputs split words the same way.
//
// The spec's camelCase names (fields, endpoints, handlers, enum values) follow one rule: each capital
// starts a word of two or more characters (`userId`, not `userID` or `whoAmI`). That makes the
// snake_case of a name (`user_id`) convert back to the very same name, as protobufjs does on decode.

/** `getUser` -> `GetUser`, `users` -> `Users`. */
export function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** `createdAt` -> `created_at` (proto field names). */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** `inStock` -> `IN_STOCK` (proto enum values). */
export function upperSnakeCase(name: string): string {
  return snakeCase(name).toUpperCase();
}

/**
 * UPPER_SNAKE of a PascalCase type name, splitting words exactly as `buf lint` does for
 * ENUM_VALUE_PREFIX: a capital starts a word when the previous letter is lowercase or the next
 * one is lowercase (`HTTPStatus` -> `HTTP_STATUS`, `Ipv4Kind` -> `IPV4_KIND`, `A1B` -> `A1B`).
 * `upperSnakeCase` suffices for camelCase names but not for type names, which may hold runs of capitals.
 */
export function typeUpperSnake(typeName: string): string {
  let out = '';
  for (let i = 0; i < typeName.length; i++) {
    const c = typeName[i]!;
    const prev = typeName[i - 1];
    const next = typeName[i + 1];
    const startsWord = i > 0 && isUpper(c) && ((next !== undefined && isLower(next)) || (prev !== undefined && isLower(prev)));
    out += startsWord ? `_${c}` : c;
  }
  return out.toUpperCase();
}

/** `CreateOrder` -> `create_order`, `HTTPStatus` -> `http_status`: a type name as a proto field name. */
export function typeSnake(typeName: string): string {
  return typeUpperSnake(typeName).toLowerCase();
}

/** The camelCase rule of spec names: lowercase start, letters and digits, each capital starting a word of 2+ characters. */
export const CAMEL_CASE = /^[a-z][a-z0-9]*([A-Z][a-z0-9]+)*$/;

/** True when `name` follows the camelCase rule. */
export function isCamelCase(name: string): boolean {
  return CAMEL_CASE.test(name);
}

/**
 * The closest spelling of `name` that follows the camelCase rule, or undefined when there is no
 * obvious one: runs of capitals become one word (`userID` -> `userId`), a one-character word joins
 * the word before it (`whoAmI` -> `whoAmi`, `getP` -> `getp`), underscores, dashes and spaces
 * separate words (`user_id` -> `userId`, `ACTIVE_NOW` -> `activeNow`).
 */
export function camelCaseSuggestion(name: string): string | undefined {
  if (isCamelCase(name)) return undefined;
  const words = splitWords(name);
  if (words.length === 0) return undefined;
  const merged: string[] = [];
  for (const word of words) {
    if (word.length === 1 && merged.length > 0) merged[merged.length - 1] += word;
    else merged.push(word);
  }
  const out = merged.map((w, i) => (i === 0 ? w.toLowerCase() : capitalize(w.toLowerCase()))).join('');
  return isCamelCase(out) ? out : undefined;
}

/** The PascalCase rule of type and error names: a capital start, then letters and digits. */
export const PASCAL_CASE = /^[A-Z][a-z0-9]*([A-Z][a-z0-9]*)*$/;

/** The closest PascalCase spelling of `name` (`order_item` -> `OrderItem`, `user` -> `User`), or undefined. */
export function pascalCaseSuggestion(name: string): string | undefined {
  if (PASCAL_CASE.test(name)) return undefined;
  const out = splitWords(name).map((w) => capitalize(/[a-z]/.test(w) ? w : w.toLowerCase())).join('');
  return PASCAL_CASE.test(out) ? out : undefined;
}

/**
 * The words of a name in any common style: separated by anything but letters and digits, or by case
 * (`HTTPServer` -> `HTTP`, `Server`). A part written all in capitals (`ACTIVE`) is one word.
 */
function splitWords(name: string): string[] {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .flatMap((part) => (/[a-z]/.test(part) ? (part.match(/[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z0-9])|[A-Z]+/g) ?? []) : [part]));
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function isUpper(c: string): boolean {
  return c >= 'A' && c <= 'Z';
}

function isLower(c: string): boolean {
  return c >= 'a' && c <= 'z';
}
