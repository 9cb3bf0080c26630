import { toXrayTraceId } from '../ids/trace-id.js';
import type { NodeRef, SpanKind } from '../model/span.js';
import { REMOTE_NODE_TYPE } from './downstream.js';

/** What assembling a trace needs to know of each stored span. `Span` satisfies it. */
export interface StoredSpan {
  readonly traceId: string;
  readonly id: string;
  readonly parentId: string | null;
  readonly kind: SpanKind;
  readonly startTime: number;
  readonly endTime: number | null;
  readonly downstream: NodeRef | null;
  /** The document text on the span that is a document's root; null on spans embedded in it. */
  readonly doc: string | null;
}

export interface TraceDocument {
  readonly id: string;
  readonly startTime: number;
  readonly document: Record<string, unknown>;
}

export interface AssembledTrace {
  /** Earliest start to latest end over all spans, in seconds. */
  readonly duration: number;
  readonly documents: TraceDocument[];
}

type Obj = Record<string, unknown>;

/**
 * Rebuilds a trace's segment documents in X-Ray's processed form (spec §1.1, §1.12):
 *
 * - each segment as one document, its subsegments embedded as they were sent;
 * - a subsegment sent on its own is embedded under its parent (after the parent's own
 *   subsegments, by start time) without the `type`, `trace_id` and `parent_id` that only a
 *   stand-alone document needs; one whose parent never arrived stays a document of its own, as sent;
 * - an inferred segment (`inferred: true`) for every call to a downstream node that no segment
 *   answered, carrying the call's name, times, `http`, `aws`, `sql` and status flags.
 *
 * Documents are ordered by start time. Pure: the input is not modified.
 */
export function assembleTrace(spans: readonly StoredSpan[]): AssembledTrace {
  let first = Infinity;
  let last = -Infinity;
  const answered = new Set<string>();
  const roots: Array<{ span: StoredSpan; doc: Obj }> = [];
  /** Every span's object inside the parsed documents, and the ID of its parent. */
  const objects = new Map<string, Obj>();
  const parentOf = new Map<string, string | null>();
  for (const s of spans) {
    first = Math.min(first, s.startTime);
    last = Math.max(last, s.endTime ?? s.startTime);
    if (s.kind === 'segment' && s.parentId !== null) answered.add(s.parentId);
    if (s.doc === null) continue;
    const doc = JSON.parse(s.doc) as Obj;
    roots.push({ span: s, doc });
    register(doc, s.parentId, objects, parentOf);
  }

  // Stand-alone subsegments go under their parent, latest start last; the rest are documents.
  roots.sort((a, b) => a.span.startTime - b.span.startTime);
  const documents: TraceDocument[] = [];
  for (const { span, doc } of roots) {
    const parent = span.kind === 'subsegment' && span.parentId !== null ? objects.get(span.parentId) : undefined;
    if (parent && !isAncestor(span.id, span.parentId!, parentOf)) {
      // The parsed objects are ours: strip what only a stand-alone document needs, in place.
      delete doc['type'];
      delete doc['trace_id'];
      delete doc['parent_id'];
      const kids = (parent['subsegments'] as Obj[] | undefined) ?? [];
      parent['subsegments'] = [...kids, doc];
    } else {
      documents.push({ id: span.id, startTime: span.startTime, document: doc });
    }
  }
  for (const s of spans) {
    if (s.downstream && !answered.has(s.id)) documents.push(inferredSegment(s, s.downstream, objects.get(s.id)));
  }
  documents.sort((a, b) => a.startTime - b.startTime);
  return { duration: Number.isFinite(first) ? Math.max(0, last - first) : 0, documents };
}

function register(doc: Obj, parentId: string | null, objects: Map<string, Obj>, parentOf: Map<string, string | null>): void {
  const id = String(doc['id']).toLowerCase();
  objects.set(id, doc);
  parentOf.set(id, parentId);
  const kids = doc['subsegments'];
  if (Array.isArray(kids)) for (const k of kids) register(k as Obj, id, objects, parentOf);
}

/** True when `id` is `of` or one of its ancestors: embedding would make a cycle (bad data). */
function isAncestor(id: string, of: string, parentOf: Map<string, string | null>): boolean {
  const seen = new Set<string>();
  for (let at: string | null | undefined = of; at != null && !seen.has(at); at = parentOf.get(at)) {
    if (at === id) return true;
    seen.add(at);
  }
  return false;
}

const COPIED = ['http', 'aws', 'sql'] as const;
const FLAGS = ['error', 'fault', 'throttle'] as const;

function inferredSegment(call: StoredSpan, node: NodeRef, source: Obj | undefined): TraceDocument {
  const doc: Obj = {
    id: inferredSegmentId(call.id),
    name: node.name,
    start_time: call.startTime,
    trace_id: toXrayTraceId(call.traceId),
    parent_id: call.id,
    inferred: true,
  };
  if (call.endTime === null) doc['in_progress'] = true;
  else doc['end_time'] = call.endTime;
  if (node.type !== REMOTE_NODE_TYPE) doc['origin'] = node.type;
  if (source) {
    for (const key of COPIED) if (source[key] !== undefined) doc[key] = source[key];
    for (const key of FLAGS) if (source[key] === true) doc[key] = true;
  }
  return { id: doc['id'] as string, startTime: call.startTime, document: doc };
}

/** A stable ID for the inferred segment of a call: the same call always yields the same ID. */
export function inferredSegmentId(callId: string): string {
  return fnv1a(`inferred:${callId}`, 0x811c9dc5) + fnv1a(`${callId}:inferred`, 0x01000193);
}

function fnv1a(text: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
