/**
 * Finding spans inside one trace, as the trace page's search box does. A query is words (or
 * "quoted phrases"); a span matches when every word is found, case-insensitively, in one of its
 * fields: name, service, origin, status (ok, error, fault, throttle, partial or in progress), ID, HTTP method,
 * URL and status, user, SQL, exception types and messages, `aws` values, and the keys and
 * values of annotations and metadata (where OpenTelemetry attributes are kept). A word
 * `key=value` asks for a field whose key is `key` or ends with `.key` and whose value contains
 * `value`: `status=fault`, `tier=gold`, `http.status=503`, `http.route=/api` (an OTel attribute
 * in metadata.default). Pure, so it is tested without a browser.
 */
import { buildRows, type Doc, type TimelineModel, type TimelineSpan } from './timeline-model';

export interface SearchField {
  /** Dotted, lower case: `name`, `http.url`, `annotation.tier`, `metadata.default.http.route`. */
  key: string;
  /** Lower case. */
  value: string;
}

interface Entry {
  id: string;
  fields: SearchField[];
  /** Keys a person chose (annotation and metadata keys), which a plain word also matches. */
  userKeys: string[];
}

export interface SpanSearchIndex {
  /** In the timeline's order (by service, then depth first), the order of next and previous. */
  entries: Entry[];
}

export interface SearchTerm {
  /** Lower case; absent for a plain word. */
  key?: string;
  /** Lower case; empty with a key asks only that the key be there. */
  value: string;
}

/** Bounds per block, so one span's megabyte of metadata cannot stall the box. */
const MAX_DEPTH = 6;
const MAX_LEAVES = 300;
const MAX_VALUE = 2000;

const obj = (v: unknown): Doc | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Doc) : null);
const lower = (v: unknown): string => String(v).slice(0, MAX_VALUE).toLowerCase();

/** The leaves of a JSON value as dotted keys (arrays by index), `keys` collecting each key met. */
function flatten(prefix: string, value: unknown, out: SearchField[], keys: string[] | null): void {
  let leaves = 0;
  const visit = (key: string, v: unknown, depth: number) => {
    if (leaves >= MAX_LEAVES) return;
    if (v !== null && typeof v === 'object' && depth < MAX_DEPTH) {
      const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v as Doc);
      for (const [k, x] of entries) {
        if (keys && !Array.isArray(v)) keys.push(k.toLowerCase());
        visit(`${key}.${k.toLowerCase()}`, x, depth + 1);
      }
      return;
    }
    leaves++;
    out.push({ key, value: typeof v === 'object' ? lower(JSON.stringify(v)) : lower(v) });
  };
  visit(prefix, value, 0);
}

function entryOf(span: TimelineSpan, model: TimelineModel): Entry {
  const d = span.doc;
  const fields: SearchField[] = [];
  const userKeys: string[] = [];
  const add = (key: string, v: unknown) => {
    if (v !== undefined && v !== null && v !== '') fields.push({ key, value: lower(v) });
  };
  const group = model.groups.find((g) => g.key === span.group);
  add('name', span.name);
  add('service', group?.name);
  if (group && group.type !== 'service') add('origin', group.type);
  add('status', span.status);
  if (span.end === null) add('status', 'in progress');
  add('kind', span.kind);
  add('id', span.id);
  add('namespace', d.namespace);
  add('user', d.user);
  const http = obj(d.http);
  add('http.method', obj(http?.request)?.method);
  add('http.url', obj(http?.request)?.url);
  add('http.status', obj(http?.response)?.status);
  if (http) flatten('http', http, fields, null);
  if (obj(d.aws)) flatten('aws', d.aws, fields, null);
  if (obj(d.sql)) flatten('sql', d.sql, fields, null);
  const cause = obj(d.cause);
  if (Array.isArray(cause?.exceptions)) {
    for (const e of cause.exceptions as Doc[]) {
      add('exception.type', e.type);
      add('exception.message', e.message);
    }
  }
  const annotations = obj(d.annotations);
  for (const [k, v] of Object.entries(annotations ?? {})) {
    userKeys.push(k.toLowerCase());
    add(`annotation.${k.toLowerCase()}`, v);
  }
  // Namespaces (default, otel) are not keys a person chose: every span would match "default".
  for (const [ns, v] of Object.entries(obj(d.metadata) ?? {})) flatten(`metadata.${ns.toLowerCase()}`, v, fields, userKeys);
  return { id: span.id, fields, userKeys };
}

/** Every span's fields, once per trace. */
export function buildSearchIndex(model: TimelineModel): SpanSearchIndex {
  const entries: Entry[] = [];
  for (const r of buildRows(model, new Set())) if (r.kind === 'span') entries.push(entryOf(r.span, model));
  return { entries };
}

/** Splits a query into words; `"…"` keeps spaces, `key="…"` too. */
export function parseSearch(text: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  for (const m of text.matchAll(/([^\s"=]+)=(?:"([^"]*)"?|(\S*))|"([^"]*)"?|(\S+)/g)) {
    if (m[1] !== undefined) terms.push({ key: m[1].toLowerCase(), value: (m[2] ?? m[3] ?? '').toLowerCase() });
    else {
      const value = (m[4] ?? m[5] ?? '').toLowerCase();
      if (value) terms.push({ value });
    }
  }
  return terms;
}

function matchesTerm(e: Entry, t: SearchTerm): boolean {
  if (t.key !== undefined) {
    const suffix = `.${t.key}`;
    return e.fields.some((f) => (f.key === t.key || f.key.endsWith(suffix)) && f.value.includes(t.value));
  }
  return e.fields.some((f) => f.value.includes(t.value)) || e.userKeys.some((k) => k.includes(t.value));
}

/** IDs of the spans that match every word, in the index's order; none for an empty query. */
export function findSpans(index: SpanSearchIndex, text: string): string[] {
  const terms = parseSearch(text);
  if (terms.length === 0) return [];
  return index.entries.filter((e) => terms.every((t) => matchesTerm(e, t))).map((e) => e.id);
}

/**
 * Where next (dir 1) or previous (-1) goes: from a match to the one after it, wrapping; from a
 * span that is not a match, to the first match after it (or before it) in `order`.
 */
export function stepMatch(matches: readonly string[], order: readonly string[], current: string | null, dir: 1 | -1): string | null {
  if (matches.length === 0) return null;
  const at = current ? matches.indexOf(current) : -1;
  if (at >= 0) return matches[(at + dir + matches.length) % matches.length]!;
  const pos = current ? order.indexOf(current) : -1;
  if (pos < 0) return dir === 1 ? matches[0]! : matches[matches.length - 1]!;
  const rank = new Map(order.map((id, i) => [id, i]));
  const after =
    dir === 1 ? matches.find((id) => (rank.get(id) ?? -1) > pos) : [...matches].reverse().find((id) => (rank.get(id) ?? -1) < pos);
  return after ?? (dir === 1 ? matches[0]! : matches[matches.length - 1]!);
}
