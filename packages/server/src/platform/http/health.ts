import type { Metrics } from '../telemetry/metrics.js';
import { jsonResponse, type Router } from './router.js';

export type Readiness = 'starting' | 'ready' | 'draining';

/**
 * `/healthz`: the process answers. `/readyz`: it accepts data (503 while starting or draining).
 * `/metrics`: Prometheus text format.
 */
export function mountHealth(router: Router, metrics: Metrics, readiness: () => Readiness): void {
  router.add('GET', '/healthz', 'public', async () => jsonResponse({ status: 'ok' }));
  router.add('GET', '/readyz', 'public', async () => {
    const state = readiness();
    return jsonResponse({ status: state }, state === 'ready' ? 200 : 503);
  });
  router.add('GET', '/metrics', ['read'], async () => ({
    status: 200,
    body: await metrics.render(),
    contentType: 'text/plain; version=0.0.4; charset=utf-8',
  }));
}
