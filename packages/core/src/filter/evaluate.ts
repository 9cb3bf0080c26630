import type { AnnotationValue, Span } from '../model/span.js';
import { spanDuration, type TraceModel } from '../trace/model.js';
import { urlRoute } from '../model/url-route.js';
import type { RootCause, RootCauses } from '../trace/root-causes.js';
import type { Expr, Field, Literal, Op, Selector } from './ast.js';
import type { CheckedFilter } from './checker.js';

/**
 * Evaluates a checked filter on one trace in memory. It states the language's semantics in the
 * plainest form; the store's SQL compiler must agree with it on every trace (differential test).
 *
 * Multi-valued keywords (user, annotations, availabilityzone, instance.id, resource.arn at the top
 * level) are existential: a comparison holds when some value satisfies it, `!=` included; negate
 * the whole comparison (`!(user = "x")`) for "none". A missing value satisfies no comparison.
 */
export function evaluate(filter: CheckedFilter, trace: TraceModel, causes: RootCauses): boolean {
  return evalTrace(filter, trace, causes);
}

type Value = string | number | boolean | null;

function evalTrace(e: Expr, t: TraceModel, rc: RootCauses): boolean {
  switch (e.kind) {
    case 'and':
      return evalTrace(e.left, t, rc) && evalTrace(e.right, t, rc);
    case 'or':
      return evalTrace(e.left, t, rc) || evalTrace(e.right, t, rc);
    case 'not':
      return !evalTrace(e.operand, t, rc);
    case 'present':
    case 'compare':
      return traceField(e.field, t).some((v) => holds(e, v));
    case 'service':
      return t.nodes.some((n) => selects(e.selector, n.node) && (!e.filter || evalRow(e.filter, n.span, n.root)));
    case 'edge':
      return t.edges.some((x) => selects(e.from, x.from) && selects(e.to, x.to) && (!e.filter || evalRow(e.filter, x.span, false)));
    case 'rootcause': {
      const list = e.category === 'fault' ? rc.fault : e.category === 'error' ? rc.error : rc.responseTime;
      return list.some((cause) => rootCauseElements(cause, e.level).some((el) => evalElement(e.filter, el)));
    }
    case 'rootcausejson': {
      const all = [...rc.fault, ...rc.error, ...rc.responseTime].map(rootCauseJson);
      return e.patterns.every((p) => all.some((c) => matches(p, c)));
    }
    case 'group':
      return false;
    case 'traceid':
      return t.traceId === e.id;
  }
}

/** The values of a top-level field: one for root-segment facts, all of them for multi-valued ones. */
function traceField(f: Field, t: TraceModel): Value[] {
  if (f.kind === 'annotation') return t.spans.map((s) => s.annotations[f.key]).filter((v): v is AnnotationValue => v !== undefined);
  // Attributes compare as annotations do, when their value is a string, number or boolean; other
  // values (lists, maps, null) satisfy no comparison and are not "present".
  if (f.kind === 'attribute')
    return t.spans
      .map((s) => s.attributes[f.key])
      .filter(
        (v): v is AnnotationValue => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)),
      );
  const root = t.root;
  switch (f.name) {
    case 'ok':
    case 'error':
    case 'fault':
    case 'responsetime':
    case 'http.status':
    case 'http.url':
    case 'http.route':
    case 'http.method':
    case 'http.useragent':
    case 'http.clientip':
      return root ? [rowValue(f.name, root, true)] : [null];
    case 'throttle':
      return [t.throttled];
    case 'partial':
      return [t.partial];
    case 'inferred':
      return [t.inferredCalls.length > 0];
    case 'duration':
      return [t.duration];
    case 'user':
      return t.spans.map((s) => s.user);
    case 'availabilityzone':
      return t.spans.map((s) => s.availabilityZone);
    case 'instance.id':
      return t.spans.map((s) => s.instanceId);
    case 'resource.arn':
      return t.spans.map((s) => s.resourceArn);
  }
  return [null];
}

/** A keyword's value on one span: a segment (service blocks) or a caller's span (edge blocks). */
function rowValue(name: string, s: Span, root: boolean): Value {
  switch (name) {
    case 'ok':
      return !s.error && !s.fault && !s.throttle;
    case 'error':
      return s.error;
    case 'fault':
      return s.fault;
    case 'throttle':
      return s.throttle;
    case 'partial':
      return s.inProgress;
    case 'root':
      return root;
    case 'responsetime':
    case 'duration':
      return spanDuration(s);
    case 'http.status':
      return s.http?.status ?? null;
    case 'http.url':
      return s.http?.url ?? null;
    case 'http.route':
      return urlRoute(s.http?.url ?? null);
    case 'http.method':
      return s.http?.method ?? null;
    case 'http.useragent':
      return s.http?.userAgent ?? null;
    case 'http.clientip':
      return s.http?.clientIp ?? null;
    case 'user':
      return s.user;
  }
  return null;
}

