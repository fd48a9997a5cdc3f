// generated/<svc>/errors.ts: a MeshError subclass per error the service declares, so hooks can
// `throw new UserNotFound()`, and the runtime's built-ins its endpoints use, re-exported.
import type { ErrorModel, ServiceModel } from '../../model/types.js';
import { importDecl, jsdoc, joinBlocks, quote } from './code.js';

/** `UserNotFound` -> `user not found`: the message when the spec gives no description. */
function defaultMessage(error: ErrorModel): string {
  return error.description ?? error.name.replace(/(?<=.)([A-Z])/g, ' $1').toLowerCase();
}

function errorClass(error: ErrorModel): string {
  return (
    jsdoc(`HTTP ${error.status}: ${error.description ?? defaultMessage(error)}`) +
    `export class ${error.name} extends MeshError {\n` +
    `  constructor(message = ${quote(defaultMessage(error))}, details?: unknown) {\n` +
    `    super(${quote(error.name)}, message, ${error.status}, details);\n` +
    '  }\n' +
    '}\n'
  );
}

export function errorsFile(service: ServiceModel): string {
  const own = service.errors.filter((e) => !e.builtin);
  const builtins = service.errors.filter((e) => e.builtin).map((e) => e.name);
  if (own.length === 0 && builtins.length === 0) {
    return `// ${service.name} declares no errors: this module only keeps the layout uniform.\nexport {};\n`;
  }
  return joinBlocks([
    own.length > 0 && importDecl(['MeshError'], 'meshspec/runtime'),
    builtins.length > 0 && importDecl(builtins, 'meshspec/runtime', { keyword: 'export' }),
    ...own.map(errorClass),
  ]);
}
