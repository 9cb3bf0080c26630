import { toXrayTraceId } from '../ids/trace-id.js';
import type { NodeRef, SpanKind } from '../model/span.js';
import { REMOTE_NODE_TYPE } from './downstream.js';
import { MAX_SUBSEGMENT_DEPTH } from './segment-document.js';

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
  /** Every span's object inside the parsed documents, the document root holding it, and its depth there. */
  const objects = new Map<string, Placed>();
  for (const s of spans) {
    first = Math.min(first, s.startTime);
    last = Math.max(last, s.endTime ?? s.startTime);
    if (s.kind === 'segment' && s.parentId !== null) answered.add(s.parentId);
    if (s.doc === null) continue;
    const doc = JSON.parse(s.doc) as Obj;
    roots.push({ span: s, doc });
    register(doc, s.id, objects);
  }

  // Stand-alone subsegments go under their parent, latest start last; the rest are documents.
  roots.sort((a, b) => a.span.startTime - b.span.startTime);
  const depthOf = embeddingDepths(roots, objects);
  const documents: TraceDocument[] = [];
  for (const { span, doc } of roots) {
    const parent = depthOf.get(span.id)! > 0 ? objects.get(span.parentId!)!.doc : undefined;
    if (parent) {
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
    if (s.downstream && !answered.has(s.id)) documents.push(inferredSegment(s, s.downstream, objects.get(s.id)?.doc));
  }
  documents.sort((a, b) => a.startTime - b.startTime);
  return { duration: Number.isFinite(first) ? Math.max(0, last - first) : 0, documents };
}

interface Placed {
  readonly doc: Obj;
  /** The span whose stored document holds this object. */
  readonly root: string;
  /** Levels below that document's top (0 for the top). */
  readonly depth: number;
}

function register(top: Obj, root: string, objects: Map<string, Placed>): void {
  const stack: Array<{ doc: Obj; depth: number }> = [{ doc: top, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    objects.set(String(item.doc['id']).toLowerCase(), { doc: item.doc, root, depth: item.depth });
    const kids = item.doc['subsegments'];
    if (Array.isArray(kids)) for (const k of kids) stack.push({ doc: k as Obj, depth: item.depth + 1 });
  }
}

/**
 * How deep each stored document's top ends up once stand-alone subsegments are embedded under their
 * parents: 0 where it stays a document of its own. A subsegment stays on its own when its parent
 * never arrived, when embedding would make a cycle (bad data), or when it would sit deeper than
 * `MAX_SUBSEGMENT_DEPTH`: a deeper chain is returned flattened, each part a document carrying its
 * `parent_id`. Linear in the spans, without recursion, so that no trace's shape can exhaust the stack.
 */
function embeddingDepths(roots: ReadonlyArray<{ span: StoredSpan }>, objects: ReadonlyMap<string, Placed>): Map<string, number> {
  const parentDoc = new Map<string, string>();
  for (const { span } of roots) {
    const parent = span.kind === 'subsegment' && span.parentId !== null ? objects.get(span.parentId) : undefined;
    if (parent) parentDoc.set(span.id, span.parentId!);
  }
  const depth = new Map<string, number>();
  for (const { span } of roots) {
    // Walk up until a document whose depth is known or which has no parent, then come back down.
    const chain: string[] = [];
    const onChain = new Set<string>();
    let at: string | undefined = span.id;
    while (at !== undefined && !depth.has(at) && !onChain.has(at)) {
      chain.push(at);
      onChain.add(at);
      const parent = parentDoc.get(at);
      at = parent === undefined ? undefined : objects.get(parent)!.root;
    }
    // A cycle: every document on it stays its own.
    const cycleFrom = at !== undefined && onChain.has(at) ? chain.indexOf(at) : chain.length;
    for (let i = cycleFrom; i < chain.length; i++) depth.set(chain[i]!, 0);
    for (let i = cycleFrom - 1; i >= 0; i--) {
      const id = chain[i]!;
      const parent = parentDoc.get(id);
      if (parent === undefined) {
        depth.set(id, 0);
        continue;
      }
      const placed = objects.get(parent)!;
      const below = depth.get(placed.root)! + placed.depth + 1;
      depth.set(id, below > MAX_SUBSEGMENT_DEPTH ? 0 : below);
    }
  }
  return depth;
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
