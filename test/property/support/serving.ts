// The generated stack of one spec, started in this process on free ports: every service answers
// `/ready` over HTTP and the gRPC health check where it has a gRPC port; every endpoint, called through
// the generated typed client with a valid input over HTTP and over gRPC, reaches its hook stub
// (NotImplemented, naming that endpoint); every gateway route reaches a stub too.
import { Client, credentials } from '@grpc/grpc-js';
import { pathToFileURL } from 'node:url';
import { request } from 'undici';
import { serviceNames } from '../../../generator/naming/index.js';
import {
  createGrpcTransport, createHttpTransport, isMeshError, startStack, type ClientTransport, type DevStack, type RunningStack,
  type SchemaRegistry, type ServiceDefinition,
} from '../../support/runtime.js';
import type { TempProject } from '../../support/project.js';
import type { EndpointPlan, SpecPlan } from '../arbitraries/plan.js';
import { sampleOf, typeOf, type Sample } from '../arbitraries/samples.js';

const CALL_TIMEOUT_MS = 5_000;

type Module = Record<string, unknown>;

export async function servingProblems(project: TempProject, plan: SpecPlan): Promise<string[]> {
  const load = (file: string) => import(pathToFileURL(project.file(file)).href) as Promise<Module>;
  const { stack } = (await load('generated/stack.ts')) as { stack: DevStack };
  const { schemas } = (await load('generated/schemas.ts')) as { schemas: SchemaRegistry };
  const ports = Object.fromEntries(plan.services.map((s) => [s.service, { http: 0, grpc: s.ports.grpc === undefined ? null : 0 }]));
  let running: RunningStack;
  try {
    running = await startStack(stack, { ports, gatewayPort: 0, logLevel: 'silent', output: { write: () => true } });
  } catch (error) {
    return [`the stack does not start: ${(error as Error).stack ?? String(error)}`];
  }
  const problems: string[] = [];
  const transports: ClientTransport[] = [];
  try {
    for (const service of plan.services) {
      const urls = running.urls[service.service]!;
      const ready = await request(`${urls.http}/ready`);
      if (ready.statusCode !== 200) problems.push(`${service.service}: /ready answered ${ready.statusCode}: ${await ready.body.text()}`);
      else await ready.body.dump();

      const module = await load(`generated/${service.service}/client.ts`);
      const definition = (await load(`generated/${service.service}/definition.ts`))[serviceNames(service.service).definition] as ServiceDefinition;
      const createClient = module[serviceNames(service.service).createClient] as (t: ClientTransport) => Record<string, (input: unknown) => Promise<unknown>>;
      const clients: [string, Record<string, (input: unknown) => Promise<unknown>>][] = [];
      const http = createHttpTransport({ origin: urls.http, service: service.service });
      transports.push(http);
      clients.push(['http', createClient(http)]);
      if (urls.grpc !== null) {
        const health = await grpcHealth(urls.grpc, definition.proto?.service ?? '');
        if (health !== 'SERVING') problems.push(`${service.service}: the gRPC health check answered ${health}`);
        const grpc = createGrpcTransport({ address: urls.grpc, definition, schemas });
        transports.push(grpc);
        clients.push(['grpc', createClient(grpc)]);
      }
      for (const endpoint of service.endpoints ?? []) {
        for (const [variant, [transport, client]] of clients.entries()) {
          const input = inputOf(plan, service.service, endpoint, variant);
          const outcome = await expectStub(() => client[endpoint.name]!(input), `${service.service}.${endpoint.name}`);
          if (outcome) problems.push(`${service.service}.${endpoint.name} over ${transport} with ${JSON.stringify(input)}: ${outcome}`);
        }
      }
    }
    if (running.gatewayUrl !== null) problems.push(...(await gatewayProblems(running.gatewayUrl, plan)));
  } finally {
    await Promise.all(transports.map((t) => t.close()));
    await running.close();
  }
  return problems;
}

/** The input an endpoint's stub must receive: a sample of its input type, or of its path params. */
export function inputOf(plan: SpecPlan, service: string, endpoint: EndpointPlan, variant: number): Record<string, Sample> {
  const params = [...endpoint.http.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  if (endpoint.input === undefined) return Object.fromEntries(params.map((p, i) => [p, ['id-1', 'a b/c', 'ü'][(variant + i) % 3]!]));
  const input = sampleOf(plan, service, endpoint.input, variant) as Record<string, Sample>;
  // A path param is one URL segment: not empty, `.` or `..` (the runtime refuses those on every transport).
  const fields = typeOf(plan, service, endpoint.input).fields ?? [];
  for (const param of params) {
    if (input[param] !== '' && input[param] !== '.' && input[param] !== '..') continue;
    input[param] = 'x'.repeat(Math.max(1, fields.find((f) => f.name === param)?.minLength ?? 1));
  }
  return input;
}

/** Undefined when `call` rejects with the stub's NotImplemented for `operation`; else what it did instead. */
async function expectStub(call: () => Promise<unknown>, operation: string): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([call(), timeout]);
    return `resolved with ${JSON.stringify(result)} instead of the stub's NotImplemented`;
  } catch (error) {
    if (isMeshError(error) && error.code === 'NotImplemented' && error.message.startsWith(`${operation} `)) return undefined;
    const e = error as { code?: unknown; status?: unknown; message?: unknown; details?: unknown };
    return `rejected with ${String(e.code)} (${String(e.status)}): ${String(e.message)} ${JSON.stringify(e.details ?? null)}`;
  } finally {
    clearTimeout(timer);
  }
}

