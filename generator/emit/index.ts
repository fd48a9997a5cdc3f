// Every emitter, in one list. Each is a pure function of the model; together they make generated/.
import { compare } from '../model/order.js';
import type { MeshModel } from '../model/types.js';
import { emitDocker } from './docker/index.js';
import { emitDocs } from './docs/index.js';
import { emitGateway } from './gateway/index.js';
import { emitKubernetes } from './kubernetes/index.js';
import { emitOpenApi } from './openapi/index.js';
import { emitProto } from './proto/index.js';
import { emitTypeScript } from './typescript/index.js';
import type { EmitOptions, EmittedFile, Emitter } from './types.js';

export const emitters: readonly Emitter[] = [emitTypeScript, emitGateway, emitProto, emitOpenApi, emitKubernetes, emitDocs, emitDocker];

export function emitAll(model: MeshModel, options: EmitOptions): EmittedFile[] {
  const files = emitters.flatMap((emit) => emit(model, options));
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) throw new Error(`internal: two emitters produce ${file.path}`);
    seen.add(file.path);
  }
  return files.sort((a, b) => compare(a.path, b.path));
}
