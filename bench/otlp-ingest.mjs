#!/usr/bin/env node
// OTLP/HTTP protobuf → stored and queryable, next to the UDP segment path at the same span rate,
// measured end to end on this machine.
//
//   node bench/otlp-ingest.mjs [--rate 50000] [--seconds 30] [--concurrency 32] [--udp true]
//
// A separate sender process (bench/otlp-sender.mjs) posts exports of 512 spans (OpenTelemetry's
// own protobuf encoding, each request distinct) to a fresh `fluoro start` at the given span rate.
// The bench waits until everything accepted is written and reports spans sent, accepted (200),
// refused (429), the rate stored, the queue peak and Fluoro's peak RSS. Then, unless --udp false,
// it does the same on another fresh Fluoro with X-Ray daemon datagrams (2 spans each) at the same
// span rate, for comparison.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { machine, parseArgs, root, runSender, settle, startFluoro } from './lib.mjs';

const args = parseArgs();
const rate = Number(args.rate ?? 50_000);
const seconds = Number(args.seconds ?? 30);
const concurrency = Number(args.concurrency ?? 32);
const out = `${root}bench/out`;
mkdirSync(out, { recursive: true });
const now = Math.floor(Date.now() / 1000);

async function phase(name, flags, send, receivedMetric) {
  const dataDir = `${out}/${name}-ingest-data`;
  rmSync(dataDir, { recursive: true, force: true });
  const fluoro = await startFluoro(['--data-dir', dataDir, '--udp', '127.0.0.1:0', '--http', '127.0.0.1:0', ...flags]);
  const metrics = () =>
    fluoro.metrics({
      written: 'fluoro_spans_written_total',
      queue: 'fluoro_queue_spans',
      accepted: receivedMetric,
      dropped: 'fluoro_spans_dropped_total',
    });
  const t0 = performance.now();
  let maxQueue = 0;
  const sampler = setInterval(async () => (maxQueue = Math.max(maxQueue, (await metrics()).queue)), 250);
  const report = await send(fluoro);
  await settle(
    async () => (await metrics()).written,
    async () => (await metrics()).queue > 0,
  );
  clearInterval(sampler);
  const elapsed = (performance.now() - t0) / 1000 - 2;
  const m = await metrics();
  const rss = fluoro.rss();
  await fluoro.stop();
  rmSync(dataDir, { recursive: true, force: true });
  return {
    name,
    report,
    accepted: m.accepted,
    written: m.written,
    dropped: m.dropped,
    storedPerSecond: Math.round(m.written / elapsed),
    maxQueue,
    rss,
  };
}

const results = [];
const otlp = await phase(
  'otlp',
  ['--otlp-http', '127.0.0.1:0'],
  (f) => runSender('otlp-sender.mjs', [`http://${f.address('otlp-http')}`, rate, seconds, now - 3600, 3540, 1, concurrency]),
  'fluoro_otel_spans_accepted_total',
);
results.push(otlp);
console.log(
  `OTLP/HTTP protobuf at ${rate} spans/s × ${seconds} s: sent ${otlp.report.spansSent} spans in ${otlp.report.requests} requests over ${otlp.report.seconds.toFixed(1)} s; ` +
    `${otlp.report.ok} answered 200, ${otlp.report.throttled} refused (429/503), ${otlp.report.failed} failed; accepted ${otlp.accepted} spans, ` +
    `stored ${otlp.storedPerSecond} spans/s; request latency median ${otlp.report.latencyMs.median.toFixed(0)} ms, p99 ${otlp.report.latencyMs.p99.toFixed(0)} ms; ` +
    `max queue ${otlp.maxQueue} spans; peak RSS ${otlp.rss.peakMB.toFixed(0)} MB`,
);
if (args.udp !== 'false') {
  const udp = await phase(
    'udp',
    [],
    (f) => {
      const [host, port] = f.address('udp').split(':');
      return runSender('udp-sender.mjs', [host, port, rate / 2, seconds, now - 3600, 3540, 1]);
    },
    'fluoro_documents_accepted_total',
  );
  results.push(udp);
  console.log(
    `UDP segments at ${rate / 2} segments/s (${rate} spans/s) × ${seconds} s: sent ${udp.report.sent} datagrams, accepted ${udp.accepted}, ` +
      `stored ${udp.storedPerSecond} spans/s; max queue ${udp.maxQueue} spans; peak RSS ${udp.rss.peakMB.toFixed(0)} MB`,
  );
}
const file = `${out}/otlp-ingest-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.json`;
writeFileSync(file, JSON.stringify({ machine: machine(), rate, seconds, concurrency, results }, null, 2));
console.log(`written ${file}`);
