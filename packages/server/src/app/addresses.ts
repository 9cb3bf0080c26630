import type { Listeners } from '@fluoro/contracts';
import { formatAddress, isLoopback, type ListenAddress } from '../config/address.js';
import type { Logger } from '../platform/telemetry/logger.js';
import type { AccessKeys } from '../platform/auth/keys.js';
import type { FluoroConfig } from '../config/schema.js';
import { ConfigError } from '../config/load.js';

export type ListenerName = keyof Listeners;

/**
 * Where the listeners of a running composition are bound, filled in by the listener modules as
 * they start (port 0 resolved to the port chosen). A listener that is disabled or not part of the
 * composition has none. Read lazily by what reports addresses (`/api/v1/about`, the landing page),
 * since those are mounted before the listeners start.
 */
export class BoundAddresses {
  readonly #bound = new Map<ListenerName, ListenAddress>();

  set(name: ListenerName, address: ListenAddress): void {
    this.#bound.set(name, address);
  }

  get(name: ListenerName): ListenAddress | null {
    return this.#bound.get(name) ?? null;
  }

  /** Every listener as `host:port`, or null. */
  listeners(): Listeners {
    const shown = (name: ListenerName): string | null => {
      const a = this.#bound.get(name);
      return a ? formatAddress(a) : null;
    };
    return { udp: shown('udp'), http: shown('http'), otlpHttp: shown('otlpHttp'), otlpGrpc: shown('otlpGrpc'), zipkin: shown('zipkin') };
  }
}

/**
 * Secure by default: a listener on an address other machines can reach is refused unless access
 * keys protect the HTTP APIs, or the operator said `insecure`. UDP (the X-Ray daemon protocol) has
 * no authentication at all; bound wide it is allowed with keys, with a warning.
 */
export function checkExposure(config: FluoroConfig, keys: AccessKeys | null, log: Logger): void {
  const exposed = (['udp', 'http', 'otlpHttp', 'otlpGrpc', 'zipkin'] as const).filter((n) => {
    const a = config[n];
    return a !== null && !isLoopback(a.host);
  });
  if (exposed.length === 0) return;
  const list = exposed.map((n) => `${n} ${formatAddress(config[n]!)}`).join(', ');
  if (!keys && !config.insecure) {
    throw new ConfigError([
      `refusing to listen on ${list} without access keys: anyone who can reach it could read and change everything. Configure auth.keysFile, bind to 127.0.0.1, or pass --insecure to accept the risk`,
    ]);
  }
  if (!keys) log.warn('listening on addresses other machines can reach without access keys (--insecure)', { listeners: list });
  else if (exposed.includes('udp'))
    log.warn('the UDP listener is reachable from other machines; UDP segments are never authenticated', {
      udp: formatAddress(config.udp!),
    });
}
