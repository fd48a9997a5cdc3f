// The proto emitter over the example spec (spec/): the shop's four services and shared types.
import { beforeAll, describe, expect, it } from 'vitest';
import { emitProto } from '../../../generator/emit/proto/index.js';
import type { EmittedFile } from '../../../generator/emit/types.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { defaultLayout } from '../../../generator/naming/index.js';

let files: Map<string, EmittedFile>;

beforeAll(async () => {
  const { model, diagnostics } = await compileSpec('spec');
  if (!model) throw new Error(`the example spec does not compile: ${JSON.stringify(diagnostics)}`);
  files = new Map(emitProto(model, { layout: defaultLayout }).map((f) => [f.path, f]));
});

function text(path: string): string {
  const file = files.get(path);
  if (!file) throw new Error(`no ${path}`);
  return file.content;
}

function block(path: string, head: string): string {
  const lines = text(path).split('\n');
  const start = lines.indexOf(head);
  if (start < 0) throw new Error(`no "${head}" in ${path}`);
  return lines.slice(start, head.endsWith('{}') ? start + 1 : lines.indexOf('}', start) + 1).join('\n');
}

const ORDERS = 'proto/shop/orders/v1/orders.proto';
const INVENTORY = 'proto/shop/inventory/v1/inventory.proto';
const TYPES = 'proto/shop/types/v1/types.proto';

describe('emitProto on the example spec', () => {
  it('emits buf.yaml, the shared types and one file per service', () => {
    expect([...files.keys()].sort()).toEqual([
      'proto/buf.yaml',
      INVENTORY,
      ORDERS,
      'proto/shop/payments/v1/payments.proto',
      TYPES,
      'proto/shop/users/v1/users.proto',
    ]);
  });

  it('imports the shared types only into orders, the one service using OrderStatus', () => {
    const importing = [...files.entries()].filter(([, f]) => f.content.includes('import "shop/types/v1/types.proto";')).map(([p]) => p);
    expect(importing).toEqual([ORDERS]);
  });

  it('numbers the shared OrderStatus enum after its UNSPECIFIED value', () => {
    expect(block(TYPES, 'enum OrderStatus {')).toBe(
      [
        'enum OrderStatus {',
        '  ORDER_STATUS_UNSPECIFIED = 0;',
        '  ORDER_STATUS_PENDING = 1;',
        '  ORDER_STATUS_CONFIRMED = 2;',
        '  ORDER_STATUS_FAILED = 3;',
        '  ORDER_STATUS_CANCELLED = 4;',
        '}',
      ].join('\n'),
    );
    // Event payloads travel as JSON on the bus: no rpc reaches them, so they get no message.
    expect(text(TYPES)).not.toMatch(/message (OrderEvent|PaymentEvent|UserCreated|UserDeleted) /);
  });

  it('builds the orders messages from the spec types', () => {
    expect(block(ORDERS, 'message ListOrdersRequest {')).toBe(
      'message ListOrdersRequest {\n  ListOrdersQuery list_orders_query = 1;\n}',
    );
    expect(block(ORDERS, 'message ListOrdersResponse {')).toBe('message ListOrdersResponse {\n  repeated Order items = 1;\n}');
    expect(block(ORDERS, 'message Order {')).toBe(
      [
        'message Order {',
        '  string id = 1;',
        '  string user_id = 2;',
        '  repeated OrderItem items = 3;',
        '  double total_amount = 4;',
        '  .shop.types.v1.OrderStatus status = 5;',
        '  string created_at = 6;',
        '}',
      ].join('\n'),
    );
    expect(block(ORDERS, 'message CancelOrderRequest {')).toBe('message CancelOrderRequest {\n  string id = 1;\n}');
  });

  it('gives inventory its inline enum, empty request and empty response', () => {
    expect(block(INVENTORY, 'enum ReservationState {')).toBe(
      'enum ReservationState {\n  RESERVATION_STATE_UNSPECIFIED = 0;\n  RESERVATION_STATE_HELD = 1;\n  RESERVATION_STATE_COMMITTED = 2;\n  RESERVATION_STATE_RELEASED = 3;\n}',
    );
    expect(block(INVENTORY, 'message ReserveResponse {')).toBe('message ReserveResponse {\n  Reservation reservation = 1;\n}');
    expect(block(INVENTORY, 'message Reservation {')).toContain('  ReservationState state = 3;');
    expect(block(INVENTORY, 'message ListProductsRequest {}')).toBe('message ListProductsRequest {}');
    expect(block(INVENTORY, 'message ReleaseReservationResponse {}')).toBe('message ReleaseReservationResponse {}');
    expect(text(INVENTORY)).not.toMatch(/message \w+Input /);
  });

  it('declares each service with its rpcs in endpoint-name order, each with its errors\' gRPC codes', () => {
    expect(block('proto/shop/users/v1/users.proto', 'service UsersService {')).toBe(
      [
        'service UsersService {',
        '  // Errors: EmailTaken (ALREADY_EXISTS).',
        '  rpc CreateUser(CreateUserRequest) returns (CreateUserResponse);',
        '  // Errors: NotFound (NOT_FOUND).',
        '  rpc DeleteUser(DeleteUserRequest) returns (DeleteUserResponse);',
        '  // Errors: NotFound (NOT_FOUND).',
        '  rpc GetUser(GetUserRequest) returns (GetUserResponse);',
        '  rpc ListUsers(ListUsersRequest) returns (ListUsersResponse);',
        '}',
      ].join('\n'),
    );
  });
});
