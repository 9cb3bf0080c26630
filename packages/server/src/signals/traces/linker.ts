import { spanAt, type Span, type SpanOwner } from '@fluoro/core';
import type { SpanKey, SpanRows } from '../../storage/api/index.js';
import { hashKey } from './recent-keys.js';

export interface LinkerOptions {
  /** Owners remembered per generation (two generations), by hashed span key. */
  readonly ownersPerGeneration: number;
  /** Spans of waiting documents held in memory; beyond it the oldest documents are forgotten. */
  readonly maxWaitingSpans: number;
  /** A document waits at most this long for its parent. */
  readonly maxWaitMs: number;
}

export const DEFAULT_LINKER_OPTIONS: LinkerOptions = { ownersPerGeneration: 250_000, maxWaitingSpans: 100_000, maxWaitMs: 3_600_000 };

/** Reads stored owners the linker no longer remembers (`IngestStateReader.owners`). */
export type OwnerLookup = (keys: readonly SpanKey[]) => Promise<Map<string, SpanOwner>>;

/** A subsegment document sent on its own, stored without an owner, waiting for its parent's. */
interface WaitingDoc {
  readonly key: string;
  readonly traceId: string;
  readonly parentKey: string;
  /** Its spans as stored (owner null); superseded members are taken out. */
  spans: Span[];
  readonly since: number;
}

/**
 * Subsegment linking, X-Ray's rule for documents sent on their own (`type: "subsegment"`, and
 * OpenTelemetry spans whose segment was not in the same export): every span of such a document
 * belongs to the segment (service) of the document's parent, at any depth, in any arrival order.
 *
 * Owners are resolved before a write, never by updating stored rows:
 * - a document whose parent's owner is known (from the same write, from recent writes, or read
 *   from the store for parents older than what is remembered) is written linked;
 * - one whose parent has not arrived is written unlinked and waits here; when its parent arrives,
 *   its spans are written again, linked, superseding the stored versions (`relinked`).
 *
 * Memory is bounded: owners in two generations of hashed keys (a collision could only give a
 * document a wrong owner if its parent's key collided, about once in 2^52), waiting documents by
 * span count and age. A document forgotten stays stored unlinked, as X-Ray shows it.
 */
export class Linker {
  #owners = new Map<number, SpanOwner>();
  #previous = new Map<number, SpanOwner>();
  /** Wall time (epoch seconds) since which every written owner is remembered. */
  #coveredSince: number;
  #generationStart: number;
  /** Insertion order is age order. */
  readonly #waiting = new Map<string, WaitingDoc>();
  readonly #byParent = new Map<string, Set<string>>();
  /** Member span key → key of the waiting document holding it. */
  readonly #members = new Map<string, string>();
  #waitingSpans = 0;

  constructor(
    private readonly options: LinkerOptions = DEFAULT_LINKER_OPTIONS,
    private readonly wallSeconds: () => number = () => Date.now() / 1000,
  ) {
    this.#coveredSince = wallSeconds();
    this.#generationStart = this.#coveredSince;
  }

