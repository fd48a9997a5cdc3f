// The calling side of bench/service.ts, run in its own forked child so that only the client's CPU
// is counted: the parent asks for one run at a time and gets back this process's CPU over it.
import { setMaxListeners } from 'node:events';
import { resolve } from 'node:path';
import { Client, credentials, Metadata } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { Pool } from 'undici';
import { createInventoryClient, type InventoryClient } from './generated/inventory/client.js';
import { inventoryDefinition } from './generated/inventory/definition.js';
import { schemas } from './generated/schemas.js';
import { createGrpcTransport } from '../runtime/grpc/client.js';
import { createHttpTransport } from '../runtime/http/client.js';
import type { CallOptions } from '../runtime/transport/types.js';
import { driveMeasured, serveCpu } from './support.js';

export type ClientKind = 'undici' | 'http' | 'http-ctx' | 'grpc-raw' | 'grpc' | 'grpc-ctx';

export interface ClientRun {
  type: 'run';
  kind: ClientKind;
  origin: string;
  grpcAddress: string;
  path: string;
  productId: string;
  calls: number;
  concurrency: number;
  capMs: number;
}

export interface ClientResult {
  type: 'result';
  cpuUs: number;
  done: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
}

/** One call; resolves false on a wrong answer. */
type Call = () => Promise<boolean>;

// What a hook's ctx.clients pass on every call: request id, caller, a deadline and the request's signal.
const IN_HOOK: CallOptions = {
  requestId: '4bf92f35-77b3-4da6-a3ce-929d0e0e4736',
  caller: { subject: 'service:orders', service: 'orders' },
  timeoutMs: 5_000,
  signal: new AbortController().signal,
};
// One request's signal is shared by all the calls its hook makes; here all workers share it, so lift
// Node's 10-listener warning (each call adds an abort listener while in flight).
setMaxListeners(Infinity, IN_HOOK.signal!);

function typed(client: InventoryClient, id: string): Call {
  return async () => (await client.getProduct({ id })).id === id;
}

/** The least a gRPC caller does: grpc-js unary call with protobufjs encode/decode, no options. */
function rawGrpc(address: string, id: string, path: string): Call {
  const proto = inventoryDefinition.proto;
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => resolve(proto.root, target);
  root.loadSync(proto.file);
  const pkg = proto.service.slice(0, proto.service.lastIndexOf('.'));
  const request = root.lookupType(`${pkg}.GetProductRequest`);
  const response = root.lookupType(`${pkg}.GetProductResponse`);
  const client = new Client(address, credentials.createInsecure());
  const serialize = (value: object) => Buffer.from(request.encode(value).finish());
  // The response wraps the product (ARCHITECTURE.md, "gRPC contract").
  const deserialize = (bytes: Buffer) => response.toObject(response.decode(bytes), { longs: Number }) as { product?: { id: string } };
  return () =>
    new Promise((done, fail) => {
      client.makeUnaryRequest(path, serialize, deserialize, { id }, new Metadata(), {}, (err, answer) => {
        if (err) fail(err);
        else done(answer!.product?.id === id);
      });
    });
}

function makeCall(run: ClientRun): Call {
  const { origin, grpcAddress: address, productId: id } = run;
  switch (run.kind) {
    case 'undici': {
      // Same pool size as the HTTP transport's default.
      const pool = new Pool(origin, { connections: 64 });
      return async () => {
        const { statusCode, body } = await pool.request({ path: run.path, method: 'GET' });
        return statusCode === 200 && (JSON.parse(await body.text()) as { id: string }).id === id;
      };
    }
    case 'http':
      return typed(createInventoryClient(createHttpTransport({ origin, service: 'inventory' })), id);
    case 'http-ctx':
      return typed(createInventoryClient(createHttpTransport({ origin, service: 'inventory' }), IN_HOOK), id);
    case 'grpc-raw':
      return rawGrpc(address, id, `/${inventoryDefinition.proto.service}/GetProduct`);
    case 'grpc':
      return typed(createInventoryClient(createGrpcTransport({ address, definition: inventoryDefinition, schemas })), id);
    case 'grpc-ctx':
      return typed(createInventoryClient(createGrpcTransport({ address, definition: inventoryDefinition, schemas }), IN_HOOK), id);
  }
}

/** In the client child: serves runs (warm-up or measured); each kind's client is made once and reused. */
export function runClientWorker(): void {
  const calls = new Map<ClientKind, Call>();
  process.on('message', async (msg: ClientRun | { type: 'cpu' }) => {
    if (msg.type !== 'run') return;
    let call = calls.get(msg.kind);
    if (!call) calls.set(msg.kind, (call = makeCall(msg)));
    const measured = await driveMeasured(msg.calls, msg.concurrency, msg.capMs, call);
    process.send!({ type: 'result', ...measured } satisfies ClientResult);
  });
  serveCpu(0);
}
