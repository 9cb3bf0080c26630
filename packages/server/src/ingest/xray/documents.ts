import { parseSegmentDocument, type Rejection, type Span } from '@fluoro/core';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Counter, Metrics } from '../../platform/telemetry/metrics.js';
import type { UdpCounts } from './udp-protocol.js';

export type Receiver = 'udp' | 'http';

/**
 * Turns segment documents into spans for every receiver, and counts what it saw: documents
 * received, accepted and rejected by receiver and reason. Rejections are logged at debug level
 * (and the first of each reason at warn), never thrown.
 */
export class DocumentIngest {
  readonly received: Counter;
  readonly accepted: Counter;
  readonly rejected: Counter;
  readonly #warned = new Set<string>();

  constructor(
    metrics: Metrics,
    private readonly log: Logger,
  ) {
    this.received = metrics.counter('fluoro_documents_received_total', 'Segment documents (or datagrams) received, by receiver.');
    this.accepted = metrics.counter('fluoro_documents_accepted_total', 'Segment documents accepted, by receiver.');
    this.rejected = metrics.counter('fluoro_documents_rejected_total', 'Segment documents or datagrams refused, by receiver and reason.');
  }

  /** Parses one document; on failure the rejection is counted and returned. */
  parse(receiver: Receiver, text: string, bytes: number): { spans: Span[] } | { rejection: Rejection } {
    this.received.inc({ receiver });
    const result = parseSegmentDocument(text, bytes);
    if (result.ok) {
      this.accepted.inc({ receiver });
      return { spans: result.spans };
    }
    this.reject(receiver, result.rejection.code, result.rejection.message);
    return { rejection: result.rejection };
  }

  /** Adds what a receiver thread counted since its last report. */
  record(receiver: Receiver, counts: UdpCounts): void {
    if (counts.received) this.received.inc({ receiver }, counts.received);
    if (counts.accepted) this.accepted.inc({ receiver }, counts.accepted);
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
