#!/usr/bin/env node
// UDP → stored and queryable, measured end to end on this machine.
//
//   node bench/udp-ingest.mjs [--rates 30000,45000] [--seconds 20] [--fluoro-flags "--storage.duckdb.memory-limit 512MB"]
//
// For each rate: a separate sender process paces X-Ray datagrams (one segment + one embedded
// call each, ~1 KB) at Fluoro's UDP port for the given time. Then the bench waits until every
// accepted span is written and reports what was sent, accepted, dropped (by Fluoro's queue or by
// the kernel's socket buffer), the rate stored, and Fluoro's peak RSS. Finally it times the read
// API on what was stored (spread over the past hour): BatchGetTraces of one trace,
// GetTraceSummaries for the hour, GetServiceGraph for the hour.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { machine, parseArgs, root, runSender, settle, startFluoro, stats, timedPost } from './lib.mjs';

const args = parseArgs();
const rates = (args.rates ?? '30000').split(',').map(Number);
const seconds = Number(args.seconds ?? 20);
const out = `${root}bench/out`;
const dataDir = `${out}/udp-ingest-data`;
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const extra = (args['fluoro-flags'] ?? '').split(' ').filter(Boolean);
const fluoro = await startFluoro(['--data-dir', dataDir, '--udp', '127.0.0.1:0', '--http', '127.0.0.1:0', ...extra]);
const [udpHost, udpPort] = fluoro.address('udp').split(':');
const url = fluoro.url;
const metrics = () =>
  fluoro.metrics({
    received: 'fluoro_documents_received_total',
    accepted: 'fluoro_documents_accepted_total',
    written: 'fluoro_spans_written_total',
    dropped: 'fluoro_spans_dropped_total',
    queue: 'fluoro_queue_spans',
    buffer: 'fluoro_udp_receive_buffer_bytes',
    analysed: 'fluoro_traces_analysed_total',
    analysisSkipped: 'fluoro_trace_analyses_skipped_total',
    analysisDropped: 'fluoro_trace_analyses_dropped_total',
  });
const kernelDrops = () => {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'));
  const [head, values] = lines.map((l) => l.split(/\s+/));
  return Number(values[head.indexOf('RcvbufErrors')]);
};
const rss = () => fluoro.rss();
const api = (path, body) => timedPost(url, path, body);
const now = Math.floor(Date.now() / 1000);
const results = [];
let seed = 1;
for (const rate of rates) {
  const before = await metrics();
  const kernelBefore = kernelDrops();
  const t0 = performance.now();
  let maxQueue = 0;
  const sampler = setInterval(async () => (maxQueue = Math.max(maxQueue, (await metrics()).queue)), 250);
  const report = await runSender('udp-sender.mjs', [udpHost, udpPort, rate, seconds, now - 3600, 3540, seed]);
  seed += 2;
  // Wait until every accepted span is written and analysed (nothing moves for two seconds).
  await settle(
    async () => {
      const m = await metrics();
      return m.written + m.analysed + m.analysisSkipped;
    },
    async () => (await metrics()).queue > 0,
  );
  const m = await metrics();
  clearInterval(sampler);
  const elapsed = (performance.now() - t0) / 1000 - 2; // less the final idle wait
  const accepted = m.accepted - before.accepted;
  const written = m.written - before.written;
  const kernel = kernelDrops() - kernelBefore;
  const r = {
    rate,
    seconds,
    sent: report.sent,
    sendSeconds: +report.seconds.toFixed(2),
    sendRate: Math.round(report.sent / report.seconds),
    received: m.received - before.received,
    accepted,
    lost: report.sent - accepted,
    droppedByKernel: kernel,
    droppedByQueue: m.dropped - before.dropped,
    spansWritten: written,
    storedSpansPerSecond: Math.round(written / elapsed),
    storedSegmentsPerSecond: Math.round(accepted / elapsed),
    maxQueueSpans: maxQueue,
    tracesAnalysed: m.analysed - before.analysed,
    analysisSkipped: m.analysisSkipped - before.analysisSkipped,
    analysisDropped: m.analysisDropped - before.analysisDropped,
    udpReceiveBuffer: m.buffer,
    rss: rss(),
  };
  results.push(r);
  console.log(
    `rate ${rate}/s: sent ${r.sent} in ${r.sendSeconds}s, accepted ${accepted}, lost ${r.lost} (kernel ${kernel}, queue ${r.droppedByQueue}), stored ${r.storedSegmentsPerSecond} segments/s = ${r.storedSpansPerSecond} spans/s, max queue ${maxQueue}, peak RSS ${r.rss.peakMB.toFixed(0)} MB; root causes: ${r.tracesAnalysed} traces analysed, ${r.analysisSkipped} skipped, ${r.analysisDropped} dropped`,
  );
}

