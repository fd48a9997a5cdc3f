// Assembling one .proto file from its blocks: syntax, package, imports, then the declarations
// separated by blank lines (the layout `buf format` keeps as is).
import { typesProtoFile } from '../../naming/index.js';
import type { ProtoScope } from './scope.js';

/** The text of a proto file; `blocks` are rendered before this is called, so the scope knows the imports. */
export function protoFile(mesh: string, pkg: string, scope: ProtoScope, blocks: string[][]): string {
  const header = ['syntax = "proto3";', '', `package ${pkg};`, ''];
  if (scope.usesMeshTypes) header.push(`import "${typesProtoFile(mesh)}";`, '');
  return `${header.join('\n')}\n${blocks.map((b) => b.join('\n')).join('\n\n')}\n`;
}
