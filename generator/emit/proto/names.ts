// Protobuf names derived from spec names (ARCHITECTURE.md, "Naming rules"). Field and enum-value
// conversions are the shared ones from the model, so every output splits words the same way.
import { pascalCase, snakeCase, upperSnakeCase } from '../../model/names.js';

/** Proto field name: `createdAt` -> `created_at` (protobufjs camelCases it back). */
export function protoFieldName(field: string): string {
  return snakeCase(field);
}

/**
 * UPPER_SNAKE of a PascalCase type name, splitting words exactly as `buf lint` does for
 * ENUM_VALUE_PREFIX: a capital starts a word when the previous letter is lowercase or the next
 * one is lowercase (`HTTPStatus` -> `HTTP_STATUS`, `Ipv4Kind` -> `IPV4_KIND`, `A1B` -> `A1B`).
 * The model's `upperSnakeCase` suffices for camelCase fields but not for type names, which may
 * hold runs of capitals.
 */
export function enumPrefix(typeName: string): string {
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

/** `OrderStatus`, `inStock` -> `ORDER_STATUS_IN_STOCK`. */
export function enumValueName(typeName: string, value: string): string {
  return `${enumPrefix(typeName)}_${upperSnakeCase(value)}`;
}

/** `OrderStatus` -> `ORDER_STATUS_UNSPECIFIED`. */
export function enumZeroName(typeName: string): string {
  return `${enumPrefix(typeName)}_UNSPECIFIED`;
}

/** Package of a service: `shop.users.v1`. */
export function servicePackage(mesh: string, service: string): string {
  return `${mesh}.${service}.v1`;
}

/** Package of the mesh-level types: `shop.types.v1`. */
export function typesPackage(mesh: string): string {
  return `${mesh}.types.v1`;
}

/** Proto file of a service, relative to the proto root: `shop/users/v1/users.proto`. */
export function serviceProtoFile(mesh: string, service: string): string {
  return `${mesh}/${service}/v1/${service}.proto`;
}

/** Proto file of the mesh-level types, relative to the proto root. */
export function typesProtoFile(mesh: string): string {
  return `${mesh}/types/v1/types.proto`;
}

/** `users` -> `UsersService`. */
export function protoServiceName(service: string): string {
  return `${pascalCase(service)}Service`;
}

function isUpper(c: string): boolean {
  return c >= 'A' && c <= 'Z';
}

function isLower(c: string): boolean {
  return c >= 'a' && c <= 'z';
}