// Reads, on everything stored (spread over the past hour).
const size = await (await fetch(`${url}/metrics`)).text();
const hour = { StartTime: now - 3600, EndTime: now };
const summaries = [];
let processed = 0;
for (let i = 0; i < 10; i++) {
  const r = await api('/TraceSummaries', hour);
  summaries.push(r.ms);
  processed = r.json.TracesProcessedCount;
}
const ids = (await api('/TraceSummaries', hour)).json.TraceSummaries.map((s) => s.Id);
const sampleIds = [];
for (let i = 0; i < 50; i++)
  sampleIds.push(
    `1-${(now - 3600 + Math.floor(Math.random() * 3500)).toString(16)}-${(1).toString(16).padStart(8, '0')}${Math.floor(
      Math.random() * rates[0] * seconds,
    )
      .toString(16)
      .padStart(16, '0')}`,
  );
const batch = [];
let found = 0;
for (const id of [...ids.slice(0, 10), ...sampleIds]) {
  const r = await api('/Traces', { TraceIds: [id] });
  batch.push(r.ms);
  found += r.json.Traces.length;
}
const graph = [];
let nodes = 0;
for (let i = 0; i < 5; i++) {
  const r = await api('/ServiceGraph', hour);
  graph.push(r.ms);
  nodes = r.json.Services.length;
}
const storeBytes = Number(/fluoro_store_size_bytes (\d+)/.exec(size)[1]);
const reads = {
  spansStored: results.reduce((n, r) => n + r.spansWritten, 0),
  tracesInHour: processed,
  storeMB: +(storeBytes / 1024 / 1024).toFixed(1),
  batchGetTracesMs: { ...stats(batch), found },
  getTraceSummariesHourMs: stats(summaries),
  getServiceGraphHourMs: { ...stats(graph), services: nodes },
};
console.log(`reads over ${reads.spansStored} spans (${processed} traces in the hour, store ${reads.storeMB} MB):`);
console.log(
  `  BatchGetTraces (1 trace): median ${reads.batchGetTracesMs.median.toFixed(1)} ms, p95 ${reads.batchGetTracesMs.p95.toFixed(1)} ms (${found} of ${batch.length} found)`,
);
console.log(
  `  GetTraceSummaries (1 h, first page): median ${reads.getTraceSummariesHourMs.median.toFixed(1)} ms, p95 ${reads.getTraceSummariesHourMs.p95.toFixed(1)} ms`,
);
console.log(
  `  GetServiceGraph (1 h): median ${reads.getServiceGraphHourMs.median.toFixed(1)} ms, p95 ${reads.getServiceGraphHourMs.p95.toFixed(1)} ms (${nodes} services)`,
);
console.log(`peak RSS ${rss().peakMB.toFixed(0)} MB`);

await fluoro.stop();
const file = `${out}/udp-ingest-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.json`;
writeFileSync(file, JSON.stringify({ machine: machine(), results, reads }, null, 2));
console.log(`written ${file}`);
rmSync(dataDir, { recursive: true, force: true });
