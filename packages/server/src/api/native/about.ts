import type { AboutResponse, Listeners } from '@fluoro/contracts';
import { jsonResponse, READ, type Router } from '../../platform/http/router.js';

/** The console's reads. */

export type { Listeners };

/**
 * `GET /api/v1/about` → `{ version, listeners: { udp, http, otlpHttp, otlpGrpc, zipkin } }`: what
 * the console needs to tell a user how to send data here.
 */
export function mountAbout(router: Router, version: string, listeners: () => Listeners): void {
  router.add('GET', '/api/v1/about', READ, async () => jsonResponse<AboutResponse>({ version, listeners: listeners() }));
}
