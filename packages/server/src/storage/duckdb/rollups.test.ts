import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSelector } from '../../query/selector-planner.js';
import type { StorageBackend, TimeRange } from '../api/index.js';
import { FixtureWriter } from '../conformance/harness.js';
import { openMemoryStore } from '../memory/backend.js';
import { openDuckDb, type DuckDbStore } from './backend.js';
import { parseFilter } from '@fluoro/core';
import { planFilter } from '../../query/filter-planner.js';
import type { SummaryQuery } from '../api/index.js';

/**
 * The rollups against the reference: for random windows of whole minutes and random periods, the
 * DuckDB store's graph and time series (from its rollups, the spans of minutes not rolled up, or
 * both) equal the memory store's, which computes them from the spans. The traffic has calls that
 * cross minute boundaries, answering segments that arrive after their minute was rolled up (late
 * subsegments), and in-progress segments completed later.
 */
const dir = mkdtempSync(join(tmpdir(), 'fluoro-rollups-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');
const BASE = Math.floor(Date.now() / 1000 / 3600) * 3600 - 2 * 3600;
const MINUTES = 20;

interface Traffic {
  /** Root segments with their calls, and answering segments sent with them. */
  first: unknown[];
  /** Answering segments sent later (after a roll-up), and in-progress roots completed. */
  late: unknown[];
}

function traffic(rand: () => number, traces: number): Traffic {
  const first: unknown[] = [];
  const late: unknown[] = [];
  for (let i = 0; i < traces; i++) {
    const t0 = BASE + rand() * MINUTES * 60;
    const traceId = `1-${hex(Math.floor(t0), 8)}-${hex(i + 1, 24)}`;
    const id = (k: number) => hex(i * 16 + k, 16);
    const callee = rand() < 0.5 ? 'cart' : 'catalog';
    const callStart = t0 + 0.01;
    // Some calls last long enough to cross into the next minute or two.
    const callEnd = callStart + 0.01 + (rand() < 0.2 ? rand() * 120 : rand() * 0.5);
    const outcome = rand();
    const fault = outcome < 0.1;
    const error = !fault && outcome < 0.2;
    const throttle = !fault && !error && outcome < 0.25;
    const root = {
      name: 'front',
      id: id(1),
      trace_id: traceId,
      start_time: t0,
      end_time: callEnd + 0.01,
      // Typed annotations (annotation rows): a string, a number, and a boolean on some roots only.
      annotations: {
        tier: rand() < 0.3 ? 'gold' : 'silver',
        cart_size: Math.floor(rand() * 10),
        ...(rand() < 0.4 ? { vip: rand() < 0.5 } : {}),
      },
      // Three ports, an ID per trace, two paths: routes /api/items/{id} and /api/cart.
      http: {
        request: {
          method: 'GET',
          url: i % 4 === 0 ? `http://front:${8000 + (i % 3)}/api/cart` : `http://front:${8000 + (i % 3)}/api/items/i-${i}`,
        },
      },
      fault,
      error: error || throttle,
      throttle,
      subsegments: [
        {
          name: callee,
          id: id(2),
          start_time: callStart,
          end_time: callEnd,
          namespace: 'remote',
          fault,
          error: error || throttle,
          throttle,
        },
        ...(rand() < 0.3
          ? [{ name: 'payments.example.net', id: id(3), start_time: callEnd, end_time: callEnd + rand() * 0.1, namespace: 'remote' }]
          : []),
      ],
    };
    const answer = {
      name: callee,
      id: id(4),
      trace_id: traceId,
      parent_id: id(2),
      start_time: callStart + 0.001,
      end_time: callEnd - 0.001,
      fault,
      subsegments:
        rand() < 0.5
          ? [
              {
                name: 'DynamoDB',
                id: id(5),
                start_time: callStart + 0.002,
                end_time: callEnd - 0.002,
                namespace: 'aws',
                aws: { table_name: `t${i % 3}` },
              },
            ]
          : [],
    };
    const unanswered = rand() < 0.2; // the callee never reports: an inferred node
    if (rand() < 0.15) {
      // In progress first, completed later.
      const { end_time: _end, ...open } = root;
      first.push({ ...open, in_progress: true });
      late.push(root);
    } else first.push(root);
    if (!unanswered) (rand() < 0.3 ? late : first).push(answer);
  }
  return { first, late };
}

const FILTERS = [
  undefined,
  '!ok',
  'fault OR throttle',
  'responsetime > 0.3',
  'duration > 30',
  'service("cart") { fault }',
  'annotation.tier = "gold" AND !error',
  'service("front") { root AND responsetime > 0.2 }',
  'edge("front", "cart") { fault }',
  'service(id(type: "AWS::DynamoDB::Table")) AND NOT responsetime < 0.1',
  'http.route = "/api/items/{id}" AND !fault',
  'annotation.cart_size >= 7 AND duration > 0.3',
  'annotation.vip OR annotation.tier != "gold"',
  'annotation.vip = false AND NOT annotation.cart_size < 3',
  'annotation.cart_size = 2 OR service("cart") { fault }',
  'service("catalog") { error } AND !service("cart") { throttle }',
  'service(id(type: "AWS::DynamoDB::Table")) { fault } OR service() { throttle }',
  'service("cart") { (error OR fault) } AND NOT service("catalog") { throttle OR error OR fault }',
];

const SELECTORS = [undefined, 'service("cart")', 'service("front")', 'edge("front", "cart")', 'service(id(type: "AWS::DynamoDB::Table"))'];

/** Deep copy with numbers rounded (sums of doubles differ in the last bits by order) and arrays sorted. */
function normal(x: unknown): unknown {
  if (typeof x === 'number') return Math.round(x * 1e6) / 1e6;
  if (Array.isArray(x)) return x.map(normal).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, normal(v)]));
  return x;
}

