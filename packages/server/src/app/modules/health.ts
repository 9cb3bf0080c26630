import { mountHealth, type StoreProblem } from '../../platform/http/health.js';
import { defineModule } from '../module.js';

/** `/healthz`, `/readyz` (ready once every module of the role started) and `/metrics` on the main HTTP port. */
export const healthModule = defineModule({
  name: 'health',
  needs: ['store'],
  contributes: ['httpRoutes'],
  async start({ store }, { metrics, readiness }) {
    // Ready also means the store answers: a store DuckDB gave up on (a full disk, a damaged block) is not ready.
    const storeProblem = async (): Promise<StoreProblem | null> => {
      const damage = store.damage?.() ?? null;
      if (damage !== null) return { status: 'store_damaged', message: damage };
      try {
        await store.size();
        return null;
      } catch (err) {
        return { status: 'store_failed', message: (err as Error).message };
      }
    };
    return { contributes: { httpRoutes: (router) => mountHealth(router, metrics, readiness, storeProblem) } };
  },
});
