// ts-morph, and the TypeScript compiler it loads, take most of a `generate`'s start-up (about 0.7 s).
// Only reading an existing hook file needs them, so they are loaded on first use rather than on
// import; `require` keeps that load synchronous, so hook planning stays a plain function.
import { createRequire } from 'node:module';

type TsMorph = typeof import('ts-morph');

let loaded: TsMorph | undefined;

/** The ts-morph module, loaded on the first call. */
export function tsMorph(): TsMorph {
  loaded ??= createRequire(import.meta.url)('ts-morph') as TsMorph;
  return loaded;
}
