import { traceIdEpoch, type SpanBatch } from '@fluoro/core';

/**
 * Keeps every span of a trace filed under one time. A trace whose ID carries its start (X-Ray
 * IDs, the X-Ray ID generator's) is filed under it by every span already. A random W3C trace ID
 * carries no time, so each span would be filed under its own start; this remembers the time the
 * first span of such a trace was filed under, and files its later spans there too, so queries by
 * filing time (`TimeRangeType: TraceId`, the console) see the whole trace.
 *
 * Memory is bounded: the `capacity` most recently first-seen traces are kept (two generations).
 * A span arriving after its trace was forgotten (or after a restart) is filed under its own start.
 */
export class FilingTimes {
  #current = new Map<string, number>();
  #previous = new Map<string, number>();

  constructor(private readonly capacity: number = 250_000) {}

  /** Rewrites the batch's `traceTime` of spans of random-ID traces seen before. */
  apply(b: SpanBatch): void {
    for (let i = 0; i < b.length; i++) {
      const traceId = b.traceId[i]!;
      const filed = b.traceTime[i]!;
      if (filed === traceIdEpoch(traceId)) continue;
      const known = this.#current.get(traceId) ?? this.#previous.get(traceId);
      if (known === undefined) this.#remember(traceId, filed);
      else if (known !== filed) b.traceTime[i] = known;
    }
  }

  #remember(traceId: string, filed: number): void {
    if (this.#current.size >= this.capacity) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(traceId, filed);
  }
}
