// The same SQL must give the same JavaScript values on both engines, and their default parsers
// differ: `pg` returns int8 as a string, PGlite as a number; `pg` returns numeric[] as numbers and
// intervals as objects, PGlite as strings; PGlite returns bytea as a Uint8Array. Each engine applies
// this one table. Text is chosen where a number could lose precision (int8, numeric) and for date
// and interval, whose JS forms depend on the process's time zone or on the driver.

/** Type OIDs both engines return as the text PostgreSQL sent: int8, numeric, date, interval. */
export const SAME_TYPES_PARSED_AS_TEXT: ReadonlySet<number> = new Set([20, 1700, 1082, 1186]);

/** Array type OIDs both engines return as arrays of text: int8[], numeric[], date[], interval[]. */
export const SAME_ARRAYS_PARSED_AS_TEXT: ReadonlySet<number> = new Set([1016, 1231, 1182, 1187]);

/** bytea, returned as a Buffer by both engines. */
export const BYTEA_OID = 17;
