import type { AttrValue, Attributes, DecodeResult, OtelEvent, OtelLink, OtelResourceSpans, OtelSpan } from './model.js';

/**
 * Decodes an OTLP `ExportTraceServiceRequest` in OTLP's JSON encoding: lowerCamelCase field names
 * (snake_case accepted too), trace and span IDs as hex, enums as numbers (or their names), 64-bit
 * integers as numbers or decimal strings. A value of the wrong type fails the request with the
 * path to it.
 */
export function decodeOtlpJson(text: string): DecodeResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `the body is not valid JSON: ${(err as Error).message}` };
  }
  try {
    const root = obj(doc, '');
    return { ok: true, resourceSpans: list(field(root, 'resourceSpans'), 'resourceSpans', resourceSpans) };
  } catch (err) {
    if (err instanceof ShapeError) return { ok: false, message: `the body is not an OTLP ExportTraceServiceRequest: ${err.message}` };
    throw err;
  }
}

class ShapeError extends Error {}

type Obj = Record<string, unknown>;

function fail(path: string, what: string): never {
  throw new ShapeError(`${path || 'the body'} ${what}`);
}

function obj(v: unknown, path: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(path, 'must be an object');
  return v as Obj;
}

/** A field by its lowerCamelCase name, or its snake_case one. */
function field(o: Obj, name: string): unknown {
  const v = o[name];
  if (v !== undefined) return v;
  return o[name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
}

function list<T>(v: unknown, path: string, read: (x: unknown, path: string) => T): T[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(path, 'must be a list');
  return v.map((x, i) => read(x, `${path}[${i}]`));
}

function str(v: unknown, path: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') fail(path, 'must be a string');
  return v;
}

function int(v: unknown, path: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  fail(path, 'must be an integer (a number or a string of digits)');
}

function nanos(v: unknown, path: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'string' && /^\d+$/.test(v)) {
    // Seconds and nanoseconds apart: a 19-digit string does not fit a double exactly.
    const s = v.length > 9 ? Number(v.slice(0, -9)) : 0;
    return s + Number(v.slice(-9)) / 1e9;
  }
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v / 1e9;
  fail(path, 'must be a time in nanoseconds (a string of digits or a number)');
}

/** OTLP/JSON IDs are hex; lower-cased. Anything else is kept as given and refused later per span. */
function id(v: unknown, path: string): string {
  return str(v, path).toLowerCase();
}

const KINDS: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const CODES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

function enumValue(v: unknown, names: Record<string, number>, path: string): number {
  if (typeof v === 'string' && v in names) return names[v]!;
  return int(v, path);
}

function resourceSpans(v: unknown, path: string): OtelResourceSpans {
  const o = obj(v, path);
  const resource = field(o, 'resource');
  return {
    resource:
      resource === undefined || resource === null
        ? {}
        : attributes(field(obj(resource, `${path}.resource`), 'attributes'), `${path}.resource.attributes`),
    scopeSpans: list(field(o, 'scopeSpans'), `${path}.scopeSpans`, (x, p) => {
      const s = obj(x, p);
      const scope = field(s, 'scope');
      const so = scope === undefined || scope === null ? {} : obj(scope, `${p}.scope`);
      return {
        scope: { name: str(field(so, 'name'), `${p}.scope.name`), version: str(field(so, 'version'), `${p}.scope.version`) },
        spans: list(field(s, 'spans'), `${p}.spans`, span),
      };
    }),
  };
}

function span(v: unknown, path: string): OtelSpan {
  const o = obj(v, path);
  const status = field(o, 'status');
  const so = status === undefined || status === null ? {} : obj(status, `${path}.status`);
  return {
    traceId: id(field(o, 'traceId'), `${path}.traceId`),
    spanId: id(field(o, 'spanId'), `${path}.spanId`),
    parentSpanId: id(field(o, 'parentSpanId'), `${path}.parentSpanId`),
    traceState: str(field(o, 'traceState'), `${path}.traceState`),
    name: str(field(o, 'name'), `${path}.name`),
    kind: enumValue(field(o, 'kind'), KINDS, `${path}.kind`),
    startTime: nanos(field(o, 'startTimeUnixNano'), `${path}.startTimeUnixNano`),
    endTime: nanos(field(o, 'endTimeUnixNano'), `${path}.endTimeUnixNano`),
    attributes: attributes(field(o, 'attributes'), `${path}.attributes`),
    events: list(field(o, 'events'), `${path}.events`, (x, p): OtelEvent => {
      const e = obj(x, p);
      return {
        time: nanos(field(e, 'timeUnixNano'), `${p}.timeUnixNano`),
        name: str(field(e, 'name'), `${p}.name`),
        attributes: attributes(field(e, 'attributes'), `${p}.attributes`),
      };
    }),
    links: list(field(o, 'links'), `${path}.links`, (x, p): OtelLink => {
      const l = obj(x, p);
      return {
        traceId: id(field(l, 'traceId'), `${p}.traceId`),
        spanId: id(field(l, 'spanId'), `${p}.spanId`),
        traceState: str(field(l, 'traceState'), `${p}.traceState`),
        attributes: attributes(field(l, 'attributes'), `${p}.attributes`),
      };
    }),
    status: {
      code: enumValue(field(so, 'code'), CODES, `${path}.status.code`),
      message: str(field(so, 'message'), `${path}.status.message`),
    },
    flags: int(field(o, 'flags'), `${path}.flags`),
  };
}

function attributes(v: unknown, path: string): Attributes {
  const out: Attributes = {};
  list(v, path, (x, p) => {
    const kv = obj(x, p);
    out[str(field(kv, 'key'), `${p}.key`)] = anyValue(field(kv, 'value'), `${p}.value`, 0);
  });
  return out;
}

function anyValue(v: unknown, path: string, depth: number): AttrValue {
  if (v === undefined || v === null) return null;
  if (depth > 32) fail(path, 'is nested deeper than 32 levels');
  const o = obj(v, path);
  const s = field(o, 'stringValue');
  if (s !== undefined) return str(s, `${path}.stringValue`);
  const b = field(o, 'boolValue');
  if (b !== undefined) {
    if (typeof b !== 'boolean') fail(`${path}.boolValue`, 'must be true or false');
    return b;
  }
  const i = field(o, 'intValue');
  if (i !== undefined) {
    if (typeof i === 'string' && /^-?\d+$/.test(i)) return Number.isSafeInteger(Number(i)) ? Number(i) : i;
    return int(i, `${path}.intValue`);
  }
  const d = field(o, 'doubleValue');
  if (d !== undefined) {
    if (typeof d === 'number') return d;
    if (typeof d === 'string' && ['NaN', 'Infinity', '-Infinity'].includes(d)) return d;
    fail(`${path}.doubleValue`, 'must be a number');
  }
  const a = field(o, 'arrayValue');
  if (a !== undefined)
    return list(field(obj(a, `${path}.arrayValue`), 'values'), `${path}.arrayValue.values`, (x, p) => anyValue(x, p, depth + 1));
  const kv = field(o, 'kvlistValue');
  if (kv !== undefined) {
    const out: Record<string, AttrValue> = {};
    list(field(obj(kv, `${path}.kvlistValue`), 'values'), `${path}.kvlistValue.values`, (x, p) => {
      const e = obj(x, p);
      out[str(field(e, 'key'), `${p}.key`)] = anyValue(field(e, 'value'), `${p}.value`, depth + 1);
    });
    return out;
  }
  const bytes = field(o, 'bytesValue');
  if (bytes !== undefined) return str(bytes, `${path}.bytesValue`);
  return null;
}
