// The hook file's `routes`: the extra routes a service mounts beside its endpoints when its spec sets
// `http.extraRoutes`. Unlike the hook objects, it is a list meshspec never reads into: a new file gets
// an empty one after an example in a comment, an existing file without it gets the same appended,
// and an existing one (a list, a call, a re-export) is the user's and is never touched.
import type { ServiceModel } from '../model/types.js';
import { isBound } from './imports.js';
import { routesType } from './names.js';
import type { HookFileShape } from './parse.js';
import type { Style } from './style.js';

/**
 * `export const routes: <Svc>Routes = [];` with the comment before it that says what a route is and
 * shows one, commented out, so the shape is in front of the user. Lines end with `style.eol`.
 *
 * @param service - the service whose hook file it goes in
 * @param style - the file's line ending, quote and semicolons (`defaultStyle` for a new file)
 * @example
 * routesDeclaration(payments, defaultStyle); // '// Routes the spec does not describe ...\nexport const routes: PaymentsRoutes = [];\n'
 */
export function routesDeclaration(service: ServiceModel, style: Style): string {
  const { quote: q, unit: u } = style;
  const semi = style.semi ? ';' : '';
  const lines = [
    '// Routes the spec does not describe (webhooks, file uploads, a legacy path), mounted beside the',
    '// endpoints. Each gets the raw request, its body unread, and the context the endpoint hooks get.',
    '// The endpoints win: a route on the method and path of an endpoint, or on /health or /ready,',
    '// stops the service at startup. Extra routes are not in the OpenAPI document. For example:',
    '//',
    `// ${u}{`,
    `// ${u}${u}method: ${q}POST${q},`,
    `// ${u}${u}path: ${q}/webhooks/{provider}${q},`,
    `// ${u}${u}async handle(req, res, params, ctx) {`,
    `// ${u}${u}${u}const chunks: Buffer[] = []${semi}`,
    `// ${u}${u}${u}for await (const chunk of req) chunks.push(chunk as Buffer)${semi}`,
    `// ${u}${u}${u}const body = Buffer.concat(chunks)${semi}`,
    `// ${u}${u}${u}ctx.logger.info({ provider: params.provider, bytes: body.length }, ${q}webhook received${q})${semi}`,
    `// ${u}${u}${u}res.writeHead(204).end()${semi}`,
    `// ${u}${u}},`,
    `// ${u}},`,
    `export const routes: ${routesType(service.name)} = []${semi}`,
  ];
  return lines.map((line) => line + style.eol).join('');
}

/** What the `routes` export of an existing file needs: a declaration to append, notes and warnings. */
export interface RoutesOutcome {
  /** `routesDeclaration()` for the end of the file (its type to be imported), or undefined. */
  append: string | undefined;
  changes: string[];
  warnings: string[];
}

/**
 * Brings an existing hook file's `routes` in line with the spec: to be appended when the spec mounts
 * extra routes and the file exports none; a warning when the file has a `routes` of its own that it
 * does not export, or exports one the spec no longer mounts; otherwise nothing.
 *
 * @param input - the file's path, its parsed shape and style, and the service
 * @example
 * evolveRoutes({ path: 'hooks/payments.ts', shape, style, service: payments });
 * // { append: '// Routes the spec ...', changes: ['hooks/payments.ts: added `routes`, ...'], warnings: [] }
 */
export function evolveRoutes(input: { path: string; shape: HookFileShape; style: Style; service: ServiceModel }): RoutesOutcome {
  const { path, shape, style, service } = input;
  const none: RoutesOutcome = { append: undefined, changes: [], warnings: [] };
  if (!service.extraRoutes) {
    if (!shape.routes) return none;
    const warning =
      `${path}: exports \`routes\`, but ${service.file} does not set \`http.extraRoutes: true\`, so they are not mounted; ` +
      'set it to serve them, or remove the export';
    return { ...none, warnings: [warning] };
  }
  if (shape.routes) return none;
  if (isBound(shape, 'routes')) {
    const warning =
      `${path}: ${service.file} sets \`http.extraRoutes: true\`, but the file declares or imports a \`routes\` it does not export, ` +
      `so meshspec did not add one; export it (typed \`${routesType(service.name)}\`) to mount its routes`;
    return { ...none, warnings: [warning] };
  }
  return {
    append: routesDeclaration(service, style),
    changes: [`${path}: added \`routes\`, an empty list of extra routes typed \`${routesType(service.name)}\``],
    warnings: [],
  };
}
