import { Chaos } from './chaos/chaos.js';
import { formatChaosEvent, type ChaosEvent } from './chaos/events.js';
import { freePorts } from './free-ports.js';
import { formatLoadStats, LoadGenerator, type LoadStats } from './load/generator.js';
import { resolveOptions, type ShopOptions } from './options.js';
import { DEMO_RULE, ensureDemoRule } from './sampling-rule.js';
import { ServiceProcess } from './supervisor.js';
import { PROCESSES, SERVICES, type Instrumentation, type ProcessName, type ServiceName, type Wiring } from './topology.js';

export interface ShopProcess {
  readonly name: ProcessName;
  readonly url: string;
  readonly instrumentation: Instrumentation;
  readonly description: string;
  /** Its current process ID (null while it is down). */
  readonly pid: number | null;
}

export interface Shop {
  /** The shop's HTTP API, e.g. `http://127.0.0.1:43121/api/products`. */
  readonly frontendUrl: string;
  /** Every process: the seven services, then the DynamoDB endpoint and the payment API stub. */
  readonly services: readonly ShopProcess[];
  /** Chaos events so far, oldest first. */
  readonly events: readonly ChaosEvent[];
  /** Requests the load generator sent so far, and their answers. */
  readonly load: Readonly<LoadStats>;
  readonly chaosEnabled: boolean;
  /** Turns chaos on or off; off ends the incidents under way (killed services come back). */
  setChaos(on: boolean): void;
  /** Stops load, chaos and every process (services flush their spans first). Idempotent. */
  stop(): Promise<void>;
  /** Resolves once the shop has stopped: by `stop()`, or when `durationMs` ran out. */
  readonly done: Promise<void>;
}

/**
 * Starts the demo shop beside a running Fluoro: every service as a Node process of its own on a
 * free loopback port, the DynamoDB-compatible endpoint and the payment API stub, the load
 * generator, and chaos (if on). Resolves once every process listens and load has begun; if any
 * process fails to start, stops the others and rejects.
 */
export async function startShop(options: ShopOptions): Promise<Shop> {
  const o = resolveOptions(options);
  const ports = await freePorts(PROCESSES.length);
  const wiring: Wiring = { ports: Object.fromEntries(PROCESSES.map((p, i) => [p.name, ports[i]!])) as Record<ProcessName, number> };
  const env = childEnv(wiring, o.fluoro, o.otelFlushMs);
  const processes = PROCESSES.map((spec) => new ServiceProcess(spec, { ...env, SHOP_PROCESS: spec.name }, o.log));
  const byName = new Map(processes.map((p) => [p.name as ProcessName, p]));
  const events: ChaosEvent[] = [];

  // Last resort (an uncaught error, process.exit elsewhere): children never outlive the parent.
  const onExit = (): void => processes.forEach((p) => p.killNow());
  process.on('exit', onExit);

  let stopping: Promise<void> | null = null;
  let finished!: () => void;
  const done = new Promise<void>((r) => (finished = r));
  let load: LoadGenerator | null = null;
  let chaos: Chaos | null = null;
  let durationTimer: NodeJS.Timeout | null = null;

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (durationTimer) clearTimeout(durationTimer);
      chaos?.close();
      await load?.stop();
      await Promise.all(processes.map((p) => p.stop()));
      process.off('exit', onExit);
      finished();
    })());

  // Before the services start, so that the X-Ray SDKs' first poll of the rules finds it.
  try {
    if ((await ensureDemoRule(o.fluoro.http)) === 'created')
      o.log(`sampling: created rule ${DEMO_RULE.RuleName} in Fluoro: frontend records every request (edit it on the Sampling page)`);
  } catch (err) {
    o.log(`sampling: could not create rule ${DEMO_RULE.RuleName} (${(err as Error).message}); Fluoro's own rules decide what is recorded`);
  }

  try {
    await Promise.all(processes.map((p) => p.start()));
  } catch (err) {
    await stop();
    throw err;
  }

  const frontendUrl = `http://127.0.0.1:${wiring.ports.frontend}`;
  load = new LoadGenerator({ frontendUrl, rate: o.rate, random: o.random, report: (s, ms) => o.log(formatLoadStats(s, ms)) });
  const killable = new Map(SERVICES.filter((s) => s !== 'frontend').map((s) => [s, byName.get(s)!] as [ServiceName, ServiceProcess]));
  chaos = new Chaos(
    { killable, dynamodb: byName.get('dynamodb')!, payments: byName.get('payments')! },
    {
      everyMs: o.chaosEveryMs,
      effectMs: o.chaosEffectMs,
      restartAfterMs: o.restartAfterMs,
      paymentsFailureRatio: 0.6,
      dynamodbLatencyMs: [400, 1_500],
      random: o.random,
    },
    (e) => {
      events.push(e);
      o.log(formatChaosEvent(e));
    },
    o.log,
  );
  load.start();
  chaos.setEnabled(o.chaos);
  if (o.durationMs !== null) durationTimer = setTimeout(() => void stop(), o.durationMs);

  const loadRef = load;
  const chaosRef = chaos;
  return {
    frontendUrl,
    services: processes.map((p) => ({
      name: p.name as ProcessName,
      url: `http://127.0.0.1:${wiring.ports[p.name as ProcessName]}`,
      instrumentation: p.spec.instrumentation,
      description: p.spec.description,
      get pid() {
        return p.pid;
      },
    })),
    events,
    get load() {
      return loadRef.total;
    },
    get chaosEnabled() {
      return chaosRef.isEnabled;
    },
    setChaos: (on) => chaosRef.setEnabled(on),
    stop,
    done,
  };
}

/** The environment of every shop process: the parent's, minus what would change how they run. */
function childEnv(wiring: Wiring, fluoro: { udp: string; http: string; otlpHttp: string }, otelFlushMs: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // A loader or a test runner's options inherited from the parent would run inside every service.
    if (k === 'NODE_OPTIONS' || k.startsWith('OTEL_') || k.startsWith('AWS_XRAY_') || k.startsWith('VITEST')) continue;
    env[k] = v;
  }
  return {
    ...env,
    SHOP_WIRING: JSON.stringify(wiring),
    // The X-Ray SDK's daemon address: segments over UDP, centralized sampling calls over TCP.
    AWS_XRAY_DAEMON_ADDRESS: `tcp:${fluoro.http} udp:${fluoro.udp}`,
    SHOP_OTLP_ENDPOINT: `http://${fluoro.otlpHttp}`,
    SHOP_OTEL_FLUSH_MS: String(otelFlushMs),
    // Traces only: the Node SDK would otherwise export logs to the default OTLP endpoint.
    OTEL_LOGS_EXPORTER: 'none',
    OTEL_METRICS_EXPORTER: 'none',
    // The demo runs on the Node the user has (20 included): no AWS SDK notice about Node 22.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
