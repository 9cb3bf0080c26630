// Writes a realistic hour of traces straight into a store, for query benchmarks.
//   import { seed } from './seed.mjs'; await seed(store, { spans: 1_000_000, end })
// Each trace: frontend (root, ~1 in 50 faults, ~1 in 20 4xx) calls cart or catalog (instrumented
// segments), which call DynamoDB (inferred, a few throttled) or SQL (inferred); payments is an
// uninstrumented remote API. Annotations of three types, users, and a few in-progress segments.
import { mkdirSync, rmSync } from 'node:fs';
import { parseSegmentDocument, SpanBatchBuilder } from '../packages/core/dist/index.js';
import { openDuckDb } from '../packages/server/dist/storage/duckdb/backend.js';
import { analyzeTrace } from '../packages/server/dist/derived/root-causes/analysis.js';

const hex = (n, w) => n.toString(16).padStart(w, '0');

function trace(i, start) {
  const t = `1-${hex(Math.floor(start), 8)}-${hex(i, 24)}`;
  const id = (k) => hex(i * 16 + k, 16);
  const fault = i % 50 === 0;
  const error = !fault && i % 20 === 0;
  const status = fault ? 500 : error ? 404 : 200;
  const slow = i % 100 === 0 ? 1.5 : 0;
  const callee = i % 3 === 0 ? 'catalog' : 'cart';
  const d = 0.02 + (i % 37) / 1000 + slow;
  const tier = ['gold', 'silver', 'bronze'][Math.floor(i / 7) % 3];
  const front = {
    name: 'frontend',
    id: id(1),
    trace_id: t,
    start_time: start,
    end_time: start + d + 0.01,
    origin: 'AWS::EC2::Instance',
    user: `user-${i % 200}`,
    fault,
    error,
    http: {
      request: {
        method: i % 4 === 0 ? 'POST' : 'GET',
        url: `http://shop.example.com/api/${callee}/${i % 50}`,
        user_agent: 'Mozilla/5.0',
        client_ip: `10.0.${i % 250}.9`,
      },
      response: { status },
    },
    annotations: { tier, cart_size: i % 9, express: i % 2 === 0 },
    subsegments: [
      {
        name: callee,
        id: id(2),
        start_time: start + 0.002,
        end_time: start + d + 0.005,
        namespace: 'remote',
        fault,
        error,
        http: { request: { method: 'GET', url: `http://${callee}.internal/v1`, traced: true }, response: { status } },
      },
      ...(i % 5 === 0
        ? [
            {
              name: 'payments.example.net',
              id: id(3),
              start_time: start + d,
              end_time: start + d + 0.008,
              namespace: 'remote',
              http: { request: { method: 'POST', url: 'https://payments.example.net/charge' }, response: { status: 200 } },
            },
          ]
        : []),
    ],
  };
  const throttled = i % 97 === 0;
  const back = {
    name: callee,
    id: id(4),
    parent_id: id(2),
    trace_id: t,
    start_time: start + 0.003,
    end_time: start + d + 0.004,
    origin: 'AWS::ECS::Container',
    fault,
    error,
    http: { response: { status } },
    annotations: { region: 'eu-west-1' },
    subsegments:
      callee === 'cart'
        ? [
            {
              name: 'DynamoDB',
              id: id(5),
              start_time: start + 0.004,
              end_time: start + d,
              namespace: 'aws',
              error: throttled,
              throttle: throttled,
              aws: { operation: 'GetItem', table_name: 'carts' },
              http: { response: { status: throttled ? 429 : 200 } },
            },
          ]
        : [
            {
              name: 'catalog@db.internal',
              id: id(5),
              start_time: start + 0.004,
              end_time: start + d,
              namespace: 'remote',
              sql: { url: 'postgres://db.internal/catalog', sanitized_query: 'SELECT * FROM products WHERE id = $1' },
            },
          ],
  };
  return [front, back];
}

/**
 * Seeds `spans` spans (about 3.3 per trace) ending at `end`, spread over the hour before it, with
 * each trace's root causes worked out as the analyzer would (for rootcause.* filters).
 */
export async function seed(store, { spans, end, batch = 20_000 }) {
  const traces = Math.ceil(spans / 3.33);
  let builder = new SpanBatchBuilder(batch);
  let analyses = [];
  let written = 0;
  for (let i = 0; i < traces; i++) {
    const start = end - 3600 + (i / traces) * 3590;
    const traceSpans = [];
    for (const doc of trace(i, start)) {
      const r = parseSegmentDocument(JSON.stringify(doc));
      if (!r.ok) throw new Error(r.rejection.message);
      for (const s of r.spans) {
        builder.push(s);
        traceSpans.push(s);
      }
    }
    analyses.push(analyzeTrace(traceSpans[0].traceId, traceSpans, false));
    if (builder.length >= batch || i === traces - 1) {
      const b = builder.build();
      written += b.length;
      await store.spans.write({ rows: [{ batch: b }], supersedes: [] });
      await store.rootCauses.write(analyses);
      analyses = [];
    }
  }
  return { spans: written, traces };
}

/** An empty DuckDB store in `dir` (emptied first), with the settings every seeding bench uses. */
export async function openSeedStore(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return openDuckDb({ path: `${dir}/fluoro.duckdb`, threads: 2, memoryLimit: '2GB', readConnections: 1, checkpointThreshold: '256MB' });
}
