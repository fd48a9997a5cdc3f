// Writes the proto emitter's files, with the writer's real header, into a fresh temp folder.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { emitProto } from '../../../generator/emit/proto/index.js';
import type { MeshModel } from '../../../generator/model/types.js';
import { withHeader } from '../../../generator/writer/header.js';
import { defaultLayout } from '../../../generator/naming/index.js';

/** Returns the temp output folder; the protos are under `<it>/proto`. */
export async function writeProtos(model: MeshModel): Promise<string> {
  const out = await mkdtemp(join(tmpdir(), 'meshspec-proto-'));
  for (const file of emitProto(model, { layout: defaultLayout })) {
    const path = join(out, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, withHeader(file, model.generatorVersion));
  }
  return out;
}
