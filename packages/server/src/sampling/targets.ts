import type { SamplingRules } from './rules.js';

/** What an SDK reports per rule (`SamplingStatisticsDocument`). */
export interface StatisticsDocument {
  readonly RuleName: string;
  readonly ClientID: string;
  readonly Timestamp: number;
  readonly RequestCount: number;
  readonly SampledCount: number;
  readonly BorrowCount?: number;
}

export interface TargetDocument {
  readonly RuleName: string;
  readonly FixedRate: number;
  readonly ReservoirQuota: number;
  readonly ReservoirQuotaTTL: number;
  readonly Interval: number;
}

export interface StatisticSummary {
  readonly RuleName: string;
  readonly Timestamp: number;
  readonly RequestCount: number;
  readonly SampledCount: number;
  readonly BorrowCount: number;
}

/** Seconds between an SDK's reports, as Fluoro asks (`Interval`). */
export const REPORT_INTERVAL = 10;
/** A quota stays valid for one and a half intervals: a report a little late does not lose it. */
const QUOTA_TTL = 15;
/** A client counts in the split while it reported within two intervals. */
const ACTIVE = 2 * REPORT_INTERVAL;
/** Statistics are kept in 10-second windows for an hour. */
const WINDOW = 10;
const KEEP_WINDOWS = 360;
/** Clients whose reading of timestamps is remembered (the oldest forgotten first). */
const MAX_READERS = 10_000;

interface Client {
  lastSeen: number;
  quota: number;
  ttl: number;
}

/**
 * How a client reads the timestamps of the answer (`ReservoirQuotaTTL`, `LastRuleModification`).
 * X-Ray gives epoch seconds, and every client reads them so except the X-Ray SDK for Node.js
 * (3.x: `new Date(value)`, i.e. milliseconds, so that every quota looks expired in 1970 and the
 * SDK borrows 1 a second instead). No header tells it apart (it sends no User-Agent, and the
 * X-Ray daemon's proxy then sends Go's), but what it reports does: a client that keeps borrowing
 * while it holds a quota that has not expired cannot have read the expiry, since an SDK borrows
 * only without a fresh quota. Such a client is answered in milliseconds from then on; if it still
 * borrows so, it goes back to seconds for good (its clock, not its reading, is off).
 */
export type TimeUnit = 'seconds' | 'milliseconds';
/** Borrows in one report, while holding a fresh quota, that say the client misread its expiry. A reader that is right borrows at most once: in the moment between its report and the answer. */
const MISREAD_BORROWS = 2;

/** A client that showed it misreads seconds: answered in milliseconds, or back to seconds for good. */
interface Reader {
  unit: TimeUnit;
  /** When it was first answered in milliseconds. */
  readonly since: number;
}

interface RuleState {
  readonly clients: Map<string, Client>;
  readonly windows: Map<number, { requests: number; sampled: number; borrowed: number }>;
}

/**
 * The reservoir side of centralized sampling (spec §5.4). Each SDK instance (client) reports what
 * it matched, sampled and borrowed per rule every `REPORT_INTERVAL` seconds and gets back its
 * share of the rule's reservoir (`ReservoirQuota` requests per second, until
 * `ReservoirQuotaTTL`) and the rule's fixed rate.
 *
 * The reservoir is split evenly among the clients that reported in the last two intervals (the
 * remainder to the first by client ID), and a client never gets more than what the quotas still
 * held by the others leave: so the clients together never take more than `ReservoirSize` per
 * second, even while a new client joins; shares even out within one interval.
 */
export class SamplingTargets {
  readonly #rules = new Map<string, RuleState>();
  /** How each client reads timestamps, by client ID (bounded like the clients of the rules). */
  readonly #readers = new Map<string, Reader>();

  constructor(
    private readonly rules: SamplingRules,
    private readonly clock: () => number = () => Date.now() / 1000,
  ) {}

