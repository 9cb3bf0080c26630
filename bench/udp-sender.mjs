// Sends X-Ray segment datagrams at a steady rate, as many SDKs would. Run by udp-ingest.mjs.
//   node udp-sender.mjs HOST PORT RATE SECONDS FIRST_EPOCH SPREAD_SECONDS SEED
// Each datagram is one segment with one embedded call to the next service (2 spans, ~1 KB),
// timed within [FIRST_EPOCH, FIRST_EPOCH + SPREAD_SECONDS) so that queries see an hour of traffic.
// Every datagram is distinct (its own trace, segment and subsegment IDs and times).
//
// The sender shares the machine with Fluoro, so it is built to cost little: a ring of datagram
// buffers is prepared once and only the fixed-width fields that differ (IDs, times) are patched
// before each send. Prints {"sent": n, "errors": n, "seconds": s} when done.
import { createSocket } from 'node:dgram';

const [host, portText, rateText, secondsText, firstText, spreadText, seedText] = process.argv.slice(2);
const port = Number(portText);
const rate = Number(rateText);
const seconds = Number(secondsText);
const first = Number(firstText);
const spread = Number(spreadText);
const seed = Number(seedText ?? 1);
const total = Math.round(rate * seconds);
const SERVICES = ['frontend', 'cart', 'catalog', 'checkout', 'payments', 'orders', 'shipping', 'users'];
const HEADER = '{"format":"json","version":1}\n';
const RING = 4096;
const hex = (n, width) => n.toString(16).padStart(width, '0');
// Placeholders of the exact width of the value that replaces them.
const P = {
  epoch: 'E'.repeat(8),
  trace: 'T'.repeat(16),
  seg: 'S'.repeat(12),
  sub: 'U'.repeat(12),
  t0: 'A'.repeat(17),
  t1: 'B'.repeat(17),
  t2: 'C'.repeat(17),
  t3: 'D'.repeat(17),
};

function template(k) {
  const svc = SERVICES[k % SERVICES.length];
  const callee = SERVICES[(k + 1) % SERVICES.length];
  const fault = k % 50 === 0;
  const error = !fault && k % 20 === 0;
  const status = fault ? 500 : error ? 404 : 200;
  return (
    HEADER +
    `{"name":"${svc}","id":"${hex(seed, 4)}${P.seg}","trace_id":"1-${P.epoch}-${hex(seed, 8)}${P.trace}","start_time":${P.t0},"end_time":${P.t1},` +
    `"origin":"AWS::EC2::Instance","user":"user-${k % 100}","fault":${fault},"error":${error},` +
    `"http":{"request":{"method":"GET","url":"http://${svc}.internal/api/items/${k % 500}","user_agent":"bench/1.0","client_ip":"10.0.${k % 250}.7"},"response":{"status":${status},"content_length":${300 + (k % 700)}}},` +
    `"annotations":{"tier":"${k % 3 === 0 ? 'gold' : 'silver'}","cart_size":${k % 9},"beta":${k % 2 === 0}},` +
    `"aws":{"xray":{"sdk":"X-Ray for Node.js","sdk_version":"3.12.0"},"ec2":{"instance_id":"i-${hex(k % 16, 17)}","availability_zone":"eu-west-1a"}},` +
    `"metadata":{"default":{"request_id":"${hex(k, 12)}"}},` +
    `"subsegments":[{"name":"${callee}","id":"${hex(seed + 1, 4)}${P.sub}","start_time":${P.t2},"end_time":${P.t3},` +
    `"namespace":"remote","http":{"request":{"method":"GET","url":"http://${callee}.internal/v1"},"response":{"status":${status}}},"fault":${fault},"error":${error}}]}`
  );
}

const ring = Array.from({ length: RING }, (_, k) => {
  const text = template(k);
  const at = Object.fromEntries(Object.entries(P).map(([name, p]) => [name, text.indexOf(p)]));
  return { buf: Buffer.from(text, 'latin1'), at, duration: 0.005 + (k % 97) / 1000 };
});

function prepare(i) {
  const slot = ring[i % RING];
  const { buf, at } = slot;
  const start = first + (i / total) * spread;
  buf.write(hex(Math.floor(start), 8), at.epoch, 'latin1');
  buf.write(hex(i, 16), at.trace, 'latin1');
  buf.write(hex(i, 12), at.seg, 'latin1');
  buf.write(hex(i, 12), at.sub, 'latin1');
  buf.write(start.toFixed(6), at.t0, 'latin1');
  buf.write((start + slot.duration).toFixed(6), at.t1, 'latin1');
  buf.write((start + 0.001).toFixed(6), at.t2, 'latin1');
  buf.write((start + slot.duration - 0.001).toFixed(6), at.t3, 'latin1');
  return buf;
}

const socket = createSocket('udp4');
let sent = 0;
let errors = 0;
let inflight = 0;
const t0 = performance.now();
const tick = () => {
  const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
  // A ring slot is reused only after its previous send completed.
  while (sent < due && inflight < RING - 1) {
    const msg = prepare(sent);
    inflight++;
    sent++;
    socket.send(msg, port, host, (err) => {
      inflight--;
      if (err) errors++;
    });
  }
  if (sent < total) setTimeout(tick, 1);
  else {
    const wait = () => (inflight > 0 ? setTimeout(wait, 5) : finish());
    wait();
  }
};
const finish = () => {
  socket.close();
  console.log(JSON.stringify({ sent, errors, seconds: (performance.now() - t0) / 1000 }));
};
tick();
