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

interface Client {
  lastSeen: number;
  quota: number;
  ttl: number;
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

  constructor(
    private readonly rules: SamplingRules,
    private readonly clock: () => number = () => Date.now() / 1000,
  ) {}

  report(docs: readonly StatisticsDocument[]): {
    targets: TargetDocument[];
    unprocessed: Array<{ RuleName: string; ErrorCode: string; Message: string }>;
  } {
    const now = this.clock();
    const targets: TargetDocument[] = [];
    const unprocessed: Array<{ RuleName: string; ErrorCode: string; Message: string }> = [];
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
    return { targets, unprocessed };
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
