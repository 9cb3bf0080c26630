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
  readonly position: number;
  readonly downstream: NodeRef | null;
  readonly doc: string;
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
 * - each segment as one document, its subsegments embedded in the order they were sent; a
 *   subsegment that arrived on its own is embedded under its parent without the `type`,
 *   `trace_id` and `parent_id` that only a stand-alone document needs;
 * - a subsegment whose parent never arrived stays a document of its own, exactly as sent;
 * - an inferred segment (`inferred: true`) for every call to a downstream node that sent no
 *   segment of its own, carrying the call's name, times, `http`, `aws`, `sql` and status flags.
 *
 * Documents are ordered by start time. Pure: the input is not modified.
 */
export function assembleTrace(spans: readonly StoredSpan[]): AssembledTrace {
  const byId = new Map<string, StoredSpan>();
  for (const s of spans) byId.set(s.id, s);
  const children = new Map<string, StoredSpan[]>();
  const calledSegments = new Set<string>();
  let first = Infinity;
  let last = -Infinity;
  for (const s of byId.values()) {
    first = Math.min(first, s.startTime);
    last = Math.max(last, s.endTime ?? s.startTime);
    if (s.parentId === null) continue;
    if (s.kind === 'segment') {
      calledSegments.add(s.parentId);
      continue;
    }
    const list = children.get(s.parentId);
    if (list) list.push(s);
    else children.set(s.parentId, [s]);
  }
  for (const list of children.values()) list.sort(siblingOrder);

  const visited = new Set<string>();
  const build = (span: StoredSpan, standAlone: boolean): Obj => {
    visited.add(span.id);
    const doc = JSON.parse(span.doc) as Obj;
    if (!standAlone && span.position < 0) {
      delete doc['type'];
      delete doc['trace_id'];
      delete doc['parent_id'];
    }
    const kids = (children.get(span.id) ?? []).filter((k) => !visited.has(k.id));
    if (kids.length > 0) doc['subsegments'] = kids.map((k) => build(k, false));
    return doc;
  };

  const documents: TraceDocument[] = [];
  const roots = [...byId.values()].filter(
    (s) => s.kind === 'segment' || s.parentId === null || !byId.has(s.parentId),
  );
  roots.sort(siblingOrder);
  for (const s of roots) documents.push({ id: s.id, startTime: s.startTime, document: build(s, true) });
  // Whatever no root reached (a cycle of parent IDs in bad data) is still given back.
  for (const s of byId.values()) {
    if (!visited.has(s.id)) documents.push({ id: s.id, startTime: s.startTime, document: build(s, true) });
  }
  for (const s of byId.values()) {
    if (s.downstream && !calledSegments.has(s.id)) documents.push(inferredSegment(s, s.downstream));
  }
  documents.sort((a, b) => a.startTime - b.startTime);
  return { duration: Number.isFinite(first) ? Math.max(0, last - first) : 0, documents };
}

function siblingOrder(a: StoredSpan, b: StoredSpan): number {
  const pa = a.position < 0 ? Number.MAX_SAFE_INTEGER : a.position;
  const pb = b.position < 0 ? Number.MAX_SAFE_INTEGER : b.position;
  return pa - pb || a.startTime - b.startTime;
}

const COPIED = ['http', 'aws', 'sql'] as const;
const FLAGS = ['error', 'fault', 'throttle'] as const;

function inferredSegment(call: StoredSpan, node: NodeRef): TraceDocument {
  const source = JSON.parse(call.doc) as Obj;
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
  for (const key of COPIED) if (source[key] !== undefined) doc[key] = source[key];
  for (const key of FLAGS) if (source[key] === true) doc[key] = true;
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
