/** Where the shop sends its traces: Fluoro's listeners, each `host:port`. */
export interface FluoroAddress {
  /** UDP segments (X-Ray SDK services). */
  readonly udp: string;
  /** Fluoro's HTTP port (X-Ray API; the X-Ray SDK's TCP side). */
  readonly http: string;
  /** OTLP/HTTP; Fluoro also takes `/v1/traces` on its HTTP port, used when this is not given. */
  readonly otlpHttp?: string;
}

export interface ShopOptions {
  readonly fluoro: FluoroAddress;
  /** Requests per second the load generator sends to the frontend (Poisson arrivals). */
  readonly rate?: number;
  /** Chaos on at start (it can be toggled later with `setChaos`). */
  readonly chaos?: boolean;
  /** Time between incidents, ms: a fixed value or a [min, max] range. */
  readonly chaosEveryMs?: number | readonly [number, number];
  /** How long DynamoDB latency and payments failures last, ms. */
  readonly chaosEffectMs?: number;
  /** How long a killed service stays down, ms. */
  readonly restartAfterMs?: number;
  /** Stop by itself after this long, ms (`done` resolves); unlimited when absent. */
  readonly durationMs?: number;
  /** How often OpenTelemetry services export their spans, ms. */
  readonly otelFlushMs?: number;
  /** Lines for the user: chaos events, load summaries, service restarts and errors. */
  readonly log?: (line: string) => void;
  /** Random numbers in [0, 1) for load and chaos; `Math.random` by default. */
  readonly random?: () => number;
}

export const DEFAULTS = {
  rate: 5,
  chaos: true,
  chaosEveryMs: [120_000, 300_000] as const,
  chaosEffectMs: 60_000,
  restartAfterMs: 20_000,
  otelFlushMs: 1_000,
};

export interface ResolvedOptions {
  readonly fluoro: Required<FluoroAddress>;
  readonly rate: number;
  readonly chaos: boolean;
  readonly chaosEveryMs: readonly [number, number];
  readonly chaosEffectMs: number;
  readonly restartAfterMs: number;
  readonly durationMs: number | null;
  readonly otelFlushMs: number;
  readonly log: (line: string) => void;
  readonly random: () => number;
}

/** Fills in defaults and refuses values that cannot work, naming the option. */
export function resolveOptions(o: ShopOptions): ResolvedOptions {
  const address = (name: string, v: unknown): string => {
    if (typeof v !== 'string' || !/^[^\s:]+:\d{1,5}$/.test(v))
      throw new TypeError(`fluoro.${name} must be "host:port", not ${JSON.stringify(v)}`);
    return v;
  };
  const positive = (name: string, v: number, allowZero = false): number => {
    if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0))
      throw new RangeError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, not ${v}`);
    return v;
  };
  const every = o.chaosEveryMs ?? DEFAULTS.chaosEveryMs;
  const [min, max] = typeof every === 'number' ? [every, every] : every;
  if (!(positive('chaosEveryMs', min) <= positive('chaosEveryMs', max)))
    throw new RangeError(`chaosEveryMs [min, max] must have min ≤ max, not [${min}, ${max}]`);
  const http = address('http', o.fluoro?.http);
  return {
    fluoro: {
      udp: address('udp', o.fluoro.udp),
      http,
      otlpHttp: o.fluoro.otlpHttp === undefined ? http : address('otlpHttp', o.fluoro.otlpHttp),
    },
    rate: positive('rate', o.rate ?? DEFAULTS.rate, true),
    chaos: o.chaos ?? DEFAULTS.chaos,
    chaosEveryMs: [min, max],
    chaosEffectMs: positive('chaosEffectMs', o.chaosEffectMs ?? DEFAULTS.chaosEffectMs),
    restartAfterMs: positive('restartAfterMs', o.restartAfterMs ?? DEFAULTS.restartAfterMs),
    durationMs: o.durationMs === undefined ? null : positive('durationMs', o.durationMs),
    otelFlushMs: positive('otelFlushMs', o.otelFlushMs ?? DEFAULTS.otelFlushMs),
    log: o.log ?? ((line) => console.log(line)),
    random: o.random ?? Math.random,
  };
}
