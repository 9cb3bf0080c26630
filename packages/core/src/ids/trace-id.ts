/**
 * Trace IDs are 128-bit. Fluoro's canonical form is 32 lowercase hex digits (the W3C form);
 * X-Ray's form is `1-<8 hex epoch>-<24 hex>`. Both are accepted wherever a user types or sends
 * an ID, and X-Ray APIs answer in X-Ray form.
 */

const HEX32 = /^[0-9a-fA-F]{32}$/;
// The Java OTel propagator also accepts an epoch part whose leading zeros were dropped.
const XRAY = /^1-([0-9a-fA-F]{1,8})-([0-9a-fA-F]{24})$/;

/** Returns the canonical 32-hex form of a trace ID in either format, or null if it is neither. */
export function parseTraceId(value: string): string | null {
  if (value.length === 35 && value.charCodeAt(0) === 49 /* 1 */ && value.charCodeAt(1) === 45 && value.charCodeAt(10) === 45) {
    const hex = value.slice(2, 10) + value.slice(11);
    return HEX32.test(hex) ? hex.toLowerCase() : null;
  }
  if (value.length === 32) return HEX32.test(value) ? value.toLowerCase() : null;
  const m = XRAY.exec(value);
  if (m) return (m[1]!.padStart(8, '0') + m[2]!).toLowerCase();
  return null;
}

/** Formats a canonical 32-hex trace ID in X-Ray form: `1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx`. */
export function toXrayTraceId(hex32: string): string {
  return `1-${hex32.slice(0, 8)}-${hex32.slice(8)}`;
}

/** The epoch seconds encoded in the first 32 bits (meaningful only for X-Ray-generated IDs). */
export function traceIdEpoch(hex32: string): number {
  return parseInt(hex32.slice(0, 8), 16);
}

/**
 * The time a trace is filed under for `TimeRangeType: TraceId`. X-Ray-style IDs carry the epoch
 * second the request started; random W3C IDs do not, and for them the span's own start time is
 * used. An epoch is trusted when it lies within a day before, or an hour after, the span's start.
 */
export function traceTime(hex32: string, spanStart: number): number {
  const epoch = traceIdEpoch(hex32);
  return epoch <= spanStart + 3600 && epoch >= spanStart - 86_400 ? epoch : spanStart;
}

const SPAN_ID = /^[0-9a-fA-F]{16}$/;

/** True for a 16-hex-digit segment, subsegment or span ID (either case). */
export function isSpanId(value: unknown): value is string {
  return typeof value === 'string' && value.length === 16 && SPAN_ID.test(value);
}
