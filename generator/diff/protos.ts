// The proto half of `meshspec diff`: both specs' protos, as the proto emitter writes them, compared by
// `buf breaking` with the WIRE rules plus RPC_NO_DELETE and SERVICE_NO_DELETE: what breaks a deployed
// gRPC client on the binary wire. Names on the JSON side (the HTTP API) are the model diff's to judge,
// and what only changes generated source is no break for a client already deployed. Its findings
// are positioned in the new spec at the field or endpoint a message names, else at the proto's spec file.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { emitProto } from '../emit/proto/index.js';
import type { MeshModel, RecordTypeModel } from '../model/types.js';
import { defaultLayout, protoFieldName, rpcMessageNames, serviceProtoFile, typesProtoFile } from '../naming/index.js';
import type { Finding, Position } from './finding.js';
import type { SpecLocator } from './locator.js';

/** `buf breaking`'s findings, or why it did not run (buf not installed). */
export type ProtoCheck = { ran: true; findings: Finding[] } | { ran: false; reason: string };

/** One line of `buf breaking --error-format json`. */
interface BufAnnotation {
  path?: string;
  start_line?: number;
  start_column?: number;
  type?: string;
  message?: string;
}

/**
 * The buf binary of @bufbuild/buf (its platform package ships it: nothing is downloaded at run time):
 * the one `MESHSPEC_BUF` names, else the project's (a devDependency), else one beside meshspec;
 * undefined when there is none. meshspec does not depend on it: projects install meshspec as a
 * production dependency, and every service image would carry the binary.
 */
export function findBuf(): string | undefined {
  const named = process.env['MESHSPEC_BUF'];
  if (named !== undefined && named !== '') return existsSync(named) ? named : undefined;
  for (const from of [path.join(process.cwd(), 'package.json'), import.meta.url]) {
    try {
      return createRequire(from).resolve('@bufbuild/buf/bin/buf');
    } catch {
      // Not installed there: look further.
    }
  }
  return undefined;
}

/**
 * Runs `buf breaking` on the new spec's protos against the earlier spec's.
 *
 * @example await checkProtos(earlier, current, locator) // { ran: true, findings: [...] }
 */
export async function checkProtos(before: MeshModel, after: MeshModel, locator: SpecLocator): Promise<ProtoCheck> {
  const buf = findBuf();
  if (buf === undefined) return { ran: false, reason: 'buf is not installed (npm install --save-dev @bufbuild/buf): the protos were not compared' };
  const root = await mkdtemp(path.join(tmpdir(), 'meshspec-diff-protos-'));
  try {
    const [beforeDir, afterDir] = [path.join(root, 'before'), path.join(root, 'after')];
    const wrote = [await writeProtos(before, beforeDir), await writeProtos(after, afterDir)];
    // A side without gRPC services has no protos: nothing a gRPC client could depend on, or nothing left to compare.
    if (!wrote[0] || !wrote[1]) return { ran: true, findings: [] };
    // Run inside the new protos, so that buf names files by their import path (`shop/users/v1/users.proto`).
    const { code, stdout, stderr } = await run(buf, ['breaking', '.', '--against', beforeDir, '--error-format', 'json'], afterDir);
    if (code !== 0 && code !== 100) throw new Error(`buf breaking failed (exit ${code}): ${(stderr || stdout).trim()}`);
    const annotations = stdout.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as BufAnnotation);
    return { ran: true, findings: annotations.map((a) => toFinding(a, after, locator)) };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function writeProtos(model: MeshModel, dir: string): Promise<boolean> {
  const files = emitProto(model, { layout: defaultLayout });
  if (files.length === 0) return false;
  for (const file of files) {
    const target = path.join(dir, file.path.replace(/^proto\//, ''));
    await mkdir(path.dirname(target), { recursive: true });
    // The breaking rules: the binary wire's, and no rpc or service deleted (clients call them).
    const content = path.basename(file.path) === 'buf.yaml' ? `${file.content}breaking:\n  use:\n    - WIRE\n    - RPC_NO_DELETE\n    - SERVICE_NO_DELETE\n` : file.content;
    await writeFile(target, content);
  }
  return true;
}

function toFinding(annotation: BufAnnotation, model: MeshModel, locator: SpecLocator): Finding {
  const rule = annotation.type ?? 'BREAKING';
  const message = `buf ${rule}: ${annotation.message ?? 'breaking change'} (${annotation.path ?? 'protos'}${annotation.start_line ? `:${annotation.start_line}` : ''})`;
  return {
    classification: 'breaking',
    code: `proto-${rule.toLowerCase().replace(/_/g, '-')}`,
    message,
    hint: `gRPC clients built from the earlier protos break: keep field numbers, types and names, reserve removed numbers, add new messages or methods instead`,
    ...positionOf(annotation, model, locator),
  };
}

/** The field or type the annotation names, else the spec file its proto file comes from. */
function positionOf(annotation: BufAnnotation, model: MeshModel, locator: SpecLocator): Position {
  const owner = model.services.find((s) => serviceProtoFile(model.name, s.name) === annotation.path)?.name ?? null;
  const fromFile = owner !== null ? locator.at(owner, ['service']) : annotation.path === typesProtoFile(model.name) ? locator.at(null, ['types']) : locator.at(null, ['mesh']);
  const text = annotation.message ?? '';
  const messageName = /on message "([A-Za-z0-9_.]+)"/.exec(text)?.[1]?.split('.').pop();
  const number = Number(/[Ff]ield "(\d+)"/.exec(text)?.[1]);
  const protoName = /with name "([A-Za-z0-9_]+)"/.exec(text)?.[1];
  // An rpc's own message (`GetUserRequest`): its endpoint.
  const endpoint = model.services.find((s) => s.name === owner)?.endpoints.find((e) => Object.values(rpcMessageNames(e.name)).includes(messageName ?? ''));
  if (endpoint) return locator.at(owner, ['endpoints', endpoint.name]);
  const type = model.types.find((t): t is RecordTypeModel => t.kind === 'record' && t.owner === owner && t.name === messageName);
  if (!type || !locator.has(owner, ['types', type.name])) return fromFile;
  const field = type.fields.find((f) => f.number === number) ?? type.fields.find((f) => protoFieldName(f.name) === protoName);
  return locator.at(owner, ['types', type.name, 'fields', ...(field ? [field.name] : [])]);
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const [file, fileArgs] = process.platform === 'win32' ? [process.execPath, [command, ...args]] : [command, args];
  return new Promise((resolve) => {
    execFile(file, fileArgs, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
