import type { Rejection } from '@fluoro/core';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Counter, Metrics } from '../../platform/telemetry/metrics.js';
import type { UdpCounts } from './udp-protocol.js';

export type Receiver = 'udp' | 'http';

/**
 * Counts what every receiver saw of segment documents (parsed on the receivers' threads): documents
 * received, accepted and rejected by receiver and reason. Rejections are logged at debug level
 * (and the first of each reason at warn), never thrown.
 */
export class DocumentIngest {
  readonly received: Counter;
  readonly accepted: Counter;
  readonly rejected: Counter;
  readonly unindexed: Counter;
  readonly #warned = new Set<string>();

  constructor(
    metrics: Metrics,
    private readonly log: Logger,
  ) {
    this.received = metrics.counter('fluoro_documents_received_total', 'Segment documents (or datagrams) received, by receiver.');
    this.accepted = metrics.counter('fluoro_documents_accepted_total', 'Segment documents accepted, by receiver.');
    this.rejected = metrics.counter('fluoro_documents_rejected_total', 'Segment documents or datagrams refused, by receiver and reason.');
    this.unindexed = metrics.counter(
      'fluoro_annotations_unindexed_total',
      'Annotations kept in their document and as span attributes but not indexed for filter expressions (a key other than letters, digits, _ and ., or a value other than a string of at most 1,000 characters, a number or a boolean), by receiver.',
    );
  }

  /** Counts `received` documents parsed on another thread, of which `rejections` were refused; returns them. */
  count<R extends Rejection>(receiver: Receiver, received: number, rejections: readonly R[], unindexed = 0): readonly R[] {
    this.received.inc({ receiver }, received);
    if (unindexed) this.unindexed.inc({ receiver }, unindexed);
    if (received > rejections.length) this.accepted.inc({ receiver }, received - rejections.length);
    for (const r of rejections) this.reject(receiver, r.code, r.message);
    return rejections;
  }

  /** Adds what a receiver thread counted since its last report. */
  record(receiver: Receiver, counts: UdpCounts): void {
    if (counts.received) this.received.inc({ receiver }, counts.received);
    if (counts.accepted) this.accepted.inc({ receiver }, counts.accepted);
    if (counts.unindexed) this.unindexed.inc({ receiver }, counts.unindexed);
    for (const [reason, n] of Object.entries(counts.rejected)) this.#rejected(receiver, reason, counts.samples[reason] ?? '', n);
  }

  /** Counts a refusal that happened before a document could be parsed. */
  reject(receiver: Receiver, reason: string, message: string): void {
    this.#rejected(receiver, reason, message, 1);
  }

  #rejected(receiver: Receiver, reason: string, message: string, n: number): void {
    this.rejected.inc({ receiver, reason }, n);
    const key = `${receiver}:${reason}`;
    if (!this.#warned.has(key)) {
      this.#warned.add(key);
      this.log.warn('rejected a segment document (further ones of this kind are logged at debug level)', { receiver, reason, message });
    } else {
      this.log.debug('rejected a segment document', { receiver, reason, message });
    }
  }
}