function summaryQuery(range: TimeRange, text: string | undefined, limit: number): SummaryQuery {
  let filter: SummaryQuery['filter'] = null;
  if (text) {
    const parsed = parseFilter(text);
    if (!parsed.ok) throw new Error(parsed.message);
    filter = { expr: parsed.filter, plan: planFilter(parsed.filter) };
  }
  return { range, rangeType: 'TraceId', filter, limit, after: null };
}

function selectorPlan(text: string | undefined) {
  if (!text) return planSelector(null);
  const parsed = parseFilter(text, { entitySelector: true });
  if (!parsed.ok) throw new Error(parsed.message);
  return planSelector(parsed.filter);
}

/** The DuckDB store under test, its roller held off so the test says when minutes are rolled up. */
const openStore = (): Promise<DuckDbStore> =>
  openDuckDb({
    path: join(dir, 'rollups.duckdb'),
    threads: 2,
    memoryLimit: '',
    readConnections: 2,
    checkpointThreshold: '16MB',
    rollupIntervalSeconds: 3600,
  });

describe('service graph rollups and trace rows (DuckDB) against the spans (memory)', () => {
  let duck: DuckDbStore;
  let memory: StorageBackend;
  const rand = random(20261203);
  const { first, late } = traffic(rand, 600);

  beforeAll(async () => {
    duck = await openStore();
    memory = await openMemoryStore();
    for (const store of [duck, memory]) {
      const w = await FixtureWriter.start(store);
      await w.write(first);
      await w.stop();
    }
  });
  afterAll(async () => {
    await duck?.close();
    await memory?.close();
  });

  const windows = (n: number): TimeRange[] =>
    Array.from({ length: n }, () => {
      const a = Math.floor(rand() * (MINUTES + 2)) - 1;
      const b = a + 1 + Math.floor(rand() * (MINUTES + 2 - a));
      return { start: BASE + a * 60, end: BASE + b * 60 };
    });

  async function agree(label: string): Promise<void> {
    for (const range of windows(12)) {
      const [d, m] = await Promise.all([duck.graph.getServiceGraph({ range }), memory.graph.getServiceGraph({ range })]);
      expect(normal(d), `${label}: graph of [${range.start - BASE}, ${range.end - BASE})`).toEqual(normal(m));
      const period = [60, 120, 300][Math.floor(rand() * 3)]!;
      const text = SELECTORS[Math.floor(rand() * SELECTORS.length)];
      const plan = selectorPlan(text);
      const [ds, ms] = await Promise.all([
        duck.graph.getServiceTimeSeries(range, period, plan),
        memory.graph.getServiceTimeSeries(range, period, plan),
      ]);
      expect(normal(ds), `${label}: ${text ?? 'client'} per ${period} s over [${range.start - BASE}, ${range.end - BASE})`).toEqual(
        normal(ms),
      );
    }
    // Trace summaries, from the trace rows of rolled-up minutes and the spans of the others: any
    // window of filing time (not only whole minutes), two pages.
    for (let i = 0; i < 8; i++) {
      const start = BASE - 30 + rand() * (MINUTES * 60 + 60);
      const range = { start, end: start + rand() * MINUTES * 60 };
      const text = FILTERS[Math.floor(rand() * FILTERS.length)];
      let q = summaryQuery(range, text, 25);
      // Ranked pages too: the first 25 by a trace fact.
      const by = (['time', 'responsetime', 'duration', 'id', undefined, undefined] as const)[Math.floor(rand() * 6)];
      if (by) q = { ...q, order: { by, dir: rand() < 0.5 ? 'asc' : 'desc' } };
      for (let page = 1; page <= 2; page++) {
        const [d, m] = await Promise.all([duck.traces.findTraceSummaries(q), memory.traces.findTraceSummaries(q)]);
        const where = `${label}: summaries page ${page} of ${text ?? 'all'}${q.order ? ` by ${q.order.by} ${q.order.dir}` : ''} over [${(range.start - BASE).toFixed(1)}, ${(range.end - BASE).toFixed(1)})`;
        expect(
          d.summaries.map((t) => t.traceId),
          where,
        ).toEqual(m.summaries.map((t) => t.traceId));
        expect(normal(d), where).toEqual(normal(m));
        if (!d.next) break;
        q = { ...q, after: d.next };
      }
      // Group-bys by root facts and the scatter's points read the same rows.
      const kind = (['http.route', 'http.url', 'http.status', 'http.method'] as const)[Math.floor(rand() * 4)]!;
      const selection = { range, filter: q.filter, limit: 50 };
      const [dg, mg] = await Promise.all([
        duck.analytics.groupTraces({ ...selection, by: { kind } }),
        memory.analytics.groupTraces({ ...selection, by: { kind } }),
      ]);
      expect(normal(dg), `${label}: groups by ${kind} of ${text ?? 'all'}`).toEqual(normal(mg));
      const [dp, mp] = await Promise.all([duck.analytics.tracePoints(selection), memory.analytics.tracePoints(selection)]);
      expect(normal(dp), `${label}: points of ${text ?? 'all'}`).toEqual(normal(mp));
    }
  }

  it('agrees before any roll-up (from the spans), after it (from the rollups), and with late segments (both)', async () => {
    const dirty = async () => Number((await duck.run('SELECT count(DISTINCT filed) AS n FROM graph_dirty', []))[0]!['n']);
    expect(await dirty()).toBeGreaterThanOrEqual(MINUTES);
    await agree('nothing rolled up');

    // Half the minutes rolled up: windows mix both.
    expect(await duck.rollUp(BASE + (MINUTES / 2) * 60 + 30)).toBeGreaterThan(0);
    await agree('half rolled up');

    expect(await duck.rollUp(BASE + 3 * 3600)).toBeGreaterThan(0);
    expect(await dirty()).toBe(0);
    const rows = Number((await duck.run('SELECT count(*) AS n FROM graph_minutes', []))[0]!['n']);
    expect(rows).toBeGreaterThan(0);
    const traceRows = Number((await duck.run('SELECT count(*) AS n FROM trace_rows', []))[0]!['n']);
    expect(traceRows).toBe(600);
    await agree('all rolled up');

    // Late answering segments and completed roots: their minutes are marked again.
    for (const store of [duck, memory]) {
      const w = await FixtureWriter.start(store);
      await w.write(late);
      await w.stop();
    }
    expect(await dirty()).toBeGreaterThan(0);
    await agree('late segments, not rolled up');
    await duck.rollUp(BASE + 3 * 3600);
    expect(await dirty()).toBe(0);
    await agree('late segments, rolled up');
  }, 60_000);

  it('keeps rollups and marks through a reopen, and retention deletes them with the spans', async () => {
    await duck.close();
    duck = await openStore();
    await agree('reopened');
    const cut = BASE + 10 * 60;
    await duck.retention.deleteBefore(cut);
    await memory.retention.deleteBefore(cut);
    expect(Number((await duck.run(`SELECT count(*) AS n FROM graph_minutes WHERE filed < ${cut}`, []))[0]!['n'])).toBe(0);
    expect(Number((await duck.run(`SELECT count(*) AS n FROM trace_rows WHERE trace_time < ${cut}`, []))[0]!['n'])).toBe(0);
    await agree('after retention');
  });
});
