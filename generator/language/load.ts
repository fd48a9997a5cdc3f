// Reads the spec folder: `mesh.yaml` plus `services/*.yaml`, parsed with positions kept so that every
// later check can point at file:line:col.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { readYaml } from './yaml/read.js';

export interface SpecDocument {
  /** Path shown in diagnostics (relative to the working folder). */
  file: string;
  /** Path named in generated headers: the spec folder's name + path inside it, e.g. `spec/services/users.yaml`. */
  sourceName: string;
  kind: 'mesh' | 'service';
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The file's text, for pointing inside a value (`{id}` in `GET /users/{id}`). */
  source: string;
  /** Plain data of the document. */
  data: unknown;
}

export interface LoadResult {
  documents: SpecDocument[];
  diagnostics: Diagnostic[];
}

export type SpecPath = readonly (string | number)[];

const MESH_FILES = ['mesh.yaml', 'mesh.yml'];
const YAML_FILE = /\.ya?ml$/;

export async function loadSpec(specDir: string, cwd: string = process.cwd()): Promise<LoadResult> {
  const absDir = path.resolve(cwd, specDir);
  const show = (abs: string) => toSlash(path.relative(cwd, abs) || '.');
  const sourceName = (abs: string) => toSlash(path.join(path.basename(absDir), path.relative(absDir, abs)));
  const diagnostics: Diagnostic[] = [];
  const fail = (file: string, code: string, message: string) =>
    diagnostics.push({ severity: 'error', code, message, file, line: 1, col: 1 });

  const top = await listDir(absDir);
  if (top === null) {
    fail(show(absDir), 'spec-not-found', `the spec folder ${show(absDir)} does not exist (pass --spec DIR)`);
    return { documents: [], diagnostics };
  }
  const meshFile = MESH_FILES.find((name) => top.includes(name));
  if (meshFile === undefined) {
    fail(show(absDir), 'missing-mesh-file', `the spec folder has no mesh.yaml: it declares the mesh name, version, events and gateway`);
  }
  for (const name of top.filter((n) => YAML_FILE.test(n) && n !== meshFile)) {
    diagnostics.push({
      severity: 'error', code: 'stray-spec-file', file: show(path.join(absDir, name)), line: 1, col: 1,
      message: `only mesh.yaml belongs at the top of the spec folder; put service files in services/`,
    });
  }
  const serviceDir = path.join(absDir, 'services');
  const serviceFiles = ((await listDir(serviceDir)) ?? []).filter((n) => YAML_FILE.test(n)).sort();

  const wanted: { abs: string; kind: 'mesh' | 'service' }[] = [];
  if (meshFile !== undefined) wanted.push({ abs: path.join(absDir, meshFile), kind: 'mesh' });
  for (const name of serviceFiles) wanted.push({ abs: path.join(serviceDir, name), kind: 'service' });

  const documents: SpecDocument[] = [];
  for (const { abs, kind } of wanted) {
    const text = await readFile(abs, 'utf8');
    const file = show(abs);
    const read = readYaml(text);
    for (const { line, col, message, indentation } of read.problems) {
      diagnostics.push({ severity: 'error', code: indentation ? 'yaml-indentation' : 'yaml-syntax', file, line, col, message });
    }
    if (!('doc' in read)) continue;
    documents.push({ file, sourceName: sourceName(abs), kind, doc: read.doc, lineCounter: read.lineCounter, source: text, data: read.data });
  }
  return { documents, diagnostics };
}

export interface LocateOptions {
  /** The position of the last key itself (for "unknown key" or "duplicate name" messages). */
  key?: boolean;
  /** Text inside the value to point at (the first occurrence), e.g. `{id}` in `GET /users/{id}`. */
  within?: string;
  /** Point at the last occurrence of `within` instead (the second of two). */
  last?: boolean;
}

/**
 * Position of the node at `at` (a key path into the document), or of `key`/`within` it. When the
 * path does not exist (a missing key), the deepest node that does exist.
 */
export function locate(document: SpecDocument, at: SpecPath, options: LocateOptions = {}): { line: number; col: number } {
  let node: unknown = document.doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < at.length; i++) {
    const segment = at[i]!;
    const last = i === at.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      if (last && options.key) {
        offset = rangeStart(pair.key) ?? offset;
        break;
      }
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else {
      break;
    }
    offset = rangeStart(node) ?? offset;
  }
  if (options.within !== undefined && isScalar(node) && node.range) {
    const text = document.source.slice(node.range[0], node.range[1]);
    const found = options.last ? text.lastIndexOf(options.within) : text.indexOf(options.within);
    if (found >= 0) offset = node.range[0] + found;
  }
  return document.lineCounter.linePos(offset);
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null)?.range;
  return range ? range[0] : undefined;
}

async function listDir(dir: string): Promise<string[] | null> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return null;
  }
}

function toSlash(p: string): string {
  return p.split(path.sep).join('/');
}
