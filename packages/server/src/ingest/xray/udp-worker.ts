import { createSocket } from 'node:dgram';
import { parentPort, workerData } from 'node:worker_threads';
import { SpanBatchBuilder, transferables } from '@fluoro/core';
import { parseDatagram } from './datagram.js';
import { FULL, type FromWorker, type ToWorker, type UdpCounts, type UdpWorkerConfig } from './udp-protocol.js';

/**
 * The UDP receiver's thread: owns the socket, parses and validates every datagram, and hands the
 * main thread batches of spans in columns. Parsing here keeps the main thread free to write, and
 * keeps the socket drained while the main thread is busy.
 */
const config = workerData as UdpWorkerConfig;
const port = parentPort!;
const flags = new Int32Array(config.shared);
const post = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

const builder = new SpanBatchBuilder(config.batchSpans);
let bytes = 0;
let counts = fresh();
let timer: NodeJS.Timeout | null = null;

function fresh(): { -readonly [K in keyof UdpCounts]: UdpCounts[K] } {
  return { received: 0, accepted: 0, rejected: {}, samples: {}, dropped: 0, unindexed: 0 };
}

function flush(): void {
  if (timer) {
    clearTimeout(timer);
    timer = null;
  }
  if (builder.length === 0 && counts.received === 0) return;
  const batch = builder.length > 0 ? builder.build() : null;
  post({ type: 'batch', batch, bytes, counts }, batch ? transferables(batch) : []);
  bytes = 0;
  counts = fresh();
}

const socket = createSocket({ type: config.host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: config.receiveBufferBytes });
socket.on('message', (msg) => {
  counts.received++;
  const result = parseDatagram(msg);
  if ('reason' in result) {
    counts.rejected[result.reason] = (counts.rejected[result.reason] ?? 0) + 1;
    counts.samples[result.reason] ??= result.message;
  } else {
    counts.accepted++;
    counts.unindexed += result.unindexed;
    if (Atomics.load(flags, FULL) === 1) {
      counts.dropped += result.spans.length;
    } else {
      for (const s of result.spans) builder.push(s);
      bytes += msg.length;
    }
  }
  if (builder.length >= config.batchSpans) flush();
  else timer ??= setTimeout(flush, config.flushMs);
});
socket.once('error', (err: NodeJS.ErrnoException) => post({ type: 'failed', code: err.code ?? 'ERROR', message: err.message }));
socket.bind(config.port, config.host, () => {
  let granted = 0;
  try {
    granted = socket.getRecvBufferSize();
  } catch {
    // Not every platform reports it.
  }
  const a = socket.address();
  post({ type: 'listening', host: a.address, port: a.port, granted });
});

port.on('message', (m: ToWorker) => {
  if (m.type === 'close') {
    socket.close(() => {
      flush();
      post({ type: 'closed' });
    });
  }
});
