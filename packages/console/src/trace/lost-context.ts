import { byId, compare, keyword, print, service } from '@fluoro/core';
import type { Window } from '../api/fluoro';
import type { TraceSummary } from '../api/xray-types';
import type { TimelineModel } from './timeline-model';

/**
 * When a service ignores the trace header it is sent, one request becomes two traces: the
 * caller's, where the call has no answering segment (BatchGetTraces gives it an inferred one),
 * and a trace that begins at the called service during that call, with the call's path. This
 * pairs them from what GetTraceSummaries and BatchGetTraces answer, in both directions. Pure; the
 * trace page asks the questions (lost-context-hint.tsx).
 */

/** An HTTP call of the trace that no segment answered. */
export interface UnansweredCall {
  /** The calling subsegment (the inferred segment's parent). */
  id: string;
  url: string;
  path: string;
  start: number;
  end: number;
  /** The calling service (its segment's name). */
  caller: string;
  /** An X-Ray SDK made the call, so it sent `X-Amzn-Trace-Id` with it. */
  xraySdk: boolean;
}

/** How far apart two hosts' clocks may be: a callee's start this much outside the call still counts. */
export const CLOCK_SLACK = 0.25;

/** At most this many calls are looked up, so a big trace does not fire dozens of queries. */
export const MAX_CALLS = 5;

/** How long before a trace began its caller's trace may have begun (a call late in a long request). */
export const CALLER_LOOKBACK = 60;

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

const urlOf = (d: Record<string, unknown>): unknown => obj(obj(d.http)?.request)?.url;

/** The path of an absolute http(s) URL, without its query; null for anything else. */
export function pathOf(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.pathname : null;
  } catch {
    return null;
  }
}

/**
 * The trace's unanswered HTTP calls to plain remote nodes (no AWS or database origin), by start,
 * the first `limit`. An in-progress call counts as open until the trace's end.
 */
export function unansweredCalls(m: TimelineModel, limit = MAX_CALLS): UnansweredCall[] {
  const calls: UnansweredCall[] = [];
  for (const s of m.spans.values()) {
    const url = urlOf(s.doc);
    const path = pathOf(url);
    if (s.kind !== 'inferred' || s.doc.origin !== undefined || !s.parentId || path === null) continue;
    const caller = m.spans.get(s.parentId)?.segment ?? {};
    const sdk = obj(obj(caller.aws)?.xray)?.sdk;
    calls.push({
      id: s.parentId,
      url: url as string,
      path,
      start: s.start,
      end: s.end ?? m.end,
      caller: typeof caller.name === 'string' ? caller.name : '(unnamed)',
      xraySdk: typeof sdk === 'string' && sdk.startsWith('X-Ray '),
    });
  }
  return calls.sort((a, b) => a.start - b.start).slice(0, limit);
}

/**
 * Traces whose root request has the call's path. The path, not the whole URL: the callee sees its
 * own scheme and host when a proxy or load balancer sits between them.
 */
export function calleeFilter(call: UnansweredCall): string {
  return print(compare(keyword('http.url'), 'contains', call.path));
}

/**
 * The window to ask for callees in: traces are filed under their start, in whole seconds for
 * X-Ray trace IDs, so a second of slack each side.
 */
export function callWindow(call: UnansweredCall): Window {
  return { start: Math.floor(call.start) - 1, end: Math.ceil(call.end) + 1 };
}

/**
 * The trace, other than `self`, whose root request has the call's path and began during the call
 * (within the clock slack), the nearest to the call's start; null if none. A trace entered at the
 * caller itself is another of its requests, not the callee's.
 */
export function startedDuring(call: UnansweredCall, summaries: readonly TraceSummary[], self: string): TraceSummary | null {
  let best: TraceSummary | null = null;
  for (const s of summaries) {
    const t = s.StartTime;
    const entry = s.EntryPoint?.Name;
    if (s.Id === self || t === undefined || !entry || entry === call.caller || pathOf(s.Http?.HttpURL) !== call.path) continue;
    if (t < call.start - CLOCK_SLACK || t > call.end + CLOCK_SLACK) continue;
    if (!best || Math.abs(t - call.start) < Math.abs(best.StartTime! - call.start)) best = s;
  }
  return best;
}

/**
 * The trace as a possible callee, in the shape startedDuring reads: its root segment began the
 * trace (no parent ID at all, not merely one missing) and answered an HTTP request. Null otherwise.
 */
export function asCallee(m: TimelineModel, id: string): TraceSummary | null {
  const root = m.root;
  if (!root || root.parentId !== null || pathOf(urlOf(root.doc)) === null) return null;
  return { Id: id, StartTime: root.start, EntryPoint: { Name: root.name }, Http: { HttpURL: urlOf(root.doc) as string } };
}

/** Traces with an unanswered remote call to the callee's path. */
export function callerFilter(callee: TraceSummary): string {
  return print(service(byId({ type: 'remote' }), compare(keyword('http.url'), 'contains', pathOf(callee.Http?.HttpURL) ?? '/')));
}

export function callerWindow(callee: TraceSummary): Window {
  const t = callee.StartTime ?? 0;
  return { start: Math.floor(t) - CALLER_LOOKBACK, end: Math.ceil(t) + 1 };
}

/** The traces, other than the callee, still open when it began: latest start first, the first `limit`. */
export function openAt(callee: TraceSummary, summaries: readonly TraceSummary[], limit = MAX_CALLS): TraceSummary[] {
  const t = callee.StartTime ?? 0;
  return summaries
    .filter((s) => s.Id !== callee.Id && s.StartTime !== undefined && s.StartTime <= t + CLOCK_SLACK)
    .filter((s) => s.StartTime! + (s.Duration ?? 0) >= t - CLOCK_SLACK)
    .sort((a, b) => b.StartTime! - a.StartTime!)
    .slice(0, limit);
}