  /** Traces holding documents that wait for their parent. */
  get waitingTraces(): number {
    return new Set([...this.#waiting.values()].map((d) => d.traceId)).size;
  }

  get waitingDocuments(): number {
    return this.#waiting.size;
  }

  /** Stored spans without an owner (after a restart: `IngestStateReader.unlinkedSpans`). */
  restore(spans: readonly Span[]): void {
    const docs = new Map<string, Span[]>();
    for (const s of spans) {
      const key = s.traceId + s.docId;
      const list = docs.get(key);
      if (list) list.push(s);
      else docs.set(key, [s]);
    }
    for (const [key, list] of docs) {
      const root = list.find((s) => s.id === list[0]!.docId);
      if (root?.parentId) this.#wait(key, root.traceId, root.traceId + root.parentId, list);
    }
  }

  /**
   * Links the kept rows of one write in place (their owner columns), and returns copies of
   * waiting spans that this write makes linkable: the caller writes them with their keys in
   * `supersedes`. Never throws; a failed lookup leaves documents waiting.
   */
  async link(rows: readonly SpanRows[], lookup: OwnerLookup): Promise<{ relinked: Span[] }> {
    const now = this.wallSeconds();
    this.#expire(now);
    // Orphan documents of this write, by trace + document ID: the rows of each.
    const orphans = new Map<string, { traceId: string; parentKey: string | null; traceTime: number; rows: Array<[SpanRows, number]> }>();
    const linkedKeys: string[] = [];
    // Keys of linked spans only matter to documents already waiting (#release); most writes have none.
    const waiting = this.#waiting.size > 0;
    // The spans of one document come together and share their owner: one object for the run.
    let owner: SpanOwner | null = null;
    for (const r of rows) {
      const b = r.batch;
      for (let i = 0; i < b.length; i++) {
        if (r.keep && !r.keep[i]) continue;
        const traceId = b.traceId[i]!;
        if (waiting) this.#superseded(traceId + b.id[i]!);
        const segmentId = b.segmentId[i];
        if (segmentId !== null && segmentId !== undefined) {
          if (owner === null || owner.segmentId !== segmentId || owner.service !== b.service[i] || owner.serviceType !== b.serviceType[i])
            owner = { segmentId, service: b.service[i]!, serviceType: b.serviceType[i]! };
          this.#remember(traceId, b.id[i]!, owner);
          if (waiting) linkedKeys.push(traceId + b.id[i]!);
          continue;
        }
        const docKey = traceId + b.docId[i]!;
        let doc = orphans.get(docKey);
        if (!doc) orphans.set(docKey, (doc = { traceId, parentKey: null, traceTime: b.traceTime[i]!, rows: [] }));
        doc.rows.push([r, i]);
        if (b.id[i] === b.docId[i] && b.parentId[i]) doc.parentKey = traceId + b.parentId[i]!;
      }
    }
    if (orphans.size) {
      this.#resolve(orphans, linkedKeys);
      // Parents written before what is remembered (or before a restart) are read from the store.
      const unknown = [...orphans.values()].filter((d) => d.parentKey !== null && d.traceTime < this.#coveredSince + CLOCK_SKEW_S);
      if (unknown.length) {
        const keys = unknown.map((d) => ({ traceId: d.traceId, id: d.parentKey!.slice(d.traceId.length) }));
        try {
          for (const [k, owner] of await lookup(keys)) this.#remember(k.slice(0, 32), k.slice(32), owner);
        } catch {
          // The documents wait; a later write of their parent still links them.
        }
        this.#resolve(orphans, linkedKeys);
      }
      for (const [docKey, doc] of orphans) {
        if (doc.parentKey === null) continue;
        this.#wait(
          docKey,
          doc.traceId,
          doc.parentKey,
          doc.rows.map(([r, i]) => spanAt(r.batch, i)),
        );
      }
    }
    return { relinked: this.#waiting.size ? this.#release(linkedKeys) : [] };
  }

  /** Links every orphan document whose parent's owner is known, repeating as owners become known. */
  #resolve(orphans: Map<string, { parentKey: string | null; rows: Array<[SpanRows, number]> }>, linkedKeys: string[]): void {
    for (let progress = true; progress;) {
      progress = false;
      for (const [docKey, doc] of orphans) {
        const owner = doc.parentKey === null ? undefined : this.#owner(doc.parentKey);
        if (!owner) continue;
        for (const [r, i] of doc.rows) {
          const b = r.batch;
          b.segmentId[i] = owner.segmentId;
          b.service[i] = owner.service;
          b.serviceType[i] = owner.serviceType;
          this.#remember(b.traceId[i]!, b.id[i]!, owner);
          linkedKeys.push(b.traceId[i]! + b.id[i]!);
        }
        orphans.delete(docKey);
        progress = true;
      }
    }
  }

  /** Waiting documents whose parents are now known (transitively), as linked copies. */
  #release(keys: string[]): Span[] {
    const out: Span[] = [];
    for (let k = 0; k < keys.length; k++) {
      const docs = this.#byParent.get(keys[k]!);
      if (!docs) continue;
      for (const docKey of [...docs]) {
        const doc = this.#waiting.get(docKey);
        if (!doc) continue;
        const owner = this.#owner(doc.parentKey);
        if (!owner) continue;
        this.#forget(doc);
        for (const s of doc.spans) {
          out.push({ ...s, owner });
          this.#remember(s.traceId, s.id, owner);
          keys.push(s.traceId + s.id);
        }
      }
    }
    return out;
  }

  #owner(key: string): SpanOwner | undefined {
    const h = hashKey(key.slice(0, 32), key.slice(32));
    return this.#owners.get(h) ?? this.#previous.get(h);
  }

  #remember(traceId: string, id: string, owner: SpanOwner): void {
    if (this.#owners.size >= this.options.ownersPerGeneration) {
      this.#previous = this.#owners;
      this.#owners = new Map();
      this.#coveredSince = this.#generationStart;
      this.#generationStart = this.wallSeconds();
    }
    this.#owners.set(hashKey(traceId, id), owner);
  }

  /** A newer version of `key` is written: the waiting copy of it must never be written again. */
  #superseded(key: string): void {
    const own = this.#waiting.get(key);
    if (own) this.#forget(own);
    const holder = this.#members.get(key);
    if (holder === undefined) return;
    const doc = this.#waiting.get(holder);
    this.#members.delete(key);
    if (!doc) return;
    doc.spans = doc.spans.filter((s) => s.traceId + s.id !== key);
    this.#waitingSpans--;
  }

  #wait(key: string, traceId: string, parentKey: string, spans: Span[]): void {
    const old = this.#waiting.get(key);
    if (old) this.#forget(old);
    const doc: WaitingDoc = { key, traceId, parentKey, spans, since: this.wallSeconds() };
    this.#waiting.set(key, doc);
    let siblings = this.#byParent.get(parentKey);
    if (!siblings) this.#byParent.set(parentKey, (siblings = new Set()));
    siblings.add(key);
    for (const s of spans) if (s.id !== s.docId) this.#members.set(s.traceId + s.id, key);
    this.#waitingSpans += spans.length;
    for (const oldest of this.#waiting.values()) {
      if (this.#waitingSpans <= this.options.maxWaitingSpans || oldest === doc) break;
      this.#forget(oldest);
    }
  }

  #forget(doc: WaitingDoc): void {
    this.#waiting.delete(doc.key);
    const siblings = this.#byParent.get(doc.parentKey);
    siblings?.delete(doc.key);
    if (siblings?.size === 0) this.#byParent.delete(doc.parentKey);
    for (const s of doc.spans) if (s.id !== s.docId) this.#members.delete(s.traceId + s.id);
    this.#waitingSpans -= doc.spans.length;
  }

  #expire(now: number): void {
    for (const doc of this.#waiting.values()) {
      if ((now - doc.since) * 1000 < this.options.maxWaitMs) break;
      this.#forget(doc);
    }
  }
}

/** Senders' clocks may run ahead of this machine's by this much (trace filing times come from them). */
const CLOCK_SKEW_S = 300;
