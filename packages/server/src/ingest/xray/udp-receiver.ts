import { Worker } from 'node:worker_threads';
import type { ListenAddress } from '../../config/address.js';
import type { TracePipeline } from '../../signals/traces/trace-pipeline.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import type { DocumentIngest } from './documents.js';
import { kernelUdpDrops } from './kernel-drops.js';
import { FULL, type FromWorker, type UdpWorkerConfig } from './udp-protocol.js';

/** The worker runs from the build output, also when this module is loaded from source (tests). */
const WORKER = new URL('../../../dist/ingest/xray/udp-worker.js', import.meta.url);

export interface UdpReceiverOptions {
  readonly receiveBufferBytes: number;
  readonly batchSpans?: number;
  readonly flushMs?: number;
}

/**
 * The X-Ray daemon protocol over UDP. A worker thread owns the socket and parses datagrams
 * (`udp-worker.ts`); this side counts what it reports and offers its batches to the pipeline.
 * While the ingest queue is full the worker drops new spans itself (counted), so an overloaded
 * main thread is not handed work it would throw away.
 */
export class UdpReceiver {
  #worker: Worker | null = null;
  #closed: Promise<void> | null = null;
  #shedTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly documents: DocumentIngest,
    private readonly pipeline: TracePipeline,
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  /** Binds and resolves with the bound address (port 0 resolved to the chosen port). */
  async listen(address: ListenAddress, options: UdpReceiverOptions): Promise<ListenAddress> {
    const shared = new SharedArrayBuffer(4);
    const flags = new Int32Array(shared);
    const config: UdpWorkerConfig = {
      host: address.host,
      port: address.port,
      receiveBufferBytes: options.receiveBufferBytes,
      batchSpans: options.batchSpans ?? 2000,
      flushMs: options.flushMs ?? 20,
      shared,
    };
    const worker = new Worker(WORKER, { workerData: config });
    this.#worker = worker;
    let onClosed: () => void = () => undefined;
    this.#closed = new Promise((resolve) => (onClosed = resolve));
    const bound = await new Promise<ListenAddress & { granted: number }>((resolve, reject) => {
      worker.on('message', (m: FromWorker) => {
        switch (m.type) {
          case 'listening':
            resolve({ host: m.host, port: m.port, granted: m.granted });
            break;
          case 'failed':
            reject(Object.assign(new Error(m.message), { code: m.code, address: address.host, port: address.port }));
            break;
          case 'batch':
            this.documents.record('udp', m.counts);
            if (m.counts.dropped) this.pipeline.dropped(m.counts.dropped);
            if (m.batch) this.pipeline.offer(m.batch, m.bytes);
            Atomics.store(flags, FULL, this.pipeline.full ? 1 : 0);
            break;
          case 'closed':
            onClosed();
            break;
        }
      });
      worker.once('error', reject);
      worker.once('exit', () => onClosed());
    });
    // The queue also drains between batches: clear the flag as soon as there is room again.
    this.#shedTimer = setInterval(() => Atomics.store(flags, FULL, this.pipeline.full ? 1 : 0), 10);
    this.#shedTimer.unref();
    worker.on('error', (err) => this.log.error('UDP receiver thread failed', { error: err.message }));
    this.metrics.gauge('fluoro_udp_receive_buffer_bytes', 'Receive buffer the kernel granted the UDP socket.', () => bound.granted);
    this.metrics.counterFrom(
      'fluoro_udp_kernel_drops_total',
      'Datagrams the kernel dropped before Fluoro read them, because the socket receive buffer was full (Linux /proc/net/udp drops).',
      () => kernelUdpDrops(bound),
    );
    if (bound.granted && bound.granted < options.receiveBufferBytes / 2) {
      this.log.warn(
        `the kernel capped the UDP receive buffer; bursts may drop datagrams (raise the cap: sysctl -w net.core.rmem_max=${options.receiveBufferBytes}, as root)`,
        { asked: options.receiveBufferBytes, granted: bound.granted },
      );
    }
    return { host: bound.host, port: bound.port };
  }

  /** Stops receiving; resolves once every datagram received so far was handed to the pipeline. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    if (!worker) return;
    if (this.#shedTimer) clearInterval(this.#shedTimer);
    worker.postMessage({ type: 'close' });
    await this.#closed;
    await worker.terminate();
  }
}
