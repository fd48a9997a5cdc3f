// Positions in the new spec for findings: the loader's documents and `locate`, the same source map the
// language's diagnostics use. A removed thing is positioned at its nearest parent that still exists.
import { locate, type SpecDocument, type SpecPath } from '../language/load.js';
import type { SourceRef } from '../model/types.js';
import type { Position } from './finding.js';

export class SpecLocator {
  private readonly mesh: SpecDocument;
  private readonly services = new Map<string, SpecDocument>();
  private readonly bySourceName = new Map<string, SpecDocument>();

  /** @param documents the new spec's documents (loadSpec), the mesh file among them */
  constructor(documents: SpecDocument[]) {
    const mesh = documents.find((d) => d.kind === 'mesh');
    if (!mesh) throw new Error('internal: a compiled spec has a mesh document');
    this.mesh = mesh;
    for (const d of documents) {
      this.bySourceName.set(d.sourceName, d);
      const service = (d.data as { service?: unknown } | null)?.service;
      if (d.kind === 'service' && typeof service === 'string') this.services.set(service, d);
    }
  }

  /**
   * The key at `path` in the file of `owner` (a service, or null for mesh.yaml), or of its deepest
   * part that exists; a service without a file is positioned at the mesh's `mesh:` key.
   */
  at(owner: string | null, path: SpecPath): Position {
    const doc = owner === null ? this.mesh : this.services.get(owner);
    if (!doc) return this.point(this.mesh, ['mesh']);
    const existing: (string | number)[] = [];
    let data: unknown = doc.data;
    for (const segment of path) {
      if (data === null || typeof data !== 'object' || !(String(segment) in (data as object))) break;
      data = (data as Record<string, unknown>)[String(segment)];
      existing.push(segment);
    }
    return this.point(doc, existing);
  }

  /** Whether `path` exists in the file of `owner`. */
  has(owner: string | null, path: SpecPath): boolean {
    let data: unknown = (owner === null ? this.mesh : this.services.get(owner))?.data;
    for (const segment of path) {
      if (data === null || typeof data !== 'object' || !(String(segment) in (data as object))) return false;
      data = (data as Record<string, unknown>)[String(segment)];
    }
    return data !== undefined;
  }

  /** The entry of the mesh file's `gateway.routes` with `prefix`, else the list itself. */
  gatewayRoute(prefix: string): Position {
    const index = this.gatewayRouteIndex(prefix);
    return index < 0 ? this.at(null, ['gateway', 'routes']) : this.point(this.mesh, ['gateway', 'routes', index]);
  }

  /** The index of the route with `prefix` in the mesh file's `gateway.routes`, or -1. */
  gatewayRouteIndex(prefix: string): number {
    const routes = (this.mesh.data as { gateway?: { routes?: { prefix?: unknown }[] } }).gateway?.routes ?? [];
    return routes.findIndex((r) => r.prefix === prefix);
  }

  /** A model SourceRef (named like generated headers) as shown in diagnostics. */
  source(ref: SourceRef): Position {
    const doc = this.bySourceName.get(ref.file);
    return { file: doc?.file ?? ref.file, line: ref.line, col: ref.col };
  }

  private point(doc: SpecDocument, path: SpecPath): Position {
    return { file: doc.file, ...locate(doc, path, { key: path.length > 0 && typeof path[path.length - 1] === 'string' }) };
  }
}
