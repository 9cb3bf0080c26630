import { Worker } from 'node:worker_threads';
import type { Logger } from '../platform/telemetry/logger.js';
import { workerRestarts, type Counter, type Metrics } from '../platform/telemetry/metrics.js';
import type { DecodeReply, DecodeWorkerConfig, DocumentsReply, FromDecoder, SpanFormat, ToDecoder } from './decode-protocol.js';

/** The worker runs from the build output, also when this module is loaded from source (tests). */
const WORKER = new URL('../../dist/ingest/decode-worker.js', import.meta.url);

/**
 * The HTTP receivers' decoding thread (`decode-worker.ts`): OTLP and Zipkin bodies and
 * PutTraceSegments' documents are turned into spans there, never on the main thread, which only
 * queues them and answers. A thread that dies (a bug, out of memory) fails the requests it held,
 * is counted in `fluoro_worker_restarts_total{thread="decode"}` and is replaced.
 */
export class DecodeThread {
  #worker: Worker | null = null;
  #next = 1;
  readonly #pending = new Map<number, (reply: FromDecoder) => void>();
  readonly #restarts: Counter;

  constructor(
    private readonly config: DecodeWorkerConfig,
    private readonly log: Logger,
    metrics: Metrics,
  ) {
    this.#restarts = workerRestarts(metrics);
  }

  start(): void {
    const worker = new Worker(WORKER, { workerData: this.config });
    worker.on('message', (reply: FromDecoder) => {
      const resolve = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      resolve?.(reply);
    });
    worker.on('error', (err) => this.log.error('the decoding thread failed', { error: err.stack ?? err.message }));
    worker.on('exit', (code) => {
      if (this.#worker !== worker) return;
      const pending = [...this.#pending];
      this.#pending.clear();
      for (const [id, resolve] of pending) {
        resolve({ type: 'decoded', id, ok: false, reason: 'unavailable', message: `the decoding thread stopped (exit ${code}); retry` });
      }
      this.#restarts.inc({ thread: 'decode' });
      this.log.warn('restarting the decoding thread', { exitCode: code });
      this.start();
    });
    this.#worker = worker;
  }

  /** Decodes an OTLP or Zipkin body (handed over, not copied, when it owns its buffer). */
  async decode(format: SpanFormat, gzip: boolean, body: Uint8Array): Promise<DecodeReply> {
    const own = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : Uint8Array.from(body);
    const reply = await this.#call((id) => ({ type: 'decode', id, format, gzip, body: own }), [own.buffer as ArrayBuffer]);
    return reply.type === 'decoded' ? reply : unavailable(reply.id);
  }

  /** Parses X-Ray segment documents. */
  async documents(documents: readonly string[]): Promise<DocumentsReply> {
    const reply = await this.#call((id) => ({ type: 'documents', id, documents }), []);
    if (reply.type === 'documents') return reply;
    return { type: 'documents', id: reply.id, ok: false, reason: 'unavailable', message: reply.ok ? 'unexpected reply' : reply.message };
  }

  #call(message: (id: number) => ToDecoder, transfer: ArrayBuffer[]): Promise<FromDecoder> {
    const worker = this.#worker;
    const id = this.#next++;
    if (!worker) return Promise.resolve(unavailable(id));
    return new Promise<FromDecoder>((resolve) => {
      this.#pending.set(id, resolve);
      worker.postMessage(message(id), transfer);
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    await worker?.terminate();
  }
}

function unavailable(id: number): DecodeReply {
  return { type: 'decoded', id, ok: false, reason: 'unavailable', message: 'Fluoro is shutting down' };
}
