import type { Metrics } from '../telemetry/metrics.js';
import { jsonResponse, type Router } from './router.js';

export type Readiness = 'starting' | 'ready' | 'draining';

/**
 * `/healthz`: the process answers. `/readyz`: it accepts data (503 while starting or draining, or
 * when the store does not answer a read: `store_failed` with the store's message; `store_damaged`
 * once a read met a damaged block).
 * `/metrics`: Prometheus text format.
 */
/** Why the store is not ready: it does not answer, or a read found its file damaged. */
export interface StoreProblem {
  readonly status: 'store_failed' | 'store_damaged';
  readonly message: string;
}

export function mountHealth(
  router: Router,
  metrics: Metrics,
  readiness: () => Readiness,
  storeProblem: () => Promise<StoreProblem | null> = async () => null,
): void {
  router.add('GET', '/healthz', 'public', async () => jsonResponse({ status: 'ok' }));
  router.add('GET', '/readyz', 'public', async () => {
    const state = readiness();
    if (state !== 'ready') return jsonResponse({ status: state }, 503);
    const problem = await storeProblem();
    return problem === null ? jsonResponse({ status: state }) : jsonResponse(problem, 503);
  });
  router.add('GET', '/metrics', ['read'], async () => ({
    status: 200,
    body: await metrics.render(),
    contentType: 'text/plain; version=0.0.4; charset=utf-8',
  }));
}
