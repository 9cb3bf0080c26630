/**
 * A trace as a flame graph: each span a frame on a time axis, under the span that contains or
 * called it (a segment under the subsegment whose call it answers, an inferred segment under its
 * call). Children that run at the same time cannot share a row, so a child's whole subtree goes
 * to the first rows below its parent where it overlaps nothing placed before it. Pure, so it is
 * tested without a browser.
 */
import type { TimelineModel, TimelineSpan } from './timeline-model';

export interface FlameFrame {
  span: TimelineSpan;
  row: number;
  start: number;
  /** The span's end; an in-progress span's is the trace's end. */
  end: number;
  parent: FlameFrame | null;
  /** By start time. */
  children: FlameFrame[];
  /** Index of the span's service group in the model's groups (its colour). */
  service: number;
  /** Position in its row. */
  index: number;
}

export interface FlameLayout {
  start: number;
  end: number;
  /** The frames of each row by start time; frames of one row never overlap. */
  rows: FlameFrame[][];
  frames: Map<string, FlameFrame>;
  /** Spans whose parent is not in the trace, the root first. */
  roots: FlameFrame[];
}

/** Touching frames (one ends as the next starts) may share a row. */
const EPS = 1e-9;

/**
 * Lays out every span of the model. Placement is greedy and in start order, each row of a
 * subtree reduced to its extent: it never overlaps two frames, and may leave a row below a gap
 * unused. Iterative, so a deep chain of calls cannot overflow the stack.
 */
export function buildFlame(model: TimelineModel): FlameLayout {
  const serviceIndex = new Map(model.groups.map((g, i) => [g.key, i]));
  const frames = new Map<string, FlameFrame>();
  for (const span of model.spans.values()) {
    frames.set(span.id, {
      span,
      row: 0,
      start: span.start,
      end: Math.max(span.start, span.end ?? model.end),
      parent: null,
      children: [],
      service: serviceIndex.get(span.group) ?? 0,
      index: 0,
    });
  }
  const roots: FlameFrame[] = [];
  for (const f of frames.values()) {
    const p = f.span.parentId ? frames.get(f.span.parentId) : undefined;
    if (p && p !== f) {
      f.parent = p;
      p.children.push(f);
    } else roots.push(f);
  }
  const byStart = (a: FlameFrame, b: FlameFrame) => a.start - b.start || b.end - a.end || a.span.id.localeCompare(b.span.id);
  for (const f of frames.values()) f.children.sort(byStart);
  roots.sort((a, b) => (a.span === model.root ? -1 : b.span === model.root ? 1 : byStart(a, b)));

  // Pre-order from the roots; what a parent cycle leaves unreached becomes a root too.
  const order: FlameFrame[] = [];
  const seen = new Set<FlameFrame>();
  const walk = (from: FlameFrame) => {
    const stack = [from];
    while (stack.length > 0) {
      const f = stack.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      order.push(f);
      for (let i = f.children.length - 1; i >= 0; i--) stack.push(f.children[i]!);
    }
  };
  for (const r of roots) walk(r);
  for (const f of frames.values()) {
    if (seen.has(f)) continue;
    f.parent?.children.splice(f.parent.children.indexOf(f), 1);
    f.parent = null;
    roots.push(f);
    walk(f);
  }

  // Children before parents (reverse pre-order): each subtree's contour, the extent of each of
  // its rows, and each child's offset below its parent.
  const contours = new Map<FlameFrame, Array<[number, number]>>();
  const offset = new Map<FlameFrame, number>();
  const pack = (kids: readonly FlameFrame[]): Array<[number, number]> => {
    const occupied: number[] = [];
    const below: Array<[number, number]> = [];
    for (const k of kids) {
      const c = contours.get(k)!;
      let o = 0;
      while (!c.every(([s], i) => (occupied[o + i] ?? -Infinity) <= s + EPS)) o++;
      offset.set(k, o);
      c.forEach(([s, e], i) => {
        occupied[o + i] = Math.max(occupied[o + i] ?? -Infinity, e);
        const b = below[o + i];
        below[o + i] = b ? [Math.min(b[0], s), Math.max(b[1], e)] : [s, e];
      });
      contours.delete(k);
    }
    return below;
  };
  for (let i = order.length - 1; i >= 0; i--) {
    const f = order[i]!;
    const below = pack(f.children);
    // Never a gap (a child lands at most one row below the rows taken); filled all the same,
    // as holes would be skipped by the checks above.
    for (let r = 0; r < below.length; r++) below[r] ??= [f.start, f.start];
    contours.set(f, [[f.start, f.end], ...below]);
  }
  pack(roots);

  const rows: FlameFrame[][] = [];
  for (const f of order) {
    f.row = f.parent ? f.parent.row + 1 + offset.get(f)! : offset.get(f)!;
    (rows[f.row] ??= []).push(f);
  }
  for (let r = 0; r < rows.length; r++) {
    const row = (rows[r] ??= []);
    row.sort(byStart);
    row.forEach((f, i) => (f.index = i));
  }
  let start = Infinity;
  let end = -Infinity;
  for (const f of frames.values()) {
    start = Math.min(start, f.start);
    end = Math.max(end, f.end);
  }
  if (!Number.isFinite(start)) start = end = model.start;
  return { start: Math.min(start, model.start), end: Math.max(end, model.end), rows, frames, roots };
}

/** The frame at time `t` in `row`, or within `slack` seconds of it (the nearest). */
export function frameAt(layout: FlameLayout, row: number, t: number, slack = 0): FlameFrame | null {
  const list = layout.rows[row];
  if (!list || list.length === 0) return null;
  // The last frame starting at or before t + slack.
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.start <= t + slack) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  let best: FlameFrame | null = null;
  let bestDistance = Infinity;
  for (const i of [found - 1, found, found + 1]) {
    const f = list[i];
    if (!f) continue;
    const d = t < f.start ? f.start - t : t > f.end ? t - f.end : 0;
    if (d <= slack && d < bestDistance) {
      best = f;
      bestDistance = d;
    }
  }
  return best;
}

/** The frame before or after `f` in its row. */
export function besideFrame(layout: FlameLayout, f: FlameFrame, dir: -1 | 1): FlameFrame | null {
  return layout.rows[f.row]?.[f.index + dir] ?? null;
}
