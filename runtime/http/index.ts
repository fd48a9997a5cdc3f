// `meshspec/runtime/http`: the HTTP binding of a service (Express) and the typed client's HTTP transport (undici).
export { createHttpApp, type HttpAppOptions } from './server.js';
export { createHttpTransport, type HttpTransport, type HttpTransportOptions } from './client.js';
export { CALLER_HEADER, DEADLINE_HEADER, REQUEST_ID_HEADER } from './headers.js';
