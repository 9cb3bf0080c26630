import type { ProcessName, Wiring } from '../topology.js';

/**
 * What the parent tells a shop process through its environment (set by `supervisor.ts`):
 * `SHOP_WIRING` (JSON {@link Wiring}), `SHOP_PROCESS` (its own name) and, for OpenTelemetry
 * services, `SHOP_OTLP_ENDPOINT` and `SHOP_OTEL_FLUSH_MS`.
 */
export function wiring(): Wiring {
  const raw = process.env['SHOP_WIRING'];
  if (!raw) throw new Error('SHOP_WIRING is not set: shop services are started by startShop()');
  return JSON.parse(raw) as Wiring;
}

export function processName(): ProcessName {
  const name = process.env['SHOP_PROCESS'];
  if (!name) throw new Error('SHOP_PROCESS is not set: shop services are started by startShop()');
  return name as ProcessName;
}

export function portOf(name: ProcessName): number {
  const port = wiring().ports[name];
  if (!port) throw new Error(`no port for ${name} in SHOP_WIRING`);
  return port;
}
