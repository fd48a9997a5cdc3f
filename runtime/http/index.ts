// `meshspec/runtime/http`: the HTTP bindings of a service (node:http by default, or Express) and the typed client's HTTP transport (undici).
export { createHttpApp, type HttpAppOptions } from './server.js';
export { createHttpTransport, type HttpTransport, type HttpTransportOptions } from './client.js';
export { CALLER_HEADER, DEADLINE_HEADER, REQUEST_ID_HEADER } from './headers.js';
