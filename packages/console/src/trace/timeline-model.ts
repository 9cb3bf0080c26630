/**
 * A trace's timeline, from the segment documents BatchGetTraces returns: spans grouped by
 * service (a segment with its nested subsegments, the inferred segments of downstream calls),
 * the rows a waterfall shows, and the critical path. Pure, so it is tested without a browser.
 */

export type SpanStatus = 'ok' | 'error' | 'fault' | 'throttle' | 'partial';
export type SpanKind = 'segment' | 'subsegment' | 'inferred';

export type Doc = Record<string, unknown>;

export interface TimelineSpan {
  id: string;
  name: string;
  kind: SpanKind;
  /** Key of the service group the span is shown in. */
  group: string;
  /** The span that contains or called this one (a segment's parent is the calling subsegment). */
  parentId: string | null;
  start: number;
  /** Null while in progress. */
  end: number | null;
  status: SpanStatus;
  /** The segment or subsegment object itself. */
  doc: Doc;
  /** The segment document it was sent in (itself for a segment). */
  segment: Doc;
  /** Nested subsegments, by start time. */
  children: TimelineSpan[];
}

export interface ServiceGroup {
  key: string;
  name: string;
  /** origin, `remote` for an inferred remote call, `service` without one. */
  type: string;
  inferred: boolean;
  segments: TimelineSpan[];
  start: number;
}

