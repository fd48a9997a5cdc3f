// The gRPC status code table both sides read: the names the spec accepts, their numbers, and the
// default code per HTTP status.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status as Status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { defaultGrpcStatus, grpcStatusCodes, isGrpcStatusName } from '../../../common/grpc-status.js';
import { formatDiagnostic } from '../../../generator/language/diagnostics.js';
import { compileSpec } from '../../../generator/pipeline.js';

const require = createRequire(import.meta.url);
const schema = require('../../../generator/language/schema/meshspec.schema.json') as {
  $defs: { serviceFile: { properties: { errors: { additionalProperties: { properties: { grpc: { enum: string[] } } } } } } };
};

describe('gRPC status codes (common/grpc-status.ts)', () => {
  it('are the codes the spec schema accepts, in the same order', () => {
    expect(schema.$defs.serviceFile.properties.errors.additionalProperties.properties.grpc.enum).toEqual(Object.keys(grpcStatusCodes));
  });

  it('have the numbers grpc-js uses, and leave out OK', () => {
    for (const [name, code] of Object.entries(grpcStatusCodes)) expect([name, code]).toEqual([name, Status[name as keyof typeof Status]]);
    expect(Object.keys(grpcStatusCodes)).toHaveLength(16);
    expect(isGrpcStatusName('OK')).toBe(false);
    expect(isGrpcStatusName('toString')).toBe(false);
    expect(isGrpcStatusName('ABORTED')).toBe(true);
  });

  it('default per HTTP status, keeping the class of statuses outside the table', () => {
    const table: [number, string][] = [
      [400, 'INVALID_ARGUMENT'],
      [401, 'UNAUTHENTICATED'],
      [403, 'PERMISSION_DENIED'],
      [404, 'NOT_FOUND'],
      [405, 'UNIMPLEMENTED'],
      [409, 'ABORTED'],
      [410, 'NOT_FOUND'],
      [412, 'FAILED_PRECONDITION'],
      [413, 'RESOURCE_EXHAUSTED'],
      [415, 'INVALID_ARGUMENT'],
      [422, 'FAILED_PRECONDITION'],
      [429, 'RESOURCE_EXHAUSTED'],
      [500, 'INTERNAL'],
      [501, 'UNIMPLEMENTED'],
      [503, 'UNAVAILABLE'],
      [504, 'DEADLINE_EXCEEDED'],
      [402, 'FAILED_PRECONDITION'],
      [418, 'FAILED_PRECONDITION'],
      [507, 'UNKNOWN'],
    ];
    for (const [http, grpc] of table) expect([http, defaultGrpcStatus(http)]).toEqual([http, grpc]);
  });
});

describe('an error declaration naming its gRPC code', () => {
  async function diagnosticsOf(errors: string): Promise<string[]> {
    const dir = await mkdtemp(join(tmpdir(), 'meshspec-grpc-code-'));
    try {
      await mkdir(join(dir, 'spec', 'services'), { recursive: true });
      await writeFile(join(dir, 'spec', 'mesh.yaml'), 'mesh: shop\nversion: 1.0.0\n');
      await writeFile(
        join(dir, 'spec', 'services', 'users.yaml'),
        [
          'service: users',
          'ports: { http: 3001, grpc: 50051 }',
          'types:',
          '  User:',
          '    fields:',
          '      id: { type: string, field: 1 }',
          'errors:',
          errors,
          'endpoints:',
          '  getUser: { http: "GET /users/{id}", output: User, errors: [EmailTaken] }',
          '',
        ].join('\n'),
      );
      const result = await compileSpec('spec', dir);
      return result.diagnostics.map(formatDiagnostic);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('is accepted with a code name', async () => {
    expect(await diagnosticsOf('  EmailTaken: { status: 409, grpc: ALREADY_EXISTS }')).toEqual([]);
  });

  it('is rejected at the value with an unknown or OK code, with a suggestion', async () => {
    const [conflict, ...rest] = await diagnosticsOf('  EmailTaken: { status: 409, grpc: ALREADY_EXIST }');
    expect(rest).toEqual([]);
    expect(conflict).toMatch(/^spec\/services\/users\.yaml:8:36: error invalid-value: `ALREADY_EXIST` is not one of `CANCELLED`, .*; did you mean `ALREADY_EXISTS`\?$/);
    const [ok] = await diagnosticsOf('  EmailTaken: { status: 409, grpc: OK }');
    expect(ok).toMatch(/^spec\/services\/users\.yaml:8:36: error invalid-value: `OK` is not one of /);
  });
});
