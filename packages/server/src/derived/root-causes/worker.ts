import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { spanAt, type Span } from '@fluoro/core';
import type { TraceAnalysis } from '../../storage/api/index.js';
import { analyzeTrace } from './analysis.js';
import { PRESSURE, type AnalyzerWorkerConfig, type FromAnalyzer, type LightBatch, type ToAnalyzer } from './protocol.js';

/**
 * The root-cause analyzer's thread. Keeps the spans of recently touched traces, and once a trace
 * has had no span for `quietMs`, works out its root causes and posts them to the main thread,
 * which writes them. A trace that grows after being analysed (or that holds a subsegment not yet
 * linked to its segment) is read back whole from the store, through the main thread.
 */
const config = workerData as AnalyzerWorkerConfig;

// Analysis can always wait: on Linux, run this thread at the lowest CPU priority so that the
// receivers and the writer get the cores first (setpriority applies to one thread there).
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 19);
} catch {
  // not Linux, or not allowed: analysis runs at normal priority
}
const flags = new Int32Array(config.shared);
const port = parentPort!;
const post = (m: FromAnalyzer): void => port.postMessage(m);

interface Pending {
  spans: Span[];
  last: number;
  reload: boolean;
  /** Some of its spans may have been committed while ingest was too busy to hand them over. */
  gap: boolean;
}

/** Insertion order is age order: the least recently touched trace first. */
const pending = new Map<string, Pending>();
let analyzed = new Set<string>();
let analyzedBefore = new Set<string>();
let nextRequest = 1;
const loads = new Map<number, (batch: LightBatch | null) => void>();
let busy: Promise<void> = Promise.resolve();
/** Until then, a trace seen for the first time may have had spans committed during a gap. */
let gapUntil = 0;

function wasAnalyzed(traceId: string): boolean {
  return analyzed.has(traceId) || analyzedBefore.has(traceId);
}

function touch(traceId: string, now: number, reload: boolean): Pending {
  let p = pending.get(traceId);
  if (p)
    pending.delete(traceId); // re-inserted below: now the most recently touched
  else p = { spans: [], last: now, reload: wasAnalyzed(traceId), gap: now < gapUntil };
  p.last = now;
  if (reload) p.reload = true;
  if (p.reload) p.spans = [];
  pending.set(traceId, p);
  return p;
}

function observe(b: LightBatch): void {
  const now = Date.now();
  for (let i = 0; i < b.length; i++) {
    if (b.keep && !b.keep[i]) continue;
    const p = touch(b.traceId[i]!, now, b.segmentId[i] === null);
    if (!p.reload && !p.gap) p.spans.push(spanAt(b, i));
  }
}

function due(all: boolean): string[] {
  const now = Date.now();
  const out: string[] = [];
  let excess = pending.size - config.maxPending;
  for (const [traceId, p] of pending) {
    if (excess > 0) excess--;
    else if (!all && now - p.last < config.quietMs) break; // the rest were touched later
    out.push(traceId);
  }
  return out;
}

function load(traceIds: readonly string[]): Promise<LightBatch | null> {
  const request = nextRequest++;
  return new Promise((resolve) => {
    loads.set(request, resolve);
    post({ type: 'load', request, traceIds });
  });
}

async function analyse(traceIds: string[], skip: boolean): Promise<void> {
  const taken: Array<[string, Pending]> = [];
  let gaps = 0;
  for (const id of traceIds) {
    const p = pending.get(id);
    if (!p) continue;
    pending.delete(id);
    if (p.gap) gaps++;
    else taken.push([id, p]);
  }
  // Ingest is busy: give the CPU back. These traces go without root causes (counted), as do the
  // traces the worker may have seen only part of: reading them back would cost ingest more.
  if (skip) {
    post({ type: 'results', analyses: [], skipped: taken.length + gaps });
    return;
  }
  if (gaps) post({ type: 'results', analyses: [], skipped: gaps });
  const reload = taken.filter(([, p]) => p.reload).map(([id]) => id);
  const stored = new Map<string, Span[]>();
  for (let i = 0; i < reload.length; i += 200) {
    const batch = await load(reload.slice(i, i + 200));
    if (!batch) continue;
    for (let k = 0; k < batch.length; k++) {
      const s = spanAt(batch, k);
      const list = stored.get(s.traceId);
      if (list) list.push(s);
      else stored.set(s.traceId, [s]);
    }
  }
  const results: TraceAnalysis[] = [];
  for (const [traceId, p] of taken) {
    const spans = p.reload ? stored.get(traceId) : p.spans;
    if (!spans || spans.length === 0) continue;
    results.push(analyzeTrace(traceId, spans, wasAnalyzed(traceId) || p.reload));
    if (analyzed.size >= 500_000) {
      analyzedBefore = analyzed;
      analyzed = new Set();
    }
    analyzed.add(traceId);
  }
  if (results.length) post({ type: 'results', analyses: results, skipped: 0 });
}

function schedule(all: boolean): Promise<void> {
  const ids = due(all);
  const skip = !all && Atomics.load(flags, PRESSURE) === 1;
  if (ids.length) busy = busy.then(() => analyse(ids, skip));
  return busy;
}

setInterval(() => void schedule(false), Math.max(20, Math.min(500, config.quietMs / 2))).unref();

port.on('message', (m: ToAnalyzer) => {
  switch (m.type) {
    case 'spans':
      observe(m.batch);
      if (pending.size > config.maxPending) void schedule(false);
      break;
    case 'reanalyse': {
      const now = Date.now();
      for (const id of m.traceIds) touch(id, now, true);
      break;
    }
    case 'gap':
      gapUntil = Date.now() + 2 * config.quietMs;
      for (const p of pending.values()) {
        p.gap = true;
        p.spans = [];
      }
      break;
    case 'loaded':
      loads.get(m.request)?.(m.batch);
      loads.delete(m.request);
      break;
    case 'flush':
      void schedule(true).then(() => post({ type: 'flushed' }));
      break;
  }
});
