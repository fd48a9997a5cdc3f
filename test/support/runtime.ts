// Every runtime feature in one import, for tests that drive several at once. Generated code and
// hooks import the package's subpaths instead (`meshspec/runtime`, `meshspec/runtime/host`, ...).
export * from '../../runtime/index.js';
export * from '../../runtime/bus/index.js';
export * from '../../runtime/dev/index.js';
export * from '../../runtime/discovery/index.js';
export * from '../../runtime/gateway/index.js';
export * from '../../runtime/grpc/index.js';
export * from '../../runtime/host/index.js';
export * from '../../runtime/http/index.js';
export * from '../../runtime/logging/index.js';
export * from '../../runtime/validation/index.js';
