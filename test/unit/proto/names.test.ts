import { describe, expect, it } from 'vitest';
import { enumPrefix, enumValueName, enumZeroName, protoFieldName, protoServiceName, serviceProtoFile, servicePackage, typesPackage, typesProtoFile } from '../../../generator/naming/index.js';

describe('proto names', () => {
  it('snake_cases camelCase fields so that protobufjs camelCases them back', () => {
    expect(protoFieldName('id')).toBe('id');
    expect(protoFieldName('createdAt')).toBe('created_at');
    expect(protoFieldName('line2Text')).toBe('line2_text');
    expect(protoFieldName('a1B2')).toBe('a1_b2');
  });

  it('splits enum type names into words the way buf lint does (ENUM_VALUE_PREFIX)', () => {
    // Every expectation here was checked against `buf lint` 1.75 with the STANDARD rules.
    expect(enumPrefix('OrderStatus')).toBe('ORDER_STATUS');
    expect(enumPrefix('HTTPStatus')).toBe('HTTP_STATUS');
    expect(enumPrefix('XMLHttpRequest')).toBe('XML_HTTP_REQUEST');
    expect(enumPrefix('Ipv4Kind')).toBe('IPV4_KIND');
    expect(enumPrefix('A1B')).toBe('A1B');
    expect(enumPrefix('A1Bc')).toBe('A1_BC');
    expect(enumPrefix('AbCD')).toBe('AB_CD');
    expect(enumPrefix('AbCDe')).toBe('AB_C_DE');
  });

  it('names enum values PREFIX_VALUE and the zero value PREFIX_UNSPECIFIED', () => {
    expect(enumValueName('OrderStatus', 'pending')).toBe('ORDER_STATUS_PENDING');
    expect(enumValueName('OrderStatus', 'inStock')).toBe('ORDER_STATUS_IN_STOCK');
    expect(enumZeroName('ReservationState')).toBe('RESERVATION_STATE_UNSPECIFIED');
  });

  it('derives packages, files and service names from the mesh and service', () => {
    expect(servicePackage('shop', 'users')).toBe('shop.users.v1');
    expect(typesPackage('shop')).toBe('shop.types.v1');
    expect(serviceProtoFile('shop', 'users')).toBe('shop/users/v1/users.proto');
    expect(typesProtoFile('shop')).toBe('shop/types/v1/types.proto');
    expect(protoServiceName('users')).toBe('UsersService');
  });
});
