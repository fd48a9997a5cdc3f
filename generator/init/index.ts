// `meshspec init`: scaffolding a project (the starter or an example) in a new or existing folder.
export { examples } from './examples.js';
export { scriptsSpelledOut } from './scripts.js';
export { runInstall, INSTALL_COMMAND } from './install.js';
export { findMeshspecPackage, type MeshspecPackage } from '../package.js';
export type { PackageJsonChanges } from './package-json.js';
export { planInit, SPEC_DIR, type InitOptions, type InitPlan, type PlanResult } from './plan.js';
export type { TryIt } from './template.js';
export { writeInit } from './write.js';
