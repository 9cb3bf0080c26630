/**
 * What goes over the wire between Fluoro and its clients, as types only (nothing here exists at
 * run time): the X-Ray API's requests and responses, generated from the API model, and the
 * native API's (/api/v1, docs/native-api.md). The server builds its responses with them and the
 * console reads them, so both sides change together.
 */
export type * from './xray.generated.js';
export type * from './native.js';
