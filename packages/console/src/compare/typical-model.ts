import type { OperationStats } from '@fluoro/contracts';
import { formatDuration } from '../time/range';
import type { TimelineModel } from '../trace/timeline-model';
import { operationKey, traceOperations } from './operations';

/**
 * "Compare with typical": each span of a trace held against the p50 and p95 of its operation
 * (`POST /api/v1/traces/operations`) in a window around the trace. Pure, so it is tested
 * without a browser.
 */

/** How far a span is from its operation's p50: 0 faster than usual … 4 six times slower or more. */
export type RatioLevel = 0 | 1 | 2 | 3 | 4;

export interface SpanVerdict {
  readonly duration: number;
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  /** Duration over p50; null when p50 is 0. */
  readonly ratio: number | null;
  readonly level: RatioLevel;
  /** Strictly slower than the operation's p95. */
  readonly aboveP95: boolean;
  /** "p50 12 ms · p95 40 ms · this 310 ms (7.8× p50)". */
  readonly line: string;
}

/** Upper bounds of the ratio levels 0–3 (level 4 is beyond the last). */
export const LEVEL_BOUNDS = [0.8, 1.5, 3, 6] as const;

export function ratioLevel(ratio: number | null): RatioLevel {
  if (ratio === null) return 1;
  const i = LEVEL_BOUNDS.findIndex((b) => ratio < b);
  return (i < 0 ? 4 : i) as RatioLevel;
}

/** `7.8×`, `12×`, `0.45×`. */
export function formatRatio(ratio: number): string {
  return `${ratio >= 10 ? Math.round(ratio) : +ratio.toPrecision(2)}×`;
}

export function typicalLine(v: { duration: number; p50: number; p95: number; ratio: number | null }): string {
  const ratio = v.ratio === null ? '' : ` (${formatRatio(v.ratio)} p50)`;
  return `p50 ${formatDuration(v.p50)} · p95 ${formatDuration(v.p95)} · this ${formatDuration(v.duration)}${ratio}`;
}

/** Half-widths of the window around the trace that the console offers, seconds; the first is the default. */
export const WINDOWS = [
  { seconds: 1800, label: 'the hour around it' },
  { seconds: 3 * 3600, label: '6 hours around it' },
  { seconds: 12 * 3600, label: '24 hours around it' },
] as const;

/** The window of traces filed around this one's start: `[start − half, start + half)`, whole seconds. */
export function typicalWindow(model: TimelineModel, half: number = WINDOWS[0].seconds): { start: number; end: number } {
  return { start: Math.floor(model.start) - half, end: Math.ceil(model.start) + half };
}

/**
 * A verdict for every completed span whose operation has spans in the window; none for spans
 * in progress or whose operation the server has no statistics for.
 */
export function judgeSpans(model: TimelineModel, stats: readonly OperationStats[]): Map<string, SpanVerdict> {
  const byKey = new Map(stats.map((s) => [operationKey(s), s]));
  const { bySpan } = traceOperations(model);
  const out = new Map<string, SpanVerdict>();
  for (const [id, op] of bySpan) {
    const span = model.spans.get(id)!;
    const s = byKey.get(operationKey(op));
    if (span.end === null || !s || s.count === 0 || s.p50 === null || s.p95 === null) continue;
    const duration = span.end - span.start;
    const ratio = s.p50 > 0 ? duration / s.p50 : null;
    const v = { duration, count: s.count, p50: s.p50, p95: s.p95, ratio };
    out.set(id, { ...v, level: ratioLevel(ratio), aboveP95: duration > s.p95, line: typicalLine(v) });
  }
  return out;
}

/**
 * The span furthest above its p50 among those slower than their p95, or null. An inferred
 * segment shares its call's verdict: the call is named (the first of equals in `model` order
 * that is not inferred).
 */
export function slowestHop(verdicts: ReadonlyMap<string, SpanVerdict>, model: TimelineModel): string | null {
  let best: string | null = null;
  let bestRatio = -Infinity;
  for (const [id, v] of verdicts) {
    if (model.spans.get(id)?.kind === 'inferred') continue;
    if (v.aboveP95 && v.ratio !== null && v.ratio > bestRatio) {
      best = id;
      bestRatio = v.ratio;
    }
  }
  return best;
}