function evalRow(e: Expr, s: Span, root: boolean): boolean {
  switch (e.kind) {
    case 'and':
      return evalRow(e.left, s, root) && evalRow(e.right, s, root);
    case 'or':
      return evalRow(e.left, s, root) || evalRow(e.right, s, root);
    case 'not':
      return !evalRow(e.operand, s, root);
    case 'present':
    case 'compare':
      return e.field.kind === 'keyword' && holds(e, rowValue(e.field.name, s, root));
    default:
      return false;
  }
}

interface Element {
  readonly values: Readonly<Record<string, Value>>;
}

function rootCauseElements(cause: RootCause, level: 'service' | 'entity' | 'exception'): Element[] {
  const n = cause.services.length;
  if (level === 'service') {
    return cause.services.map((s, i) => ({
      values: { name: s.name, type: s.type, inferred: s.inferred, index: i, first: i === 0, last: i === n - 1 },
    }));
  }
  const entities = cause.services.flatMap((s) => s.entityPath.map((e, i) => ({ e, i, n: s.entityPath.length })));
  if (level === 'entity') {
    return entities.map(({ e, i, n: m }) => ({
      values: { name: e.name, remote: e.remote, coverage: e.coverage, index: i, first: i === 0, last: i === m - 1 },
    }));
  }
  return entities.flatMap(({ e }) =>
    e.exceptions.map((x, i) => ({
      values: { name: x.name, message: x.message, index: i, first: i === 0, last: i === e.exceptions.length - 1 },
    })),
  );
}

function evalElement(e: Expr, el: Element): boolean {
  switch (e.kind) {
    case 'and':
      return evalElement(e.left, el) && evalElement(e.right, el);
    case 'or':
      return evalElement(e.left, el) || evalElement(e.right, el);
    case 'not':
      return !evalElement(e.operand, el);
    case 'present':
    case 'compare':
      return e.field.kind === 'keyword' && holds(e, el.values[e.field.name] ?? null);
    default:
      return false;
  }
}

/** A bare keyword holds when it is true (booleans) or present (others); a comparison per its op. */
function holds(e: Extract<Expr, { kind: 'present' | 'compare' }>, v: Value): boolean {
  if (v === null || v === undefined) return false;
  if (e.kind === 'present') return typeof v === 'boolean' ? v : true;
  return compare(v, e.op, e.value);
}

export function compare(v: Value, op: Op, lit: Literal): boolean {
  if (v === null || typeof v !== typeof lit.value) return false;
  const w = lit.value;
  switch (op) {
    case '=':
      return v === w;
    case '!=':
      return v !== w;
    case '<':
      return (v as number) < (w as number);
    case '<=':
      return (v as number) <= (w as number);
    case '>':
      return (v as number) > (w as number);
    case '>=':
      return (v as number) >= (w as number);
    case 'contains':
      return (v as string).includes(w as string);
    case 'beginswith':
      return (v as string).startsWith(w as string);
    case 'endswith':
      return (v as string).endsWith(w as string);
  }
}

function selects(sel: Selector | null, node: { name: string; type: string; accountId?: string | null }): boolean {
  if (!sel) return node.type !== 'client';
  if (sel.kind === 'name') return node.name === sel.name;
  return (
    (sel.name === undefined || node.name === sel.name) &&
    (sel.type === undefined || node.type === sel.type) &&
    (sel.accountId === undefined || node.accountId === sel.accountId)
  );
}

/**
 * A root cause in the X-Ray API's shape (`FaultRootCause`, `ErrorRootCause`,
 * `ResponseTimeRootCause`): what rootcause.json patterns are written against and what trace
 * summaries carry. Entities have exceptions in fault and error causes, coverage in response-time ones.
 */
export interface RootCauseJson {
  Services: Array<{
    Name: string;
    Names: string[];
    Type: string;
    Inferred: boolean;
    EntityPath: Array<
      | { Name: string; Exceptions: Array<{ Name: string; Message: string }>; Remote: boolean }
      | { Name: string; Coverage: number; Remote: boolean }
    >;
    AccountId?: string;
  }>;
  ClientImpacting: boolean;
}

export function rootCauseJson(c: RootCause): RootCauseJson {
  return {
    Services: c.services.map((s) => {
      const out: RootCauseJson['Services'][number] = {
        Name: s.name,
        Names: [s.name],
        Type: s.type,
        Inferred: s.inferred,
        EntityPath: s.entityPath.map((e) =>
          e.coverage === null
            ? { Name: e.name, Exceptions: e.exceptions.map((x) => ({ Name: x.name, Message: x.message })), Remote: e.remote }
            : { Name: e.name, Coverage: e.coverage, Remote: e.remote },
        ),
      };
      if (s.accountId) out.AccountId = s.accountId;
      return out;
    }),
    ClientImpacting: c.clientImpacting,
  };
}

/**
 * `rootcause.json` matching: every field the pattern gives must match, fields it leaves out are
 * wildcards; a list matches a list of the same length whose elements match in order.
 */
export function matches(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) {
    return Array.isArray(value) && value.length === pattern.length && pattern.every((p, i) => matches(p, value[i]));
  }
  if (pattern !== null && typeof pattern === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    return Object.entries(pattern).every(([k, p]) => matches(p, (value as Record<string, unknown>)[k]));
  }
  return pattern === value;
}
