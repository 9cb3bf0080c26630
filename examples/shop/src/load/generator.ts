import { PRODUCTS } from '../dynamodb/products.js';
import { DECLINED_CARD, GOOD_CARD } from '../topology.js';
import { customers, type SimCustomer } from './customers.js';

/** What shoppers do, and how often (relative weights). */
const ACTIONS = {
  browse: 30, // GET /api/products, sometimes by category
  view: 20, // GET /api/products/:id
  addToCart: 22, // POST /api/cart/items
  viewCart: 8, // GET /api/cart
  checkout: 14, // POST /api/checkout (5% of them with a card that is declined: 402)
  missingProduct: 4, // GET /api/products/<unknown>: 404
  badQuantity: 2, // POST /api/cart/items with quantity 0 or 12: 400
} as const;
type Action = keyof typeof ACTIONS;
const TOTAL_WEIGHT = Object.values(ACTIONS).reduce((a, b) => a + b, 0);
const CATEGORIES = [...new Set(PRODUCTS.map((p) => p.category))];
const REQUEST_TIMEOUT_MS = 10_000;
/** How far behind schedule arrivals may catch up (after a long stall, not a burst of hundreds). */
const MAX_CATCH_UP_MS = 2_000;

export interface LoadStats {
  sent: number;
  /** Answers by status class: `2xx`, `4xx`, `5xx`. */
  byClass: Record<string, number>;
  /** Requests that got no answer (connection refused, timeout). */
  failed: number;
  /** Ticks skipped because too many requests were already waiting. */
  skipped: number;
}

export interface LoadOptions {
  readonly frontendUrl: string;
  /** Requests per second, on average (Poisson arrivals). */
  readonly rate: number;
  readonly customers?: number;
  readonly random: () => number;
  /** Called every `reportEveryMs` with the counts of that period. */
  readonly report?: (period: LoadStats, ms: number) => void;
  readonly reportEveryMs?: number;
}

/**
 * Simulated shoppers using the frontend: browsing, carts and checkouts, with a few client errors
 * (404, 400) and declined cards (402). Requests arrive at `rate` per second on average; at most
 * `4 × rate` (at least 16) wait for an answer at once, so a slow or dead shop is never flooded.
 */
export class LoadGenerator {
  private readonly shoppers: SimCustomer[];
  private timer: NodeJS.Timeout | null = null;
  /** When the next arrival is due (performance.now() time). */
  private nextAt = 0;
  private reporter: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly maxInFlight: number;
  readonly total: LoadStats = emptyStats();
  private period: LoadStats = emptyStats();

  constructor(private readonly options: LoadOptions) {
    this.shoppers = customers(options.customers ?? 60);
    this.maxInFlight = Math.max(16, Math.ceil(options.rate * 4));
  }

  start(): void {
    if (this.timer || this.options.rate <= 0) return;
    this.nextAt = performance.now();
    this.next();
    if (this.options.report) {
      const every = this.options.reportEveryMs ?? 60_000;
      this.reporter = setInterval(() => {
        this.options.report!(this.period, every);
        this.period = emptyStats();
      }, every);
    }
  }

  /** Stops sending and waits for the requests under way (each is bounded by its timeout). */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    if (this.reporter) clearInterval(this.reporter);
    this.timer = null;
    this.reporter = null;
    await Promise.all(this.inFlight);
  }

  /**
   * Arrivals are a Poisson process scheduled on absolute times: a timer that fires late (a busy
   * machine) does not push every later arrival back, so the average rate holds.
   */
  private next(): void {
    const gap = (-Math.log(1 - this.options.random()) / this.options.rate) * 1000;
    const now = performance.now();
    this.nextAt = Math.max(this.nextAt, now - MAX_CATCH_UP_MS) + gap;
    this.timer = setTimeout(
      () => {
        if (this.inFlight.size >= this.maxInFlight) this.count('skipped');
        else {
          const p = this.act().finally(() => this.inFlight.delete(p));
          this.inFlight.add(p);
        }
        this.next();
      },
      Math.max(0, this.nextAt - now),
    );
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.options.random() * items.length)]!;
  }

  private chooseAction(): Action {
    let r = this.options.random() * TOTAL_WEIGHT;
    for (const [action, weight] of Object.entries(ACTIONS) as Array<[Action, number]>) {
      if ((r -= weight) < 0) return action;
    }
    return 'browse';
  }

  private async act(): Promise<void> {
    const who = this.pick(this.shoppers);
    let action = this.chooseAction();
    if (action === 'checkout' && who.cartItems === 0) action = 'addToCart';
    const product = this.pick(PRODUCTS);
    switch (action) {
      case 'browse':
        await this.request(who, 'GET', this.options.random() < 0.5 ? `/api/products?category=${this.pick(CATEGORIES)}` : '/api/products');
        break;
      case 'view':
        await this.request(who, 'GET', `/api/products/${product.id}`);
        break;
      case 'missingProduct':
        await this.request(who, 'GET', `/api/products/p-${900 + Math.floor(this.options.random() * 99)}`);
        break;
      case 'viewCart':
        await this.request(who, 'GET', '/api/cart');
        break;
      case 'addToCart': {
        const status = await this.request(who, 'POST', '/api/cart/items', {
          productId: product.id,
          quantity: 1 + Math.floor(this.options.random() * 3),
        });
        if (status === 201) who.cartItems++;
        break;
      }
      case 'badQuantity':
        await this.request(who, 'POST', '/api/cart/items', { productId: product.id, quantity: this.options.random() < 0.5 ? 0 : 12 });
        break;
      case 'checkout': {
        const status = await this.request(who, 'POST', '/api/checkout', { card: this.options.random() < 0.05 ? DECLINED_CARD : GOOD_CARD });
        if (status === 201 || status === 400) who.cartItems = 0;
        break;
      }
    }
  }

  /** Sends one request as `who`; resolves with the status, or 0 when there was no answer. */
  private async request(who: SimCustomer, method: string, path: string, body?: unknown): Promise<number> {
    this.count('sent');
    try {
      const res = await fetch(`${this.options.frontendUrl}${path}`, {
        method,
        headers: { 'x-customer-id': who.id, 'x-customer-tier': who.tier, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : null,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await res.arrayBuffer();
      this.count(`${Math.floor(res.status / 100)}xx`);
      return res.status;
    } catch {
      this.count('failed');
      return 0;
    }
  }

  private count(what: string): void {
    for (const s of [this.total, this.period]) {
      if (what === 'sent' || what === 'failed' || what === 'skipped') s[what]++;
      else s.byClass[what] = (s.byClass[what] ?? 0) + 1;
    }
  }
}

function emptyStats(): LoadStats {
  return { sent: 0, byClass: {}, failed: 0, skipped: 0 };
}

export function formatLoadStats(s: LoadStats, ms: number): string {
  const classes = Object.entries(s.byClass)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `load: ${s.sent} requests in ${Math.round(ms / 1000)} s (${classes || 'no answers'}${s.failed ? `, ${s.failed} unanswered` : ''}${s.skipped ? `, ${s.skipped} skipped: too many waiting` : ''})`;
}
