import type { Listeners } from '@fluoro/contracts';
import { formatAddress, isLoopback, type ListenAddress } from '../config/address.js';
import type { Logger } from '../platform/telemetry/logger.js';

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

export function warnIfExposed(address: ListenAddress, what: string, log: Logger): void {
  if (!isLoopback(address.host)) {
    log.warn(`the ${what} listener is reachable from other machines and Fluoro has no authentication yet`, {
      address: formatAddress(address),
    });
  }
}
