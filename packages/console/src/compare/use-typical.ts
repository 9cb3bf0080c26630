import { useMemo } from 'react';
import { getOperationStats } from '../api/fluoro';
import { setParams, useLocation } from '../app/router';
import { useApi } from '../app/use-api';
import type { TimelineModel } from '../trace/timeline-model';
import { traceOperations } from './operations';
import { judgeSpans, slowestHop, typicalWindow, WINDOWS, type SpanVerdict } from './typical-model';

/** A timeline row's extra marks in a compare mode (see `Timeline`'s `marks`). */
export interface RowMark {
  readonly className: string;
  readonly title: string;
  readonly badge?: string;
}

/** The URL's `typical=` value for each window, the default first. */
const WINDOW_PARAMS = ['1h', '6h', '24h'] as const;

export interface Typical {
  readonly on: boolean;
  /** Index into `WINDOWS`. */
  readonly windowIndex: number;
  readonly window: { start: number; end: number } | null;
  readonly verdicts: ReadonlyMap<string, SpanVerdict> | null;
  /** Per span ID, for the timeline. */
  readonly marks: ReadonlyMap<string, RowMark> | undefined;
  /** The span furthest above its operation's p50 among those slower than p95. */
  readonly slowest: string | null;
  readonly loading: boolean;
  readonly error: Error | null;
  reload(): void;
  toggle(): void;
  setWindow(index: number): void;
}

/**
 * "Compare with typical", kept in the URL as `typical=1h` (or `6h`, `24h`: the window around the
 * trace): the operations' statistics, each span's verdict and the timeline's marks.
 */
export function useTypical(model: TimelineModel | null): Typical {
  const { params } = useLocation();
  const param = params.get('typical');
  const on = param !== null;
  const windowIndex = Math.max(0, WINDOW_PARAMS.indexOf(param as (typeof WINDOW_PARAMS)[number]));
  const window = useMemo(() => (model ? typicalWindow(model, WINDOWS[windowIndex]!.seconds) : null), [model, windowIndex]);
  const operations = useMemo(() => (model ? traceOperations(model).distinct : []), [model]);
  const stats = useApi(
    (signal) => (on && window && operations.length > 0 ? getOperationStats(window, operations, signal) : null),
    [on, window?.start, window?.end, operations],
  );
  const verdicts = useMemo(() => (on && model && stats.data ? judgeSpans(model, stats.data) : null), [on, model, stats.data]);
  const marks = useMemo(() => {
    if (!verdicts) return undefined;
    const out = new Map<string, RowMark>();
    for (const [id, v] of verdicts) {
      out.set(id, {
        className: `cmp-r${v.level}${v.aboveP95 ? ' cmp-slow' : ''}`,
        title: `${v.line} · ${v.count} span${v.count === 1 ? '' : 's'} of this operation in ${WINDOWS[windowIndex]!.label}`,
        ...(v.aboveP95 ? { badge: '> p95' } : {}),
      });
    }
    return out;
  }, [verdicts, windowIndex]);
  return {
    on,
    windowIndex,
    window,
    verdicts,
    marks,
    slowest: verdicts && model ? slowestHop(verdicts, model) : null,
    loading: on && stats.loading,
    error: on ? stats.error : null,
    reload: stats.reload,
    toggle: () => setParams({ typical: on ? null : WINDOW_PARAMS[windowIndex] }, { replace: true }),
    setWindow: (index) => setParams({ typical: WINDOW_PARAMS[index] ?? null }, { replace: true }),
  };
}
