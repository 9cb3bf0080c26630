import { isSpanId, parseTraceId, traceTime } from '../ids/trace-id.js';
import {
  NO_ATTRIBUTES,
  type AttrValue,
  type Attributes,
  type InstrumentationScope,
  type SpanEvent,
  type SpanKindName,
  type SpanLink,
  type SpanStatus,
} from '../model/attributes.js';
import type { AnnotationValue, HttpFields, Span, SpanException, SpanOwner, SpanSource } from '../model/span.js';
import { utf8Length } from '../util/utf8.js';
import { downstreamOf, serviceNodeType } from './downstream.js';
import type { RejectCode, Rejection } from './reject.js';

/** X-Ray's limit for one segment document (quota "Segment document size", not adjustable). */
export const MAX_DOCUMENT_BYTES = 64 * 1024;
/** Deeper nesting than this is refused rather than walked. */
export const MAX_SUBSEGMENT_DEPTH = 64;

export type DocumentResult =
  | {
      readonly ok: true;
      readonly spans: Span[];
      /**
       * Annotations kept but not indexed (a key filter expressions cannot name, or a value that
       * is not a string of at most 1,000 characters, a number or a boolean): they stay in the
       * document and become attributes of their span, as X-Ray keeps such documents.
       */
      readonly unindexed: number;
    }
  | { readonly ok: false; readonly rejection: Rejection };

type Obj = Record<string, unknown>;

