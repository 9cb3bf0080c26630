import type { RankBy } from '@fluoro/contracts';
import type { RootCause, TraceSummary } from '../api/xray-types';

/** The fields of a trace summary the list shows, and how each sorts. */
export type Column = 'time' | 'id' | 'method' | 'status' | 'responseTime' | 'duration' | 'url' | 'user' | 'rootCause';

export const COLUMNS: ReadonlyArray<{ key: Column; label: string; numeric?: boolean }> = [
  { key: 'time', label: 'Time', numeric: true },
  { key: 'id', label: 'Trace ID' },
  { key: 'method', label: 'Method' },
  { key: 'status', label: 'Status', numeric: true },
  { key: 'responseTime', label: 'Response time', numeric: true },
  { key: 'duration', label: 'Duration', numeric: true },
  { key: 'url', label: 'URL' },
  { key: 'user', label: 'User' },
  { key: 'rootCause', label: 'Root cause' },
];

export type Outcome = 'ok' | 'error' | 'fault' | 'throttle' | 'partial';

export function outcome(s: TraceSummary): Outcome {
  if (s.HasFault) return 'fault';
  if (s.HasThrottle) return 'throttle';
  if (s.HasError) return 'error';
  if (s.IsPartial) return 'partial';
  return 'ok';
}

export function startTime(s: TraceSummary): number {
  return s.StartTime ?? s.MatchedEventTime ?? 0;
}

/** The service a root-cause path ends in (the root cause), with which kind of cause it is. */
export function rootCauseOf(s: TraceSummary): { service: string; kind: 'fault' | 'error' | 'responsetime'; entity: string | null } | null {
  const pick = (list: RootCause[] | undefined, kind: 'fault' | 'error' | 'responsetime') => {
    const services = list?.[0]?.Services;
    const last = services?.[services.length - 1];
    if (!last?.Name) return null;
    const entity = last.EntityPath?.[last.EntityPath.length - 1]?.Name ?? null;
    return { service: last.Name, kind, entity };
  };
  return pick(s.FaultRootCauses, 'fault') ?? pick(s.ErrorRootCauses, 'error') ?? pick(s.ResponseTimeRootCauses, 'responsetime');
}

/** The response time from which a trace is among the slowest tenth of `list` (Infinity for an empty list). */
export function slowFrom(list: readonly TraceSummary[]): number {
  const times = list
    .map((s) => s.ResponseTime)
    .filter((t): t is number => t !== undefined)
    .sort((a, b) => a - b);
  if (times.length === 0) return Infinity;
  return times[Math.min(times.length - 1, Math.floor(times.length * 0.9))]!;
}

/**
 * The root cause worth showing in the list: a fault's or an error's always; a response-time root
 * cause only for a trace among the slowest tenth of the list (`slow`), where it says why it is
 * slow; on a fast OK trace it would only look like a failure.
 */
export function shownRootCause(s: TraceSummary, slow: number): ReturnType<typeof rootCauseOf> {
  const rc = rootCauseOf(s);
  if (!rc || rc.kind !== 'responsetime') return rc;
  return (s.ResponseTime ?? -Infinity) >= slow ? rc : null;
}

export const ROOT_CAUSE_LABEL = { fault: 'fault', error: 'error', responsetime: 'slow' } as const;

export function users(s: TraceSummary): string {
  return [...new Set((s.Users ?? []).map((u) => u.UserName).filter(Boolean))].join(', ');
}

export function sortValue(s: TraceSummary, c: Column): string | number {
  switch (c) {
    case 'time':
      return startTime(s);
    case 'id':
      return s.Id ?? '';
    case 'method':
      return s.Http?.HttpMethod ?? '';
    case 'status':
      return s.Http?.HttpStatus ?? -1;
    case 'responseTime':
      return s.ResponseTime ?? -1;
    case 'duration':
      return s.Duration ?? -1;
    case 'url':
      return s.Http?.HttpURL ?? '';
    case 'user':
      return users(s);
    case 'rootCause':
      return rootCauseOf(s)?.service ?? '';
  }
}

export type SortDir = 'asc' | 'desc';

/** What the server ranks each column by, over every trace of the window; user and root cause sort the loaded traces. */
export const RANK_OF: Partial<Record<Column, RankBy>> = {
  time: 'time',
  id: 'id',
  method: 'method',
  status: 'status',
  responseTime: 'responsetime',
  duration: 'duration',
  url: 'url',
};

/** Traces a ranked list holds at most (as X-Ray's console sorts up to 1,000). */
export const RANKED_LIMIT = 1000;

export function parseSort(v: string | null): { column: Column; dir: SortDir } {
  const [c, d] = (v ?? '').split(':');
  const column = COLUMNS.find((x) => x.key === c)?.key ?? 'time';
  return { column, dir: d === 'asc' ? 'asc' : 'desc' };
}

/** A stable sort of the loaded summaries by one column. */
export function sortSummaries(list: readonly TraceSummary[], column: Column, dir: SortDir): TraceSummary[] {
  const sign = dir === 'asc' ? 1 : -1;
  return list
    .map((s, i) => ({ s, i, v: sortValue(s, column) }))
    .sort((a, b) => {
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v));
      return c !== 0 ? c * sign : a.i - b.i;
    })
    .map((x) => x.s);
}
