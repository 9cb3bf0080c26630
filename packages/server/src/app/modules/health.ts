import { mountHealth } from '../../platform/http/health.js';
import { defineModule } from '../module.js';

/** `/healthz`, `/readyz` (ready once every module of the role started) and `/metrics` on the main HTTP port. */
export const healthModule = defineModule({
  name: 'health',
  contributes: ['httpRoutes'],
  async start(_given, { metrics, readiness }) {
    return { contributes: { httpRoutes: (router) => mountHealth(router, metrics, readiness) } };
  },
});