export interface TimelineModel {
  start: number;
  end: number;
  groups: ServiceGroup[];
  spans: Map<string, TimelineSpan>;
  root: TimelineSpan | null;
  /** Per span, the stretches of its own time on the critical path. */
  critical: Map<string, Array<[number, number]>>;
  /** Every span the critical path goes through (its own time, or a call it waits on). */
  onPath: Set<string>;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function statusOf(d: Doc): SpanStatus {
  const http = d.http as { response?: { status?: unknown } } | undefined;
  const code = num(http?.response?.status);
  if (d.fault === true || (code !== null && code >= 500)) return 'fault';
  if (d.throttle === true || code === 429) return 'throttle';
  if (d.error === true || (code !== null && code >= 400)) return 'error';
  if (d.in_progress === true) return 'partial';
  return 'ok';
}

/** Parses the documents (JSON strings or objects) and builds the model. */
export function buildTimeline(documents: ReadonlyArray<string | Doc>): TimelineModel {
  const docs: Doc[] = documents.map((d) => (typeof d === 'string' ? (JSON.parse(d) as Doc) : d));
  const spans = new Map<string, TimelineSpan>();
  const groups = new Map<string, ServiceGroup>();
  let start = Infinity;
  let end = -Infinity;

  const visit = (d: Doc, segment: Doc, group: string, parentId: string | null, kind: SpanKind): TimelineSpan => {
    const s = num(d.start_time) ?? 0;
    const e = d.in_progress === true ? null : num(d.end_time);
    start = Math.min(start, s);
    end = Math.max(end, e ?? s);
    const id = str(d.id) ?? `anon-${spans.size}`;
    const span: TimelineSpan = {
      id,
      name: str(d.name) ?? '(unnamed)',
      kind,
      group,
      parentId,
      start: s,
      end: e,
      status: statusOf(d),
      doc: d,
      segment,
      children: [],
    };
    spans.set(id, span);
    const subs = Array.isArray(d.subsegments) ? (d.subsegments as Doc[]) : [];
    span.children = subs.map((sub) => visit(sub, segment, group, id, 'subsegment')).sort(byStart);
    return span;
  };

  for (const d of docs) {
    const inferred = d.inferred === true;
    const standalone = d.type === 'subsegment';
    const name = str(d.name) ?? '(unnamed)';
    const type = str(d.origin) ?? (inferred ? 'remote' : 'service');
    const key = `${name}\u0000${type}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, name, type, inferred, segments: [], start: Infinity };
      groups.set(key, g);
    }
    const span = visit(d, d, key, str(d.parent_id), inferred ? 'inferred' : standalone ? 'subsegment' : 'segment');
    g.segments.push(span);
    g.start = Math.min(g.start, span.start);
  }
  if (!Number.isFinite(start)) start = end = 0;
  for (const s of spans.values()) if (s.end === null) end = Math.max(end, s.start);

  // The root segment: the earliest segment whose parent is not in the trace.
  let root: TimelineSpan | null = null;
  for (const g of groups.values()) {
    for (const s of g.segments) {
      if (s.kind === 'segment' && (!s.parentId || !spans.has(s.parentId)) && (!root || s.start < root.start)) root = s;
    }
  }
  const ordered = [...groups.values()].map((g) => ({ ...g, segments: g.segments.sort(byStart) }));
  ordered.sort((a, b) =>
    root && a.key === root.group ? -1 : root && b.key === root.group ? 1 : a.start - b.start || a.name.localeCompare(b.name),
  );
  const path = root ? criticalPath(root, spans, end) : { critical: new Map(), onPath: new Set<string>() };
  return { start, end, groups: ordered, spans, root, ...path };
}

const byStart = (a: TimelineSpan, b: TimelineSpan) => a.start - b.start || (a.end ?? Infinity) - (b.end ?? Infinity);

/**
 * The critical path (as Jaeger computes it): from the root's end, walk back through the child
 * that finished last before the current point, into it, then on from its start. A segment's
 * children are its subsegments and the segments answering its calls.
 */
export function criticalPath(
  root: TimelineSpan,
  spans: ReadonlyMap<string, TimelineSpan>,
  traceEnd: number,
): { critical: Map<string, Array<[number, number]>>; onPath: Set<string> } {
  const callees = new Map<string, TimelineSpan[]>();
  for (const s of spans.values()) {
    if ((s.kind === 'segment' || s.kind === 'inferred' || s.doc.type === 'subsegment') && s.parentId && spans.has(s.parentId)) {
      const list = callees.get(s.parentId) ?? [];
      list.push(s);
      callees.set(s.parentId, list);
    }
  }
  const out = new Map<string, Array<[number, number]>>();
  const onPath = new Set<string>();
  const add = (id: string, a: number, b: number) => {
    if (b - a <= 0) return;
    const list = out.get(id) ?? [];
    list.push([a, b]);
    out.set(id, list);
  };
  const walk = (span: TimelineSpan, until: number, depth: number): void => {
    onPath.add(span.id);
    const sStart = span.start;
    const sEnd = Math.min(span.end ?? traceEnd, until);
    // Children clipped to the parent, latest end first.
    const kids = [...span.children, ...(callees.get(span.id) ?? [])]
      .map((c) => ({ c, start: Math.max(c.start, sStart), end: Math.min(c.end ?? traceEnd, sEnd) }))
      .filter((k) => k.end > k.start)
      .sort((a, b) => b.end - a.end);
    let cursor = sEnd;
    for (const k of kids) {
      if (k.end > cursor) continue;
      add(span.id, k.end, cursor);
      if (depth < 500) walk(k.c, k.end, depth + 1);
      cursor = k.start;
    }
    add(span.id, sStart, cursor);
  };
  walk(root, root.end ?? traceEnd, 0);
  return { critical: out, onPath };
}

export type Row =
  | { kind: 'group'; key: string; group: ServiceGroup; count: number }
  | { kind: 'span'; key: string; span: TimelineSpan; depth: number; hasChildren: boolean };

function countSpans(s: TimelineSpan): number {
  let n = 1;
  for (const c of s.children) n += countSpans(c);
  return n;
}

/** The rows of the waterfall: each service group, then its segments with nested subsegments. */
export function buildRows(m: TimelineModel, collapsed: ReadonlySet<string>): Row[] {
  const rows: Row[] = [];
  const push = (s: TimelineSpan, depth: number) => {
    rows.push({ kind: 'span', key: s.id, span: s, depth, hasChildren: s.children.length > 0 });
    if (collapsed.has(s.id)) return;
    for (const c of s.children) push(c, depth + 1);
  };
  for (const g of m.groups) {
    rows.push({ kind: 'group', key: `group:${g.key}`, group: g, count: g.segments.reduce((n, s) => n + countSpans(s), 0) });
    if (collapsed.has(`group:${g.key}`)) continue;
    for (const s of g.segments) push(s, 0);
  }
  return rows;
}
