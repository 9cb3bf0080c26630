import type { Router } from '../../platform/http/router.js';
import { jsonResponse } from '../../platform/http/router.js';

/** Where this Fluoro listens, `host:port` or null when a listener is disabled. */
export interface Listeners {
  readonly udp: string | null;
  readonly http: string | null;
  readonly otlpHttp: string | null;
  readonly otlpGrpc: string | null;
  readonly zipkin: string | null;
}

/**
 * `GET /api/v1/about` → `{ version, listeners: { udp, http, otlpHttp, otlpGrpc, zipkin } }`: what
 * the console needs to tell a user how to send data here.
 */
export function mountAbout(router: Router, version: string, listeners: () => Listeners): void {
  router.add('GET', '/api/v1/about', async () => jsonResponse({ version, listeners: listeners() }));
}
