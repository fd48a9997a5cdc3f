// Every name the generator derives, in one place: case conversions, the language's own derived names,
// and each target's identifiers, files and objects. Emitters print these names; the semantic checks
// list them to reject a spec whose names would collide once generated.
export * from './case.js';
export * from './files.js';
export * from './kubernetes.js';
export * from './layout.js';
export * from './order.js';
export * from './proto.js';
export * from './spec.js';
export * from './typescript.js';