// Segment names: Unicode letters, numbers and whitespace plus _ . : / % & # = + \ - @ (spec §1.3).
const SEGMENT_NAME = /^[\p{L}\p{N}\s_.:/%&#=+\\\-@]{1,200}$/u;
// Annotation keys filter expressions can name: alphanumerics and underscore, plus dots (current
// X-Ray docs, `annotation[key]`). Other keys (Envoy's `guid:x-request-id`) are kept, not indexed.
const ANNOTATION_KEY = /^[A-Za-z0-9_.]{1,500}$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const MAX_SUBSEGMENT_NAME = 250;
const MAX_STRING_FIELD = 250;
const MAX_ANNOTATION_VALUE = 1000;
const ID_IN_TEXT = /"id"\s*:\s*"([0-9a-fA-F]{16})"/;

class Reject extends Error {
  constructor(
    readonly code: RejectCode,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/**
 * OpenTelemetry's own fields of a span converted from OTLP or Zipkin (`otelToSegmentDocuments`),
 * by span ID: the converted document holds X-Ray's view, these keep OpenTelemetry's.
 */
export interface OtelFields {
  readonly resource: Readonly<Attributes>;
  readonly scope: InstrumentationScope | null;
  readonly attributes: Readonly<Attributes>;
  readonly events: readonly SpanEvent[];
  readonly links: readonly SpanLink[];
  readonly status: SpanStatus;
  readonly spanKind: SpanKindName;
}

interface Walk {
  readonly docId: string;
  readonly otel: ((traceId: string, spanId: string) => OtelFields | undefined) | undefined;
  readonly traceId: string;
  readonly traceTime: number;
  readonly owner: SpanOwner | null;
  readonly source: SpanSource;
  readonly spans: Span[];
  readonly seen: Set<string>;
  unindexed: number;
}

/**
 * Validates one segment document (a segment, an in-progress segment, or a subsegment sent on its
 * own with `type: "subsegment"`) and flattens it into spans, parents before children.
 *
 * Never throws: a document that is not valid yields a rejection with its ID when readable, a code
 * and a message that names the field at fault. `bytes` is the document's UTF-8 size when the
 * caller already knows it.
 */
export function parseSegmentDocument(text: string, bytes?: number): DocumentResult {
  const size = bytes ?? utf8Length(text);
  if (size > MAX_DOCUMENT_BYTES) {
    return reject(idFromText(text), 'DocumentTooLarge', `document is ${size} bytes; the limit is ${MAX_DOCUMENT_BYTES} bytes (64 KB)`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return reject(idFromText(text), 'InvalidJson', `document is not valid JSON: ${(err as Error).message}`);
  }
  return parseSegmentObject(value, text);
}

/**
 * As `parseSegmentDocument`, for a document that is already parsed. `text`, when given, must be
 * the document's exact JSON text; it is stored as the document (else the object is serialized).
 * `source` says where the document came from (a conversion from OTLP or Zipkin), and `otel` gives
 * the OpenTelemetry fields of the spans it was converted from.
 */
export function parseSegmentObject(
  value: unknown,
  text?: string,
  source: SpanSource = 'xray',
  otel?: (traceId: string, spanId: string) => OtelFields | undefined,
): DocumentResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return reject(null, 'InvalidDocument', `a segment document must be a JSON object, not ${describe(value)}`);
  }
  const doc = value as Obj;
  const rawId = doc['id'];
  const id = isSpanId(rawId) ? rawId.toLowerCase() : null;
  const kindLabel = doc['type'] === 'subsegment' ? 'subsegment' : 'segment';
  try {
    return walkRoot(doc, text, source, otel);
  } catch (err) {
    if (err instanceof Reject) return reject(id, err.code, `${kindLabel}${id ? ` ${id}` : ''}: ${err.detail}`);
    throw err;
  }
}

function walkRoot(doc: Obj, text: string | undefined, source: SpanSource, otel: Walk['otel']): DocumentResult {
  const type = doc['type'];
  if (type !== undefined && type !== 'subsegment') {
    throw new Reject('InvalidDocument', `"type" must be "subsegment" or absent, not ${describe(type)}`);
  }
  const independent = type === 'subsegment';
  requireId(doc, '');
  const rawTrace = doc['trace_id'];
  if (rawTrace === undefined || rawTrace === null) throw new Reject('MissingTraceId', '"trace_id" is missing');
  const traceId = typeof rawTrace === 'string' ? parseTraceId(rawTrace) : null;
  if (!traceId) {
    throw new Reject(
      'InvalidTraceId',
      `"trace_id" ${describe(rawTrace)} is not a trace ID (expected 1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx or 32 hex digits)`,
    );
  }
  const parent = doc['parent_id'];
  if (parent === undefined || parent === null) {
    if (independent) throw new Reject('MissingParentId', 'a subsegment sent on its own needs "parent_id"');
  } else if (!isSpanId(parent)) {
    throw new Reject('InvalidParentId', `"parent_id" ${describe(parent)} is not 16 hex digits`);
  }
  const start = doc['start_time'];
  const owner: SpanOwner | null = independent
    ? null
    : {
        segmentId: (doc['id'] as string).toLowerCase(),
        service: requireName(doc, '', true),
        serviceType: serviceNodeType(optString(doc, 'origin', '')),
      };
  const walk: Walk = {
    docId: (doc['id'] as string).toLowerCase(),
    otel,
    traceId,
    traceTime: typeof start === 'number' ? traceTime(traceId, start) : 0,
    owner,
    source,
    spans: [],
    seen: new Set(),
    unindexed: 0,
  };
  visit(walk, doc, '', independent ? 'subsegment' : 'segment', parent ? (parent as string).toLowerCase() : null, false, 0);
  const root = walk.spans[0]!;
  walk.spans[0] = { ...root, doc: text ?? JSON.stringify(doc) };
  return { ok: true, spans: walk.spans, unindexed: walk.unindexed };
}

function visit(walk: Walk, doc: Obj, path: string, kind: Span['kind'], parentId: string | null, insideCall: boolean, depth: number): void {
  const id = requireId(doc, path);
  if (walk.seen.has(id)) throw new Reject('InvalidId', `${at(path)}"id" ${id} appears twice in the document`);
  walk.seen.add(id);
  const name = requireName(doc, path, kind === 'segment');
  const start = doc['start_time'];
  if (start === undefined || start === null) throw new Reject('MissingStartTime', `${at(path)}"start_time" is missing`);
  if (typeof start !== 'number' || !Number.isFinite(start) || start <= 0) {
    throw new Reject('InvalidStartTime', `${at(path)}"start_time" must be epoch seconds as a positive number, not ${describe(start)}`);
  }
  const inProgressRaw = doc['in_progress'];
  if (inProgressRaw !== undefined && inProgressRaw !== null && typeof inProgressRaw !== 'boolean') {
    throw new Reject('InvalidFieldType', `${at(path)}"in_progress" must be a boolean, not ${describe(inProgressRaw)}`);
  }
  const inProgress = inProgressRaw === true;
  const end = doc['end_time'];
  let endTime: number | null = null;
  if (end === undefined || end === null) {
    if (!inProgress) throw new Reject('MissingEndTime', `${at(path)}"end_time" is missing and "in_progress" is not true`);
  } else {
    if (typeof end !== 'number' || !Number.isFinite(end)) {
      throw new Reject('InvalidEndTime', `${at(path)}"end_time" must be epoch seconds as a number, not ${describe(end)}`);
    }
    if (end < start) throw new Reject('InvalidEndTime', `${at(path)}"end_time" ${end} is before "start_time" ${start}`);
    if (!inProgress) endTime = end;
  }
  const error = optBool(doc, 'error', path);
  const fault = optBool(doc, 'fault', path);
  const throttle = optBool(doc, 'throttle', path);
  const http = httpFields(doc, path);
  const user = optString(doc, 'user', path, MAX_STRING_FIELD);
  optString(doc, 'origin', path);
  optString(doc, 'namespace', path);
  const resourceArn = optString(doc, 'resource_arn', path);
  optBool(doc, 'traced', path);
  const aws = optObject(doc, 'aws', path);
  optObject(doc, 'sql', path);
  optObject(doc, 'service', path);
  const exceptions = checkCause(doc, path);
  // Metadata is kept as sent (in the document); X-Ray's namespaces hold objects, but nothing here reads them.
  optObject(doc, 'metadata', path);
  const { annotations, kept } = checkAnnotations(doc, path);
  if (kept !== NO_ATTRIBUTES) walk.unindexed += Object.keys(kept).length;
  optStringArray(doc, 'precursor_ids', path);
  const links = doc['links'];
  if (links !== undefined && links !== null && (!Array.isArray(links) || links.some((l) => l === null || typeof l !== 'object'))) {
    throw new Reject('InvalidFieldType', `${at(path)}"links" must be an array of objects`);
  }
  const otel = walk.otel?.(walk.traceId, id);
  const subsegments = doc['subsegments'];
  if (subsegments !== undefined && subsegments !== null) {
    if (!Array.isArray(subsegments)) {
      throw new Reject('InvalidFieldType', `${at(path)}"subsegments" must be an array, not ${describe(subsegments)}`);
    }
    if (depth >= MAX_SUBSEGMENT_DEPTH && subsegments.length > 0) {
      throw new Reject('InvalidDocument', `${at(path)}subsegments are nested deeper than ${MAX_SUBSEGMENT_DEPTH} levels`);
    }
  }
  const children = (subsegments as unknown[] | undefined | null) ?? [];
  const downstream = kind === 'subsegment' ? downstreamOf(doc, name, insideCall) : null;
  const ec2 = aws?.['ec2'] as Obj | undefined;
  const ecs = aws?.['ecs'] as Obj | undefined;
  const span: Span = {
    traceId: walk.traceId,
    id,
    parentId,
    kind,
    name,
    startTime: start,
    endTime,
    inProgress,
    owner: walk.owner,
    error,
    fault,
    throttle,
    http,
    user,
    resourceArn,
    accountId: str(aws?.['account_id']),
    instanceId: str(ec2?.['instance_id']),
    availabilityZone: str(ec2?.['availability_zone']) ?? str(ecs?.['availability_zone']),
    annotations,
    exceptions,
    downstream,
    traceTime: walk.traceTime,
    source: walk.source,
    docId: walk.docId,
    doc: null,
    ...(otel ?? {
      resource: NO_ATTRIBUTES,
      scope: null,
      attributes: kept,
      events: NO_EVENTS,
      links: links ? xrayLinks(links as Obj[]) : NO_LINKS,
      status: fault ? FAULT_STATUS : UNSET_STATUS,
      spanKind: kind === 'segment' ? 'server' : downstream ? 'client' : 'internal',
    }),
  };
  walk.spans.push(span);
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    const childPath = `${path}subsegments[${i}]`;
    if (child === null || typeof child !== 'object' || Array.isArray(child)) {
      throw new Reject('InvalidFieldType', `${childPath} must be an object, not ${describe(child)}`);
    }
    visit(walk, child as Obj, `${childPath}.`, 'subsegment', id, insideCall || downstream !== null, depth + 1);
  }
}

function requireId(doc: Obj, path: string): string {
  const id = doc['id'];
  if (id === undefined || id === null) throw new Reject('MissingId', `${at(path)}"id" is missing`);
  if (!isSpanId(id)) throw new Reject('InvalidId', `${at(path)}"id" ${describe(id)} is not 16 hex digits`);
  return id.toLowerCase();
}

function requireName(doc: Obj, path: string, segment: boolean): string {
  const name = doc['name'];
  if (name === undefined || name === null || name === '') throw new Reject('MissingName', `${at(path)}"name" is missing`);
  if (typeof name !== 'string') throw new Reject('InvalidName', `${at(path)}"name" must be a string, not ${describe(name)}`);
  if (segment) {
    if (!SEGMENT_NAME.test(name)) {
      throw new Reject(
        'InvalidName',
        `${at(path)}"name" ${JSON.stringify(name.slice(0, 60))} must be 1-200 characters of letters, numbers, whitespace and _ . : / % & # = + \\ - @`,
      );
    }
  } else if (name.length > MAX_SUBSEGMENT_NAME || CONTROL_CHARS.test(name)) {
    throw new Reject('InvalidName', `${at(path)}"name" must be at most ${MAX_SUBSEGMENT_NAME} characters without control characters`);
  }
  return name;
}

function httpFields(doc: Obj, path: string): HttpFields | null {
  const http = optObject(doc, 'http', path);
  if (!http) return null;
  const request = optObject(http, 'request', `${path}http.`);
  const response = optObject(http, 'response', `${path}http.`);
  const rp = `${path}http.request.`;
  const method = request ? optString(request, 'method', rp) : null;
  const url = request ? optString(request, 'url', rp) : null;
  const userAgent = request ? optString(request, 'user_agent', rp) : null;
  const clientIp = request ? optString(request, 'client_ip', rp) : null;
  if (request) {
    optBool(request, 'x_forwarded_for', rp);
    optBool(request, 'traced', rp);
  }
  let status: number | null = null;
  if (response) {
    const s = response['status'];
    if (s !== undefined && s !== null) {
      if (typeof s !== 'number' || !Number.isInteger(s)) {
        throw new Reject('InvalidFieldType', `${path}http.response.status must be an integer, not ${describe(s)}`);
      }
      status = s;
    }
    const len = response['content_length'];
    if (len !== undefined && len !== null && typeof len !== 'number') {
      throw new Reject('InvalidFieldType', `${path}http.response.content_length must be a number, not ${describe(len)}`);
    }
  }
  return { method, url, userAgent, clientIp, status };
}

const NO_EXCEPTIONS: readonly SpanException[] = Object.freeze([]);
const NO_EVENTS: readonly SpanEvent[] = Object.freeze([]);
const NO_LINKS: readonly SpanLink[] = Object.freeze([]);
const UNSET_STATUS: SpanStatus = Object.freeze({ code: 'unset', message: '' });
const FAULT_STATUS: SpanStatus = Object.freeze({ code: 'error', message: '' });

/** X-Ray's span links (`{trace_id, id, attributes}`) as OpenTelemetry links; unreadable ones are left out. */
function xrayLinks(links: readonly Obj[]): readonly SpanLink[] {
  const out: SpanLink[] = [];
  for (const l of links) {
    const traceId = typeof l['trace_id'] === 'string' ? parseTraceId(l['trace_id']) : null;
    const spanId = l['id'];
    if (!traceId || !isSpanId(spanId)) continue;
    const attributes = l['attributes'];
    out.push({
      traceId,
      spanId: spanId.toLowerCase(),
      attributes: attributes && typeof attributes === 'object' && !Array.isArray(attributes) ? (attributes as Attributes) : NO_ATTRIBUTES,
    });
  }
  return out.length ? out : NO_LINKS;
}

/** Validates `cause` and returns its exceptions (a cause that only points at an exception ID has none of its own). */
function checkCause(doc: Obj, path: string): readonly SpanException[] {
  const cause = doc['cause'];
  if (cause === undefined || cause === null) return NO_EXCEPTIONS;
  if (typeof cause === 'string') {
    if (!isSpanId(cause)) throw new Reject('InvalidFieldType', `${at(path)}"cause" as a string must be a 16-hex exception ID`);
    return NO_EXCEPTIONS;
  }
  if (typeof cause !== 'object' || Array.isArray(cause)) {
    throw new Reject('InvalidFieldType', `${at(path)}"cause" must be an object or an exception ID, not ${describe(cause)}`);
  }
  const exceptions = (cause as Obj)['exceptions'];
  if (exceptions === undefined || exceptions === null) return NO_EXCEPTIONS;
  if (!Array.isArray(exceptions)) throw new Reject('InvalidFieldType', `${at(path)}"cause.exceptions" must be an array`);
  return exceptions.map((e, i) => {
    if (e === null || typeof e !== 'object' || Array.isArray(e)) {
      throw new Reject('InvalidFieldType', `${at(path)}"cause.exceptions[${i}]" must be an object`);
    }
    const eid = (e as Obj)['id'];
    if (typeof eid !== 'string' || eid === '') {
      throw new Reject('InvalidFieldType', `${at(path)}"cause.exceptions[${i}].id" is required and must be a string`);
    }
    const stack = (e as Obj)['stack'];
    if (stack !== undefined && stack !== null && !Array.isArray(stack)) {
      throw new Reject('InvalidFieldType', `${at(path)}"cause.exceptions[${i}].stack" must be an array of frames`);
    }
    const x = e as Obj;
    return {
      name: str(x['type']) ?? str(x['name']) ?? '',
      message: typeof x['message'] === 'string' ? x['message'] : '',
      remote: x['remote'] === true,
    };
  });
}

/**
 * The annotations filter expressions can find, and those kept only as attributes (see
 * `DocumentResult.unindexed`). A document is never refused for its annotations: X-Ray keeps it.
 */
function checkAnnotations(doc: Obj, path: string): { annotations: Record<string, AnnotationValue>; kept: Readonly<Attributes> } {
  const ann = optObject(doc, 'annotations', path);
  if (!ann) return { annotations: EMPTY, kept: NO_ATTRIBUTES };
  const annotations: Record<string, AnnotationValue> = {};
  let kept: Attributes | null = null;
  for (const key of Object.keys(ann)) {
    const v = ann[key];
    if (v === null || v === undefined) continue;
    const indexable =
      ANNOTATION_KEY.test(key) &&
      ((typeof v === 'string' && v.length <= MAX_ANNOTATION_VALUE) ||
        (typeof v === 'number' && Number.isFinite(v)) ||
        typeof v === 'boolean');
    if (indexable) annotations[key] = v as AnnotationValue;
    else (kept ??= {})[key] = v as AttrValue;
  }
  return { annotations, kept: kept ?? NO_ATTRIBUTES };
}

const EMPTY: Record<string, AnnotationValue> = Object.freeze({}) as Record<string, AnnotationValue>;

function optObject(doc: Obj, key: string, path: string): Obj | null {
  const v = doc[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new Reject('InvalidFieldType', `${at(path)}"${key}" must be an object, not ${describe(v)}`);
  }
  return v as Obj;
}

function optString(doc: Obj, key: string, path: string, max?: number): string | null {
  const v = doc[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new Reject('InvalidFieldType', `${at(path)}"${key}" must be a string, not ${describe(v)}`);
  if (max !== undefined && v.length > max) {
    throw new Reject('InvalidFieldType', `${at(path)}"${key}" is ${v.length} characters; the limit is ${max}`);
  }
  return v;
}

function optBool(doc: Obj, key: string, path: string): boolean {
  const v = doc[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new Reject('InvalidFieldType', `${at(path)}"${key}" must be a boolean, not ${describe(v)}`);
  return v;
}

function optStringArray(doc: Obj, key: string, path: string): void {
  const v = doc[key];
  if (v === undefined || v === null) return;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw new Reject('InvalidFieldType', `${at(path)}"${key}" must be an array of strings`);
  }
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function at(path: string): string {
  return path ? `${path.slice(0, -1)}: ` : '';
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function idFromText(text: string): string | null {
  const m = ID_IN_TEXT.exec(text.length > 4096 ? text.slice(0, 4096) : text);
  return m ? m[1]!.toLowerCase() : null;
}

function reject(id: string | null, code: RejectCode, message: string): DocumentResult {
  return { ok: false, rejection: { id, code, message } };
}
