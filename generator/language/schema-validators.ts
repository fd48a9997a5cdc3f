// The validators of spec documents, compiled from the language's JSON Schema by ajv. Compiling takes
// a large part of a `generate`'s start-up, and nearly every document passes; so the build compiles
// the same validators ahead of time (validators.cjs beside the schema in dist/, written by
// scripts/build.js) and a passing document is judged by that code. ajv compiles the schema at run
// time only to explain a failing document (messages read the schema's own objects) or without a build.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';

const require = createRequire(import.meta.url);

/** The language's JSON Schema, as the validators and the messages read it. */
export const schema = require('./schema/meshspec.schema.json') as { $id: string };

export interface Validators {
  mesh: ValidateFunction;
  service: ValidateFunction;
}

/** Where the build puts the validators compiled ahead of time. */
const PRECOMPILED = './schema/validators.cjs';

/** ajv, loaded on first use: a run whose documents all pass never loads it. */
function loadAjv(): typeof Ajv2020 {
  return (require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }).Ajv2020;
}

/** Every error, each with the schema objects that failed (the messages read them). */
function createAjv(source: boolean): Ajv2020 {
  const ajv = new (loadAjv())({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true, code: { source } });
  ajv.addKeyword({ keyword: 'x-message', schemaType: 'string' });
  ajv.addSchema(schema);
  return ajv;
}

const refs = { mesh: `${schema.$id}#/$defs/meshFile`, service: `${schema.$id}#/$defs/serviceFile` };

let compiled: Validators | undefined;

/** The validators compiled by ajv now, from the schema object this module holds (slow: on first call). */
export function compiledValidators(): Validators {
  if (!compiled) {
    const ajv = createAjv(false);
    compiled = { mesh: ajv.getSchema(refs.mesh)!, service: ajv.getSchema(refs.service)! };
  }
  return compiled;
}

let precompiled: Validators | null | undefined;

/** The validators compiled ahead of time by the build, else (running from the sources) the ones compiled now. */
export function fastValidators(): Validators {
  if (precompiled === undefined) {
    const file = new URL(PRECOMPILED, import.meta.url);
    precompiled = existsSync(file) ? (require(PRECOMPILED) as Validators) : null;
  }
  return precompiled ?? compiledValidators();
}

/** The source of a CommonJS module exporting `mesh` and `service`: the validators, compiled ahead of time. */
export function standaloneValidators(): string {
  const standaloneCode = (require('ajv/dist/standalone/index.js') as { default: (ajv: Ajv2020, refs: Record<string, string>) => string }).default;
  return standaloneCode(createAjv(true), refs);
}
