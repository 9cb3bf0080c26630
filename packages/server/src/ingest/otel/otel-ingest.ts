import type { FluoroConfig } from '../../config/schema.js';
import { IngestRejected } from '../../pipeline/pipeline.js';
import type { TracePipeline } from '../../signals/traces/trace-pipeline.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Counter, Metrics } from '../../platform/telemetry/metrics.js';
import type { SpanFormat, SpanRefusal } from '../decode-protocol.js';
import type { DecodeThread } from '../decode-thread.js';

export type OtelReceiver = 'otlp_http' | 'otlp_grpc' | 'zipkin';

/** What became of one request's spans. */
export interface OtelOutcome {
  readonly received: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Why spans were refused: the first few messages, for the answer. */
  readonly refusals: readonly SpanRefusal[];
}

/** A request refused whole: the body could not be read, or the spans could not be queued. */
export class OtelRequestRejected extends Error {
  constructor(
    readonly reason: 'undecodable' | 'too_large' | 'overloaded' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

/**
 * OTLP and Zipkin ingest, shared by every receiver of them (OTLP/HTTP on its own port and the
 * main one, OTLP/gRPC, Zipkin). Bodies are decoded and converted on the decoding thread
 * (`DecodeThread`); the spans are then submitted to the pipeline, and `ingest` resolves once
 * they are durable, so a receiver acknowledges only what will survive a crash. Counts spans
 * received, accepted and rejected (by receiver and reason) and requests refused whole.
 */
export class OtelIngest {
  readonly #m: { received: Counter; accepted: Counter; rejected: Counter; requestsRejected: Counter };
  readonly #warned = new Set<string>();

  constructor(
    private readonly pipeline: TracePipeline,
    private readonly decoder: DecodeThread,
    private readonly config: FluoroConfig,
    private readonly log: Logger,
    metrics: Metrics,
  ) {
    this.#m = {
      received: metrics.counter('fluoro_otel_spans_received_total', 'OTLP and Zipkin spans received, by receiver.'),
      accepted: metrics.counter('fluoro_otel_spans_accepted_total', 'OTLP and Zipkin spans accepted, by receiver.'),
      rejected: metrics.counter('fluoro_otel_spans_rejected_total', 'OTLP and Zipkin spans refused, by receiver and reason.'),
      requestsRejected: metrics.counter(
        'fluoro_otel_requests_rejected_total',
        'OTLP and Zipkin requests refused whole, by receiver and reason.',
      ),
    };
  }

  #inFlight = 0;

  /**
   * Admission, when a request arrives and before its body is read: it takes one of
   * `otel.maxRequestsInFlight` places (given back with `release` once it is answered), or is
   * refused at once when none is free or the ingest queue is full, so that an exporter is told to
   * back off in milliseconds instead of waiting past its own timeout and sending the spans again.
   */
  admit(receiver: OtelReceiver): OtelRequestRejected | null {
    const max = this.config.otel.maxRequestsInFlight;
    const why =
      this.#inFlight >= max
        ? `${this.#inFlight} requests are being taken in (otel.maxRequestsInFlight); retry shortly`
        : this.pipeline.full
          ? 'the ingest queue is full; retry shortly'
          : null;
    if (why === null) {
      this.#inFlight++;
      return null;
    }
    this.refuse(receiver, 'overloaded', why);
    return new OtelRequestRejected('overloaded', why);
  }

  release(): void {
    this.#inFlight--;
  }

  /** Counts a request refused before it reached the decoder (media type, size). */
  refuse(receiver: OtelReceiver, reason: string, message: string): void {
    this.#m.requestsRejected.inc({ receiver, reason });
    this.#warn(receiver, reason, message);
  }

  /**
   * Decodes a request body and stores its spans; resolves once they are durable. Rejects with
   * `OtelRequestRejected` when nothing of the request was stored.
   */
  async ingest(receiver: OtelReceiver, format: SpanFormat, gzip: boolean, body: Uint8Array): Promise<OtelOutcome> {
    const reply = await this.decoder.decode(format, gzip, body);
    if (!reply.ok) {
      this.refuse(receiver, reply.reason, reply.message);
      throw new OtelRequestRejected(reply.reason, reply.message);
    }
    this.#m.received.inc({ receiver }, reply.received);
    for (const [reason, n] of Object.entries(reply.rejectedByReason)) this.#m.rejected.inc({ receiver, reason }, n);
    for (const r of reply.refusals) this.#warn(receiver, r.reason, r.message);
    const accepted = reply.batch?.length ?? 0;
    if (reply.batch) {
      try {
        await this.pipeline.submit(reply.batch, reply.bytes);
      } catch (err) {
        if (!(err instanceof IngestRejected)) throw err;
        const reason = err.reason === 'overloaded' ? 'overloaded' : 'unavailable';
        this.#m.requestsRejected.inc({ receiver, reason });
        throw new OtelRequestRejected(reason, `${err.message}; ${err.outcome(reply.received, 'spans')}`);
      }
      this.#m.accepted.inc({ receiver }, reply.received - reply.rejectedSpans);
    }
    return {
      received: reply.received,
      accepted: accepted ? reply.received - reply.rejectedSpans : 0,
      rejected: reply.rejectedSpans,
      refusals: reply.refusals,
    };
  }

  #warn(receiver: string, reason: string, message: string): void {
    const key = `${receiver}:${reason}`;
    if (this.#warned.has(key)) {
      this.log.debug('refused OTLP/Zipkin input', { receiver, reason, message });
      return;
    }
    this.#warned.add(key);
    this.log.warn('refused OTLP/Zipkin input (further ones of this kind are logged at debug level)', { receiver, reason, message });
  }
}
