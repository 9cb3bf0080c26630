// Sends OTLP/HTTP protobuf exports at a steady span rate, as a fleet of OTel SDKs would. Run by
// otlp-ingest.mjs.
//   node otlp-sender.mjs URL SPANS_PER_SECOND SECONDS FIRST_EPOCH SPREAD_SECONDS SEED CONCURRENCY
// Each request is one service's batch of 512 spans (bench/otlp-template.mjs), every one distinct,
// timed within [FIRST_EPOCH, FIRST_EPOCH + SPREAD_SECONDS). At most CONCURRENCY requests are in
// flight, like exporters that wait for their previous export. Prints a JSON report when done.
import { Agent, request } from 'node:http';
import { fill, SERVICES, SPANS_PER_REQUEST, template } from './otlp-template.mjs';

const [url, rateText, secondsText, firstText, spreadText, seedText, concurrencyText] = process.argv.slice(2);
const rate = Number(rateText);
const seconds = Number(secondsText);
const first = Number(firstText);
const spread = Number(spreadText);
const seed = Number(seedText ?? 1);
const concurrency = Number(concurrencyText ?? 8);
const total = Math.round((rate * seconds) / SPANS_PER_REQUEST);
const templates = SERVICES.map((_, i) => template(i));
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL('/v1/traces', url);

let inFlight = 0;
let ok = 0;
let throttled = 0;
let failed = 0;
const latencies = [];
const buffers = templates.map((t) => Array.from({ length: concurrency }, () => Buffer.alloc(t.bytes.length)));
let wake = null;

function send(i) {
  const k = i % templates.length;
  const body = fill(templates[k], buffers[k][i % concurrency], seed * 1_000_000 + i, first + (i / total) * spread);
  const t = performance.now();
  inFlight++;
  const req = request(
    target,
    { method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } },
    (res) => {
      res.resume();
      res.on('end', () => {
        latencies.push(performance.now() - t);
        if (res.statusCode === 200) ok++;
        else if (res.statusCode === 429 || res.statusCode === 503) throttled++;
        else failed++;
        inFlight--;
        wake?.();
      });
    },
  );
  req.on('error', () => {
    failed++;
    inFlight--;
    wake?.();
  });
  req.end(body);
}

const t0 = performance.now();
for (let i = 0; i < total; i++) {
  const due = t0 + (i * SPANS_PER_REQUEST * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  // The buffer of request i is reused by request i + concurrency: never more in flight.
  while (inFlight >= concurrency) await new Promise((r) => (wake = r));
  send(i);
}
while (inFlight > 0) await new Promise((r) => (wake = r));
const secondsTaken = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
agent.destroy();
console.log(
  JSON.stringify({
    requests: total,
    ok,
    throttled,
    failed,
    spansSent: total * SPANS_PER_REQUEST,
    seconds: secondsTaken,
    latencyMs: { median: latencies[Math.floor(latencies.length / 2)], p99: latencies[Math.floor(latencies.length * 0.99)] },
  }),
);
