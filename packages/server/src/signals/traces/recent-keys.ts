/**
 * Remembers which span keys (trace ID + span ID) were written recently and whether they were in
 * progress, so the pipeline can tell the store which incoming spans replace a stored one.
 *
 * Memory is bounded: keys live in two generations of `capacity` each, keyed by a 52-bit hash
 * (about 40 bytes per key). A hash collision only costs a needless delete of a key that is not
 * there. Spans still in progress are kept in a separate exact set that survives rotation, since
 * an in-progress segment may wait minutes for its completed version.
 */
export class RecentKeys {
  #current = new Map<number, boolean>();
  #previous = new Map<number, boolean>();
  readonly #inProgress = new Set<string>();

  constructor(
    private readonly capacity: number,
    private readonly maxInProgress: number = 100_000,
  ) {}

  /** `undefined` when not seen recently; else whether the stored version is in progress. */
  get(traceId: string, id: string): boolean | undefined {
    if (this.#inProgress.has(traceId + id)) return true;
    const h = hashKey(traceId, id);
    return this.#current.get(h) ?? this.#previous.get(h);
  }

  set(traceId: string, id: string, inProgress: boolean): void {
    const key = traceId + id;
    if (inProgress) {
      if (this.#inProgress.size >= this.maxInProgress) {
        // Oldest first: a segment in progress for this long is most likely never completed.
        const oldest = this.#inProgress.values().next().value;
        if (oldest !== undefined) this.#inProgress.delete(oldest);
      }
      this.#inProgress.add(key);
    } else {
      this.#inProgress.delete(key);
    }
    if (this.#current.size >= this.capacity) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(hashKey(traceId, id), inProgress);
  }

  get size(): number {
    return this.#current.size + this.#previous.size;
  }
}

export function hashKey(traceId: string, id: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < traceId.length; i++) {
    const c = traceId.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x100000 + (b >>> 12);
}