/** `grpc.health.v1.Health/Check` for `service`, by hand: the request is field 1 (string), the answer field 1 (enum). */
function grpcHealth(address: string, service: string): Promise<string> {
  const name = Buffer.from(service);
  const requestBytes = Buffer.concat([Buffer.from([0x0a, name.length]), name]);
  const client = new Client(address, credentials.createInsecure());
  const same = (b: Buffer) => b;
  return new Promise((resolve) => {
    client.makeUnaryRequest('/grpc.health.v1.Health/Check', same, same, requestBytes, { deadline: Date.now() + CALL_TIMEOUT_MS }, (error, response) => {
      client.close();
      if (error) resolve(`error ${error.code}: ${error.details}`);
      else resolve(response?.equals(Buffer.from([0x08, 0x01])) ? 'SERVING' : `status bytes ${response?.toString('hex')}`);
    });
  });
}

/** One request through every route to an endpoint under it, as a browser or curl would send it. */
async function gatewayProblems(gatewayUrl: string, plan: SpecPlan): Promise<string[]> {
  const problems: string[] = [];
  for (const route of plan.mesh.gateway?.routes ?? []) {
    const upstream = (route.rewrite ?? route.prefix).split('/').filter(Boolean);
    const service = plan.services.find((s) => s.service === route.service)!;
    // Prefer an endpoint the route names literally: where it names a literal for a path param, that
    // literal is the value sent, and the endpoint may then rightly refuse it as invalid input.
    const endpoints = (service.endpoints ?? []).filter((e) => underUpstream(e, upstream));
    const endpoint = endpoints.find((e) => literallyUnder(e, upstream)) ?? endpoints[0];
    if (!endpoint) {
      problems.push(`route ${route.prefix}: no endpoint of ${route.service} under ${upstream.join('/')}, although the spec validated`);
      continue;
    }
    const [method, path] = endpoint.http.split(' ') as [string, string];
    const input = inputOf(plan, service.service, endpoint, 0);
    const segments = path.split('/').filter(Boolean);
    const concrete = segments.map((s, i) => {
      const param = /^\{(\w+)\}$/.exec(s)?.[1];
      if (param === undefined) return s;
      // Where the route names a literal for a param, that literal is the value sent.
      return i < upstream.length ? upstream[i]! : encodeURIComponent(String(input[param]));
    });
    let target = `${route.prefix}${concrete.length > upstream.length ? `/${concrete.slice(upstream.length).join('/')}` : ''}${path.endsWith('/') ? '/' : ''}`;
    const params = new Set(segments.map((s) => /^\{(\w+)\}$/.exec(s)?.[1]).filter((p) => p !== undefined));
    const fields = Object.entries(input).filter(([k]) => !params.has(k));
    let body: string | undefined;
    if (method === 'GET' || method === 'DELETE') {
      const query = new URLSearchParams();
      for (const [k, v] of fields) for (const item of Array.isArray(v) ? v : [v]) query.append(k, String(item));
      if (query.size > 0) target += `?${query}`;
    } else {
      body = JSON.stringify(Object.fromEntries(fields));
    }
    const response = await request(`${gatewayUrl}${target}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body !== undefined && { body }),
      headersTimeout: CALL_TIMEOUT_MS,
    });
    const text = await response.body.text();
    const refused = !literallyUnder(endpoint, upstream) && response.statusCode === 400;
    if (response.statusCode !== 501 && !refused) problems.push(`gateway ${method} ${target} (route ${route.prefix} -> ${route.service} ${endpoint.http}) answered ${response.statusCode}: ${text.slice(0, 500)}`);
  }
  return problems;
}

function underUpstream(endpoint: EndpointPlan, upstream: string[]): boolean {
  const segments = endpoint.http.split(' ')[1]!.split('/').filter(Boolean);
  return upstream.length <= segments.length && upstream.every((u, i) => segments[i] === u || segments[i]!.startsWith('{'));
}

function literallyUnder(endpoint: EndpointPlan, upstream: string[]): boolean {
  const segments = endpoint.http.split(' ')[1]!.split('/').filter(Boolean);
  return upstream.every((u, i) => segments[i] === u);
}