  report(docs: readonly StatisticsDocument[]): {
    targets: TargetDocument[];
    unprocessed: Array<{ RuleName: string; ErrorCode: string; Message: string }>;
    /** How the reporting client reads the answer's timestamps (see `TimeUnit`). */
    unit: TimeUnit;
  } {
    const now = this.clock();
    const targets: TargetDocument[] = [];
    const unprocessed: Array<{ RuleName: string; ErrorCode: string; Message: string }> = [];
    let misread: 'held' | 'zero' | null = null;
    for (const doc of docs) {
      const rule = this.rules.get(doc.RuleName)?.SamplingRule;
      if (!rule) {
        unprocessed.push({
          RuleName: doc.RuleName,
          ErrorCode: 'RuleNotFound',
          Message: `no sampling rule named ${doc.RuleName}; fetch the rules again`,
        });
        continue;
      }
      const state = this.#state(doc.RuleName);
      this.#count(state, now, doc);
      const client = state.clients.get(doc.ClientID) ?? { lastSeen: now, quota: 0, ttl: 0 };
      if (client.ttl > now && (doc.BorrowCount ?? 0) >= MISREAD_BORROWS) {
        // The Node SDK also ignores a quota of 0 (and borrows), whatever the unit: only a quota
        // above 0 tells that milliseconds did not help either.
        misread = client.quota > 0 ? 'held' : (misread ?? 'zero');
      }
      client.lastSeen = now;
      state.clients.set(doc.ClientID, client);
      const active = [...state.clients]
        .filter(([, c]) => c.lastSeen >= now - ACTIVE)
        .map(([id]) => id)
        .sort();
      for (const [id, c] of state.clients) if (c.lastSeen < now - ACTIVE && c.ttl < now) state.clients.delete(id);
      const size = rule.ReservoirSize;
      const index = active.indexOf(doc.ClientID);
      const fair = Math.floor(size / active.length) + (index < size % active.length ? 1 : 0);
      let held = 0;
      for (const [id, c] of state.clients) if (id !== doc.ClientID && c.ttl > now) held += c.quota;
      client.quota = Math.max(0, Math.min(fair, size - held));
      client.ttl = now + QUOTA_TTL;
      targets.push({
        RuleName: rule.RuleName,
        FixedRate: rule.FixedRate,
        ReservoirQuota: client.quota,
        ReservoirQuotaTTL: client.ttl,
        Interval: REPORT_INTERVAL,
      });
    }
    // One client reports all its rules at once (an SDK instance has one client ID).
    const clientId = docs[0]?.ClientID;
    if (clientId === undefined) return { targets, unprocessed, unit: 'seconds' };
    if (misread) this.#misread(clientId, now, misread === 'held');
    const unit = this.#readers.get(clientId)?.unit ?? 'seconds';
    return { targets, unprocessed, unit };
  }

  /** A client borrowed while holding a fresh quota: it reads the other unit (once). */
  #misread(clientId: string, now: number, heldQuota: boolean): void {
    const reader = this.#readers.get(clientId);
    if (reader) {
      // Borrowing on a quota above 0 since an answer in milliseconds: that reading did not help
      // either, and it goes back to seconds for good.
      if (reader.unit === 'milliseconds' && heldQuota && now - reader.since >= REPORT_INTERVAL / 2) reader.unit = 'seconds';
      return;
    }
    if (this.#readers.size >= MAX_READERS) this.#readers.delete(this.#readers.keys().next().value!);
    this.#readers.set(clientId, { unit: 'milliseconds', since: now });
  }

  /** Per rule and 10-second window, what the clients reported, oldest first (the last hour). */
  summaries(): StatisticSummary[] {
    const out: StatisticSummary[] = [];
    for (const [name, state] of this.#rules) {
      if (!this.rules.get(name)) continue;
      for (const [t, w] of state.windows)
        out.push({ RuleName: name, Timestamp: t, RequestCount: w.requests, SampledCount: w.sampled, BorrowCount: w.borrowed });
    }
    return out.sort((a, b) => a.Timestamp - b.Timestamp || a.RuleName.localeCompare(b.RuleName));
  }

  #state(rule: string): RuleState {
    let s = this.#rules.get(rule);
    if (!s) this.#rules.set(rule, (s = { clients: new Map(), windows: new Map() }));
    return s;
  }

  #count(state: RuleState, now: number, doc: StatisticsDocument): void {
    const t = Math.floor(now / WINDOW) * WINDOW;
    let w = state.windows.get(t);
    if (!w) {
      state.windows.set(t, (w = { requests: 0, sampled: 0, borrowed: 0 }));
      for (const old of state.windows.keys()) if (old < t - KEEP_WINDOWS * WINDOW) state.windows.delete(old);
    }
    w.requests += doc.RequestCount;
    w.sampled += doc.SampledCount;
    w.borrowed += doc.BorrowCount ?? 0;
  }
}
