import type { ServiceProcess } from '../supervisor.js';
import type { ServiceName } from '../topology.js';
import { CHAOS_KINDS, type ChaosEvent, type ChaosKind } from './events.js';

export interface ChaosOptions {
  /** Time between two incidents: drawn uniformly from [min, max] ms. */
  readonly everyMs: readonly [number, number];
  /** How long DynamoDB latency and payments failures last. */
  readonly effectMs: number;
  /** How long a killed service stays down. */
  readonly restartAfterMs: number;
  /** Share of charges payments fails during a payments incident. */
  readonly paymentsFailureRatio: number;
  /** Extra latency of each DynamoDB call during a latency incident, drawn from [min, max] ms. */
  readonly dynamodbLatencyMs: readonly [number, number];
  readonly random: () => number;
}

export interface ChaosTargets {
  /** Services chaos may kill (not the frontend: with it down there is nothing to see). */
  readonly killable: ReadonlyMap<ServiceName, ServiceProcess>;
  readonly dynamodb: ServiceProcess;
  readonly payments: ServiceProcess;
}

interface Incident {
  readonly id: number;
  readonly kind: ChaosKind;
  readonly target: string;
  /** Ends the incident now (heals what it broke); idempotent. */
  end(): void;
}

/**
 * Causes what real incidents are made of, one at a time, every 2–5 minutes by default: a service
 * killed (SIGKILL) and restarted after a pause, DynamoDB made slow, payments failing (503) or
 * throttling (429) a share of charges for a while. Kinds are drawn from a shuffled deck, so every
 * kind comes up once in any four incidents. Every start and end is an event with its time.
 *
 * Turning chaos off ends the incidents under way at once (killed services are restarted).
 */
export class Chaos {
  private enabled = false;
  private timer: NodeJS.Timeout | null = null;
  private deck: ChaosKind[] = [];
  private nextId = 1;
  private closed = false;
  private readonly active = new Map<number, Incident>();

  constructor(
    private readonly targets: ChaosTargets,
    private readonly options: ChaosOptions,
    private readonly emit: (e: ChaosEvent) => void,
    private readonly log: (line: string) => void,
  ) {}

  get isEnabled(): boolean {
    return this.enabled;
  }

  setEnabled(on: boolean): void {
    if (this.closed || on === this.enabled) return;
    this.enabled = on;
    this.event(
      0,
      'chaos',
      'toggle',
      'chaos',
      on
        ? `chaos on: an incident every ${seconds(this.options.everyMs[0])}–${seconds(this.options.everyMs[1])}`
        : 'chaos off: ending the incidents under way',
    );
    if (on) this.scheduleNext();
    else {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      for (const incident of [...this.active.values()]) incident.end();
    }
  }

  /** Stops for good, without healing: the shop is shutting down. */
  close(): void {
    this.closed = true;
    this.enabled = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private scheduleNext(): void {
    const [min, max] = this.options.everyMs;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        if (!this.enabled) return;
        this.strike();
        this.scheduleNext();
      },
      min + this.options.random() * (max - min),
    );
  }

  /** Starts the first incident of the deck that can happen now; skips this turn if none can. */
  private strike(): void {
    if (this.deck.length === 0) this.deck = shuffle([...CHAOS_KINDS], this.options.random);
    const index = this.deck.findIndex((k) => this.possible(k));
    if (index < 0) return;
    const [kind] = this.deck.splice(index, 1);
    this.begin(kind!);
  }

  private busy(target: string): boolean {
    return [...this.active.values()].some((i) => i.target === target);
  }

  private possible(kind: ChaosKind): boolean {
    switch (kind) {
      case 'service-kill':
        return this.killCandidates().length > 0;
      case 'dynamodb-latency':
        return !this.busy('dynamodb') && this.targets.dynamodb.running;
      case 'payments-faults':
      case 'payments-throttling':
        return !this.busy('payments') && this.targets.payments.running;
    }
  }

  private killCandidates(): ServiceProcess[] {
    return [...this.targets.killable.values()].filter((s) => s.running && !this.busy(s.name));
  }

  private begin(kind: ChaosKind): void {
    const id = this.nextId++;
    const { effectMs, restartAfterMs } = this.options;
    if (kind === 'service-kill') {
      const candidates = this.killCandidates();
      const victim = candidates[Math.floor(this.options.random() * candidates.length)]!;
      const pid = victim.pid;
      victim.kill();
      this.event(id, kind, 'start', victim.name, `killed ${victim.name} (SIGKILL, pid ${pid}); it restarts in ${seconds(restartAfterMs)}`);
      this.track(id, kind, victim.name, restartAfterMs, () => {
        victim.start().then(
          () => this.event(id, kind, 'end', victim.name, `${victim.name} restarted (pid ${victim.pid})`),
          (err: Error) => this.closed || this.log(`chaos: could not restart ${victim.name}: ${err.message}`),
        );
      });
    } else if (kind === 'dynamodb-latency') {
      const [minMs, maxMs] = this.options.dynamodbLatencyMs;
      this.targets.dynamodb.control({ type: 'dynamodb-latency', minMs, maxMs });
      this.event(id, kind, 'start', 'dynamodb', `every DynamoDB call takes ${minMs}–${maxMs} ms more for ${seconds(effectMs)}`);
      this.track(id, kind, 'dynamodb', effectMs, () => {
        this.targets.dynamodb.control({ type: 'dynamodb-latency', minMs: 0, maxMs: 0 });
        this.event(id, kind, 'end', 'dynamodb', 'DynamoDB answers at normal speed again');
      });
    } else {
      const mode = kind === 'payments-faults' ? 'fault' : 'throttle';
      const ratio = this.options.paymentsFailureRatio;
      this.targets.payments.control({ type: 'payments-mode', mode, ratio });
      const what = mode === 'fault' ? '503 (payment ledger unavailable)' : '429 (throttled)';
      this.event(
        id,
        kind,
        'start',
        'payments',
        `payments answers ${Math.round(ratio * 100)}% of charges with ${what} for ${seconds(effectMs)}`,
      );
      this.track(id, kind, 'payments', effectMs, () => {
        this.targets.payments.control({ type: 'payments-mode', mode: 'normal', ratio: 0 });
        this.event(id, kind, 'end', 'payments', 'payments charges normally again');
      });
    }
  }

  /** Remembers an incident until it heals by itself after `ms`, or is ended early. */
  private track(id: number, kind: ChaosKind, target: string, ms: number, heal: () => void): void {
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      this.active.delete(id);
      if (!this.closed) heal();
    };
    const timer = setTimeout(end, ms);
    this.active.set(id, { id, kind, target, end });
  }

  private event(incident: number, kind: ChaosEvent['kind'], phase: ChaosEvent['phase'], target: string, message: string): void {
    this.emit({ time: new Date().toISOString(), incident, kind, phase, target, message });
  }
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function seconds(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 100) / 10} s`;
}
